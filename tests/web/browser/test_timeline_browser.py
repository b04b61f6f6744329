"""The timeline in a real browser: filter by a source, then by an actor, with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_filter_the_timeline(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    entries = page.locator("li.timeline-entry")
    expect(entries.first).to_be_visible()
    everything = entries.count()
    page.get_by_label("Source").select_option(label="Stanley Foundation policy memo on UN–civil society cooperation under RtoP (2017)")
    page.get_by_role("button", name="Filter").press("Enter")
    expect(page).to_have_url(re.compile(r"source="))
    expect(entries.first).to_be_visible()
    assert 0 < entries.count() < everything
    expect(page.locator("li.timeline-entry time").first).to_have_text(re.compile(r"^20(05|1\d)"))
    page.get_by_role("link", name="show all").click()
    expect(entries).to_have_count(everything)
