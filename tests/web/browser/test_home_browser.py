"""The front door in a real browser: pick a state and see what applies to it, with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_pick_a_state_and_see_what_applies_to_it(page):
    page.goto("/")
    page.get_by_label("Start with your state or organisation").select_option(label="Ghana")
    page.get_by_role("button", name="See what it is asked to do").click()
    expect(page).to_have_url(re.compile(r"/id/state/ghana#applies$"))
    applies = page.locator("section#applies")
    expect(applies).to_be_visible()
    expect(applies.locator("a[href^='/id/recommendation/']").first).to_be_visible()


def test_the_front_door_works_with_the_keyboard(page):
    page.goto("/?lang=fr")
    select = page.get_by_label("Commencez par votre État ou votre organisation")
    select.focus()
    select.select_option(label="Allemagne")  # as typing the name in a focused list does
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Voir ce qui lui est demandé")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/id/state/germany\?lang=fr#applies$"))
