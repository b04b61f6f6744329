"""The header search box in a real browser: type, pick a suggestion, land on the entity's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_keyboard_pick_opens_the_person(page):
    page.goto("/stats")
    box = page.locator("#site-search-input")
    box.press_sequentially("simonovic", delay=20)
    expect(box).to_have_attribute("aria-expanded", "true")
    option = page.locator("#site-search-suggestions [role=option][data-iri='https://w3id.org/r2pkg/id/person/ivan-simonovic']")
    expect(option).to_be_visible()
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/id/person/ivan-simonovic$"))
    expect(page.locator("h1")).to_contain_text("Šimonović")


def test_click_pick_and_grouping(page):
    page.goto("/query")
    box = page.locator("#site-search-input")
    box.fill("ghan")
    listbox = page.locator("#site-search-suggestions")
    expect(listbox.locator(".suggestion-group").first).to_have_text("State")
    groups = listbox.locator(".suggestion-group").all_inner_texts()
    assert len(groups) == len(set(groups)), "one group per type"
    listbox.locator("[role=option][data-iri='https://w3id.org/r2pkg/id/state/ghana']").click()
    expect(page).to_have_url(re.compile(r"/id/state/ghana$"))


def test_escape_closes_and_enter_searches(page):
    page.goto("/stats")
    box = page.locator("#site-search-input")
    box.fill("focal")
    listbox = page.locator("#site-search-suggestions")
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=focal$"))
    expect(page.locator("section.search-group").first).to_be_visible()


def test_typo_and_description_words_find_suggestions(page):
    page.goto("/stats")
    box = page.locator("#site-search-input")
    box.press_sequentially("Gahna", delay=20)
    listbox = page.locator("#site-search-suggestions")
    expect(listbox.locator("[role=option][data-iri='https://w3id.org/r2pkg/id/state/ghana']")).to_be_visible()
    box.fill("")
    box.press_sequentially("vetting", delay=20)
    option = listbox.locator("[role=option]").first
    expect(option).to_be_visible()
    expect(option.locator("mark").first).to_have_text(re.compile("vetting", re.I))
    option.click()
    expect(page).to_have_url(re.compile(r"/id/"))


def test_search_page_marks_the_matching_words(page):
    page.goto("/search?q=vetting")
    mark = page.locator("section.search-group .matched mark").first
    expect(mark).to_have_text(re.compile("vetting", re.I))
