"""Provenance in a real browser: from a person's page, open the passage a locator cites; from /sources, a source's
recommendations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_open_a_locators_passage(page):
    page.goto("/id/person/edward-luck")
    locator = page.locator("#out-label span.locator", has_text="paragraph 3, characters 1297–1311")
    expect(locator).to_contain_text("section “INTRODUCTION”")
    locator.get_by_role("link", name="read the passage").click()
    expect(page).to_have_url(re.compile(r"/sources/un-perspectives-2016/passage\?start=1297&end=1311$"))
    expect(page.locator("blockquote mark")).to_have_text("Edward C. Luck")
    expect(page.locator("blockquote")).to_contain_text("the former UN Special Adviser on the Responsibility to Protect")
    page.get_by_role("link", name="Edward C. Luck").click()
    expect(page).to_have_url(re.compile(r"/id/person/edward-luck$"))


def test_from_the_sources_to_a_sources_recommendations(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
    expect(page).to_have_url(re.compile(r"/sources$"))
    section = page.locator("section#gnfp-2019")
    expect(section.locator("dl")).to_contain_text("Brussels")
    section.get_by_role("link", name="Its recommendations in the browser").click()
    items = page.locator("ol.results li.recommendation")
    expect(items.first).to_be_visible()
    hrefs = items.locator("a[href^='/id/recommendation/']").evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert hrefs and all(h.startswith("/id/recommendation/gnfp-2019-") for h in hrefs)


def test_copy_a_citation(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/id/state/ghana")
    page.get_by_text("Cite this").click()
    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.locator(".cite .copy-status")).to_have_text("BibTeX citation copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{r2pkg-state-ghana-") and 'title = "Ghana"' in copied
