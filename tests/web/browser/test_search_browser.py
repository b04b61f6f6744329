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
    expect(listbox.get_by_role("group")).to_have_count(1)
    expect(listbox.locator(".suggestion-group")).to_have_text("State")
    listbox.get_by_role("option", name=re.compile("^Ghana")).click()
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
