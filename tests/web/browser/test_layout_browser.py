"""Layout in a real browser: every kind of page fits a phone's width, and the keyboard reaches the site with a visible focus."""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}

PAGES = ["/", "/browse", "/browse/states", "/recommendations", "/id/state/ghana", "/id/mechanism/framework-of-analysis",
         "/search?q=focal", "/stats", "/ontology", "/shapes", "/downloads", "/sparql-not-here", "/query", "/map",
         "/timeline", "/sources", "/sources/un-perspectives-2016/passage?start=1293&end=1904",
         "/id/recommendation/gnfp-2019-32", "/?lang=ar", "/query?lang=ar", "/query?lang=ru"]


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone(browser, live_server, path):
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    try:
        tab = context.new_page()
        tab.goto(path)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"
    finally:
        context.close()


def test_first_tab_shows_the_skip_link_and_it_moves_focus_to_the_content(page):
    page.goto("/stats")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["width"] > 0  # on screen once focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
