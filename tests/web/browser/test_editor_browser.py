"""The query editor in a real browser: load an example from the catalogue, run it, read the results table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from r2pkg.catalogue import resolve

pytestmark = pytest.mark.browser


def test_example_loads_runs_and_shows_the_table(page, app, settings):
    question = resolve("states", settings)
    expected = app.extensions["r2pkg.backend"].select(question.bind()).rows
    assert any(str(row["state"]).endswith("/state/ghana") for row in expected)

    page.goto("/query")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    page.get_by_role("button", name=question.title, exact=True).click()

    expect(page.locator("#query-title")).to_have_text(question.title)
    table = page.locator("table.results-table")
    expect(table.locator("tbody tr")).to_have_count(len(expected))
    expect(page.locator("#results-status")).to_contain_text(f"{len(expected)} rows")
    headers = table.locator("thead th").all_inner_texts()
    assert headers == ["#", *question.columns]
    editor_text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "SELECT" in editor_text and question.title in editor_text

    ghana = table.locator("tbody tr", has=page.locator("a[href='/id/state/ghana']"))
    expect(ghana).to_have_count(1)
    expect(ghana.locator("td")).to_contain_text(["GH", "GHA"])
    assert re.search(r"[?&]example=states\b", page.url)

    csv = page.locator("#download-csv")
    assert csv.get_attribute("href").startswith("/sparql?query=")
    assert csv.get_attribute("href").endswith("&format=csv")
    response = page.request.get(csv.get_attribute("href"))
    assert response.ok
    assert len(response.text().strip().splitlines()) == len(expected) + 1


def test_entity_link_in_results_opens_the_page(page):
    page.goto("/query?example=states")
    link = page.locator("table.results-table a[href='/id/state/ghana']")
    link.click()
    expect(page).to_have_url(re.compile(r"/id/state/ghana$"))
    expect(page.locator("h1")).to_contain_text("Ghana")


def test_aggregate_example_has_a_chart(page, settings):
    question = resolve("recommendations-by-theme", settings)
    assert question.chart
    page.goto("/query")
    page.get_by_role("button", name=question.title, exact=True).click()
    expect(page.locator("table.results-table tbody tr").first).to_be_visible()
    page.locator("#view-chart").click()
    expect(page.locator("#results-chart")).to_be_visible()
    assert page.evaluate("Chart.getChart('results-chart').data.labels.length") > 1
    expect(page.locator("#view-chart")).to_have_attribute("aria-pressed", "true")


def test_syntax_error_is_shown(page):
    page.goto("/query")
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT WHERE { broken')")
    page.locator("#run-query").click()
    expect(page.locator("#results-error")).to_be_visible()
    expect(page.locator("#results-error")).to_contain_text("failed")


def test_truncated_results_are_announced(browser, small_limit_server):
    context = browser.new_context(base_url=small_limit_server)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/query?example=states")
        expect(page.locator("table.results-table tbody tr")).to_have_count(5)
        note = page.locator("#results-truncated")
        expect(note).to_be_visible()
        expect(note).to_contain_text("row limit")
    finally:
        context.close()


def test_untruncated_results_have_no_note(page):
    page.goto("/query?example=states")
    expect(page.locator("table.results-table tbody tr").first).to_be_visible()
    expect(page.locator("#results-truncated")).to_be_hidden()


def test_prefix_completion_knows_the_project_prefixes(page):
    """Typing an undeclared project prefix adds its PREFIX line, from the bundled list (no look-up on the internet)."""
    page.goto("/query")
    page.evaluate("""() => {
        const cm = document.querySelector('.CodeMirror').CodeMirror;
        cm.setValue('SELECT * WHERE {\\n  ?s a ');
        cm.focus();
        cm.setCursor(cm.lineCount(), 0);
    }""")
    page.keyboard.type("r2p:", delay=30)
    expect(page.locator(".CodeMirror-code")).to_contain_text("PREFIX r2p: <https://w3id.org/r2pkg/ontology#>")


def test_keyboard_gets_into_and_out_of_the_editor(page):
    """Tab indents inside the editor (no way out by Tab), so Escape must lead on to the Run button: no keyboard trap."""
    page.goto("/query")
    editor = page.locator(".yasqe .CodeMirror")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"  # still in the editor
    expect(page.locator(".yasqe .CodeMirror-focused")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("#run-query")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("table.results-table tbody tr").first).to_be_visible()
