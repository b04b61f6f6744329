"""The map in a real browser: states drawn and coloured, a click (or Enter on a focused state) opens its page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WORLD = Path(__file__).resolve().parents[3] / "src/r2pkg/web/static/vendor/world-atlas/countries-110m.json"


def shapes() -> set[str]:
    """The ISO numeric codes the bundled geometry has a shape for."""
    topology = json.loads(WORLD.read_text())
    return {str(g.get("id")) for g in topology["objects"]["countries"]["geometries"]}


def test_click_a_state_on_the_map(page):
    page.goto("/map?colour=network")
    figure = page.locator("#world-map")
    expect(figure).to_have_attribute("data-drawn", re.compile(r"^[1-9]"))
    members = page.locator(".map-table tbody tr[data-value='1']")
    codes = page.locator(".map-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.numeric)")
    drawn = [code for code in codes if code in shapes()]
    expect(figure.locator("svg a")).to_have_count(len(drawn))
    expect(figure.locator("figcaption")).to_contain_text(
        f"States without a shape at this map's scale (they are in the table): {len(codes) - len(drawn)}.")
    first = members.first.get_attribute("data-numeric")
    state = figure.locator(f"svg a:has(path[data-iso='{first}'])")
    expect(state.locator("path")).to_have_class(re.compile("has-value"))
    href = state.get_attribute("href")
    state.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def test_the_map_with_the_keyboard(page):
    page.goto("/map")
    figure = page.locator("#world-map")
    expect(figure).to_have_attribute("data-drawn", re.compile(r"^[1-9]"))
    page.get_by_label("Member of the Network's Steering Group").check()
    page.get_by_role("button", name="Show").press("Enter")
    expect(page).to_have_url(re.compile(r"colour=steering-group"))
    expect(page.locator("#world-map")).to_have_attribute("data-drawn", re.compile(r"^[1-9]"))
    page.locator("#world-map svg a").first.focus()
    expect(page.locator("#world-map svg a").first).to_be_focused()
    target = page.locator("#world-map svg a").first.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


def test_the_map_speaks_french(page):
    page.goto("/map?lang=fr")
    figure = page.locator("#world-map")
    expect(figure).to_have_attribute("data-drawn", re.compile(r"^[1-9]"))
    expect(figure.locator("figcaption")).to_contain_text("États sans forme à l'échelle de cette carte (ils figurent dans le tableau) : ")
    germany = figure.locator("svg a:has(path[data-iso='276'])")
    expect(germany.locator("title")).to_have_text(re.compile(r"^Allemagne: \d+$"))
