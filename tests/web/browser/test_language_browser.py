"""The six languages in a real browser: switch from the front door, follow links and stay in the language; Arabic
reads right to left; axe-core finds no violation on the Arabic front door and a French state page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from test_accessibility_browser import AXE, axe_violations

pytestmark = pytest.mark.browser


def switch(page, name: str) -> None:
    """Choose a language in the switcher, with the keyboard (focus the link, press Enter)."""
    link = page.get_by_role("navigation", name=re.compile("Language|Langue|اللغة")).get_by_role("link", name=name)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_switch_to_french_and_follow_three_links(page):
    page.goto("/")
    switch(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Le graphe de connaissances de la responsabilité de protéger")
    steps = [
        (lambda: page.get_by_role("navigation", name="Principale").get_by_role("link", name="Parcourir"),
         "Parcourir le graphe de connaissances"),
        (lambda: page.locator("#kind-states").get_by_role("link", name="États"), re.compile(r"^États \(195\)$")),
        (lambda: page.get_by_role("link", name="Allemagne", exact=True), "Allemagne"),
    ]
    for link, heading in steps:
        link().click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("section#applies h2")).to_have_text("Ce qui s'applique à Allemagne, par degré de précision")


def test_switch_to_arabic_read_right_to_left_and_follow_three_links(page):
    page.goto("/recommendations")
    switch(page, "العربية")
    expect(page).to_have_url(re.compile(r"/recommendations\?lang=ar$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("التوصيات")
    main = page.get_by_role("navigation", name="التنقل الرئيسي")
    for name, heading in [("المصادر", "المصادر"), ("الخريطة", "خريطة الدول"), ("الإحصاءات", "الإحصاءات")]:
        main.get_by_role("link", name=name).click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("h1")).to_have_text(heading)
    # right to left for real: the header's first item (the site's name) sits at the right edge
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2
    switch(page, "English")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Statistics")


@pytest.mark.parametrize("path", ["/?lang=ar", "/id/state/france?lang=fr"])
def test_no_accessibility_violations_in_other_languages(page, path):
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `make assets` (npm ci in frontend/)")
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == [], path


def test_what_scripts_say_is_in_the_language_too(page, live_server):
    """The copy button's message and the search box's "nothing matches" come from the page, in its language."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/id/state/ghana?lang=es")
    page.get_by_text("Citar").click()
    page.get_by_role("button", name="Copiar BibTeX").click()
    expect(page.locator(".cite .copy-status")).to_have_text("Cita en BibTeX copiada.")
    box = page.get_by_role("combobox")
    box.fill("qqqzzzxxx")
    expect(page.locator("#site-search-suggestions")).to_contain_text("Nada coincide con «qqqzzzxxx»")
