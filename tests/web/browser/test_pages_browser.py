"""Browsing in a real browser: filter the recommendations by a facet, follow a recommendation to its addressee."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import expect

from r2pkg.web import resources

pytestmark = pytest.mark.browser

BASE = "https://w3id.org/r2pkg/"


def recommendation_links(page) -> set[str]:
    return {urlsplit(href).path for href in page.locator("ol.results li.recommendation a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))") if "/id/recommendation/" in href}


def test_theme_facet_filters_the_list(page, app):
    page.goto("/recommendations")
    items = page.locator("ol.results li.recommendation")
    expect(items.first).to_be_visible()
    everything = items.count()

    facet = page.locator("nav.facets section").filter(has=page.locator("h2", has_text=re.compile("theme", re.I)))
    expect(facet).to_have_count(1)
    link = facet.locator("a").first
    link.click()
    expect(page).to_have_url(re.compile(r"[?&]theme="))
    theme = parse_qs(urlsplit(page.url).query)["theme"][0]
    expect(items.first).to_be_visible()

    expected = {
        "/" + str(row["r"])[len(BASE):]
        for row in resources.backend(app).select(
            f"SELECT ?r WHERE {{ ?r a <{BASE}ontology#Recommendation> ; <{BASE}ontology#hasTheme> <{theme}> }}").rows
    }
    assert 0 < len(expected) < everything
    expect(items).to_have_count(len(expected))
    assert recommendation_links(page) == expected


def test_recommendation_links_to_its_addressee(page, app):
    row = resources.backend(app).select(f"""
        SELECT ?r ?a WHERE {{ ?r a <{BASE}ontology#Recommendation> ; <{BASE}ontology#addressedTo> ?a .
          FILTER(STRSTARTS(STR(?a), "{BASE}id/")) }} ORDER BY ?r ?a LIMIT 1""").rows[0]
    recommendation, addressee = str(row["r"]), str(row["a"])
    page.goto("/" + recommendation[len(BASE):])
    link = page.locator(f"section#addressees a[href='/{addressee[len(BASE):]}']")
    expect(link.first).to_be_visible()
    link.first.click()
    expect(page).to_have_url(re.compile(re.escape("/" + addressee[len(BASE):]) + "$"))
    expect(page.locator("h1")).not_to_be_empty()
    assert unquote(urlsplit(page.url).path) == "/" + addressee[len(BASE):]
