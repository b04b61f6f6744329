"""The query editor in a real browser: examples, YASR results, the address, parameters, errors, history, short links."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from r2pkg.catalogue import load_catalogue, resolve
from r2pkg.web import resources

pytestmark = pytest.mark.browser

# Some catalogue questions take seconds on the worker processes of the test server (every UN member state in six
# languages): wait for answers as long as for pages. This is patience, not a measurement.
expect.set_options(timeout=20_000)

TABLE_ROWS = "#yasr table.dataTable tbody tr"


def editor_text(page) -> str:
    return page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")


def set_editor(page, text: str) -> None:
    page.evaluate("(text) => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", text)


def test_example_loads_runs_and_shows_the_table(page, app, settings):
    question = resolve("states", settings)
    expected = resources.backend(app).select(question.bind()).rows
    assert any(str(row["state"]).endswith("/state/ghana") for row in expected)

    page.goto("/query")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    page.get_by_role("button", name=question.title, exact=True).click()

    expect(page.locator("#query-title")).to_have_text(question.title)
    expect(page.locator("#results-status")).to_contain_text(f"Rows: {len(expected)}")
    headers = page.locator("#yasr table.dataTable thead th").all_inner_texts()
    assert [h.strip() for h in headers] == ["", *question.columns], "columns in the query's projection order"
    assert "SELECT" in editor_text(page) and question.title in editor_text(page)

    expect(page.locator(TABLE_ROWS)).to_have_count(min(50, len(expected)))
    page.locator("#yasr .tableFilter").press_sequentially("ghana")
    ghana = page.locator(TABLE_ROWS, has=page.locator("a[href='/id/state/ghana']"))
    expect(ghana).to_have_count(1)
    expect(ghana.locator("td")).to_contain_text(["GH", "GHA"])
    assert re.search(r"[?&]example=states\b", page.url)

    csv = page.locator("#download-csv")
    assert csv.get_attribute("href").startswith("/sparql?query=")
    assert csv.get_attribute("href").endswith("&format=csv")
    response = page.request.get(csv.get_attribute("href"))
    assert response.ok
    assert len(response.text().strip().splitlines()) == len(expected) + 1
    for fmt, media_type in [("tsv", "text/tab-separated-values"), ("json", "application/sparql-results+json"),
                            ("xml", "application/sparql-results+xml")]:
        answer = page.request.get(page.locator(f"#download-{fmt}").get_attribute("href"))
        assert answer.ok and answer.headers["content-type"].startswith(media_type)


def test_large_results_are_paged_sorted_and_filtered(page, app):
    """A big SELECT is paged by YASR's table (never all rows in the page), sortable and filterable."""
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 900"
    total = len(resources.backend(app).select(query).rows)
    assert total > 100, "enough rows for several pages"
    page.goto("/query?" + urlencode({"query": query}))
    expect(page.locator("#results-status")).to_contain_text(f"Rows: {total:,}")
    rows = page.locator(TABLE_ROWS)
    expect(rows).to_have_count(50)
    page.locator("#yasr .tableFilter").press_sequentially("ghana")
    expect(rows.first).to_contain_text("ghana")
    assert rows.count() < 50
    page.locator("#yasr .tableFilter").fill("")
    page.locator("#yasr .tableFilter").press("Backspace")
    expect(rows).to_have_count(50)
    header = page.locator("#yasr table.dataTable thead th").nth(2)
    header.click()
    expect(header).to_have_attribute("aria-sort", re.compile("ascending|descending"))
    cells = page.locator(f"{TABLE_ROWS} td:nth-child(3)").all_inner_texts()
    labels = [re.sub(r'"(@[\w-]+)?$', "", text.strip()).lstrip('"') for text in cells]
    # The table sorts as a person would (locale-aware: "Azerbaïdjan" next to "Azerbaijan"): compare letters and
    # digits without accents or case.
    keys = ["".join(c for c in unicodedata.normalize("NFKD", label) if c.isalnum()).casefold() for label in labels]
    assert keys == sorted(keys) or keys == sorted(keys, reverse=True)


def test_select_star_keeps_the_order_of_the_query(page):
    page.goto("/query?" + urlencode({"query": "SELECT * WHERE { ?zeta ?alpha ?mid } LIMIT 3"}))
    expect(page.locator(TABLE_ROWS)).to_have_count(3)
    headers = [h.strip() for h in page.locator("#yasr table.dataTable thead th").all_inner_texts()]
    assert headers == ["", "zeta", "alpha", "mid"]


def test_construct_reports_the_exact_statement_count(page, app):
    query = ("PREFIX r2p: <https://w3id.org/r2pkg/ontology#> CONSTRUCT { ?s a r2p:State . ?s a r2p:State } "
             "WHERE { ?s a r2p:State }")
    expected = len(resources.backend(app).select(
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> SELECT DISTINCT ?s WHERE { ?s a r2p:State }").rows)
    page.goto("/query")
    set_editor(page, query)
    page.locator("#run-query").click()
    expect(page.locator("#results-status")).to_contain_text(f"Statements: {expected:,}")
    turtle = page.request.get(page.locator("#download-ttl").get_attribute("href"))
    assert turtle.ok and turtle.headers["content-type"].startswith("text/turtle")
    assert page.request.get(page.locator("#download-nt").get_attribute("href")).text().count(" .\n") == expected


def test_entity_link_in_results_opens_the_page(page):
    page.goto("/query?example=states")
    page.locator("#yasr .tableFilter").press_sequentially("ghana")
    link = page.locator("#yasr table.dataTable a[href='/id/state/ghana']")
    link.click()
    expect(page).to_have_url(re.compile(r"/id/state/ghana$"))
    expect(page.locator("h1")).to_contain_text("Ghana")


def test_aggregate_example_has_a_chart(page, settings):
    question = resolve("recommendations-by-theme", settings)
    assert question.chart
    page.goto("/query")
    page.get_by_role("button", name=question.title, exact=True).click()
    expect(page.locator("#results-chart")).to_be_visible()
    assert page.evaluate("Chart.getChart('results-chart').data.labels.length") > 1
    assert page.evaluate("Chart.getChart('results-chart').config.type") == "bar"
    page.locator("#chart-kind").select_option("line")
    expect(page.locator("#results-chart")).to_be_visible()
    assert page.evaluate("Chart.getChart('results-chart').config.type") == "line"
    page.locator("#yasr .select_table").click()
    expect(page.locator(TABLE_ROWS).first).to_be_visible()


def test_syntax_error_names_line_and_column_and_marks_the_token(page):
    page.goto("/query")
    set_editor(page, "SELECT ?x WHERE {\n  ?x a foo:Bar }")
    page.locator("#run-query").click()
    error = page.locator("#results-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("line 2, column 8")
    expect(error).to_contain_text("prefix “foo:” is not declared")
    assert "\\u{" not in error.inner_text()
    expect(page.locator(".CodeMirror .syntax-error-token")).to_have_text("foo:Bar")


def test_the_address_follows_the_editor_and_a_shared_link_runs(page, browser, live_server):
    page.goto("/query")
    text = "SELECT ?s WHERE { ?s a <https://w3id.org/r2pkg/ontology#State> } LIMIT 4"
    set_editor(page, text)
    page.wait_for_function("(text) => new URL(location.href).searchParams.get('query') === text", arg=text)
    shared = page.url
    other = browser.new_context(base_url=live_server)
    try:
        tab = other.new_page()
        tab.goto(shared)
        expect(tab.locator(TABLE_ROWS)).to_have_count(4)
        assert tab.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") == text
        tab.reload()
        expect(tab.locator(TABLE_ROWS)).to_have_count(4)
    finally:
        other.close()


def test_parameter_form_fills_and_runs_the_example(page, app, settings):
    question = resolve("applies-to-actor", settings)
    name = "actor"  # the IRI parameter; the others (include_interpreted, max_specificity) keep their defaults
    page.goto("/query?example=applies-to-actor")
    picker = page.locator(f"#param-{name}")
    expect(picker).to_be_visible()
    expect(picker.locator("option[value='https://w3id.org/r2pkg/id/state/nigeria']")).to_have_count(1)
    expect(picker).to_have_value(question.params[name])
    picker.select_option("https://w3id.org/r2pkg/id/state/nigeria")
    nigeria = "https://w3id.org/r2pkg/id/state/nigeria"
    expected = resources.backend(app).select(question.bind({name: nigeria})).rows
    expect(page.locator("#results-status")).to_contain_text(f"Rows: {len(expected)}")
    assert f"<{nigeria}>" in editor_text(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["example"] == ["applies-to-actor"] and query[name] == [nigeria]
    page.reload()
    expect(page.locator(f"#param-{name}")).to_have_value(nigeria)
    expect(page.locator("#results-status")).to_contain_text(f"Rows: {len(expected)}")


def test_catalogue_is_grouped_by_topic_and_searchable(page, settings):
    catalogue = load_catalogue(settings)
    page.goto("/query")
    topics = page.locator(".catalogue-topic h3").all_inner_texts()
    assert len(topics) > 1
    assert page.locator(".catalogue-entry").count() == len(catalogue)
    page.locator("#catalogue-filter").fill("focal point")
    visible = page.locator(".catalogue-entry:visible")
    expect(visible.first).to_be_visible()
    names = visible.evaluate_all("items => items.map(item => item.dataset.name)")
    assert "focal-points" in names and len(names) < len(catalogue)
    page.locator("#catalogue-filter").fill("zzzqqq")
    expect(page.locator("#catalogue-none")).to_be_visible()


def test_the_catalogue_filter_finds_french_words(page):
    """On the French page the filter searches the French titles, questions and headings: "pilotage" (the Steering
    Group, groupe de pilotage) finds the two examples that speak of it, under their French heading."""
    page.goto("/query?lang=fr")
    expect(page.locator(".catalogue-topic h3").first).to_have_text("Recommandations")
    page.locator("#catalogue-filter").press_sequentially("pilotage")
    visible = page.locator(".catalogue-entry:visible")
    expect(visible).to_have_count(2)
    assert sorted(visible.evaluate_all("items => items.map(item => item.dataset.name)")) == [
        "global-network-members", "steering-group"]
    expect(page.locator(".catalogue-topic:visible h3")).to_have_text(["Acteurs, postes et réseaux"])
    expect(page.get_by_role("button", name="Le groupe de pilotage du Réseau mondial", exact=True)).to_be_visible()
    page.locator("#catalogue-filter").fill("steering")  # the English words are not on the French page
    expect(page.locator(".catalogue-entry:visible")).to_have_count(1)  # only by its name, steering-group


def test_history_keeps_queries_in_the_browser(page):
    page.goto("/query?example=states")
    expect(page.locator(TABLE_ROWS).first).to_be_visible()
    page.goto("/query")
    page.locator("#history summary").click()
    item = page.locator("#history-list .history-item").first
    expect(item).to_have_text("States with their codes and names")
    item.click()
    assert "r2p:State" in editor_text(page)


def test_short_link_opens_and_runs_the_same_query(page):
    page.goto("/query")
    text = "# a long question\nSELECT ?s WHERE { ?s a <https://w3id.org/r2pkg/ontology#State> } LIMIT 2"
    set_editor(page, text)
    page.locator("#share-query").click()
    link = page.locator("#share-link")
    expect(link).to_have_value(re.compile(r"/query\?s=[0-9a-f]{16}$"))
    first = link.input_value()
    page.locator("#share-query").click()
    expect(link).to_have_value(first)
    page.goto(first)
    expect(page.locator(TABLE_ROWS)).to_have_count(2)
    assert editor_text(page) == text


def test_truncated_results_are_announced(browser, small_limit_server):
    context = browser.new_context(base_url=small_limit_server)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/query?example=states")
        expect(page.locator(TABLE_ROWS)).to_have_count(5)
        note = page.locator("#results-truncated")
        expect(note).to_be_visible()
        expect(note).to_contain_text("row limit")
    finally:
        context.close()


def test_untruncated_results_have_no_note(page):
    page.goto("/query?example=states")
    expect(page.locator(TABLE_ROWS).first).to_be_visible()
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
    expect(page.locator(TABLE_ROWS).first).to_be_visible()


def run_text(page, text: str) -> None:
    page.goto("/query?" + urlencode({"query": text}))


R2P = "PREFIX r2p: <https://w3id.org/r2pkg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def test_values_per_state_open_on_a_world_map(page, app):
    query = R2P + "SELECT ?state (COUNT(DISTINCT ?rec) AS ?n) WHERE { ?rec r2p:appliesTo ?state . ?state a r2p:State } GROUP BY ?state"
    rows = resources.backend(app).select(query).rows
    counts = {str(row["state"]): int(row["n"]) for row in rows}
    run_text(page, query)
    expect(page.locator("#yasr .select_map")).to_have_class(re.compile(r"\bselected\b"))
    ghana = page.locator("#results-map path[data-iri='https://w3id.org/r2pkg/id/state/ghana']")
    expect(ghana).to_have_attribute("data-value", str(counts["https://w3id.org/r2pkg/id/state/ghana"]))
    coloured = int(page.locator("#results-map").get_attribute("data-coloured"))
    assert 0 < coloured <= len(counts)
    assert page.locator("#results-map path.has-value").count() >= coloured
    ghana.click()
    expect(page).to_have_url(re.compile(r"/id/state/ghana$"))


def test_iso_codes_colour_the_map_too(page):
    run_text(page, 'SELECT ?code ?value WHERE { VALUES (?code ?value) { ("GH" 3) ("NGA" 5) } }')
    expect(page.locator("#results-map")).to_have_attribute("data-coloured", "2")
    expect(page.locator("#results-map path[data-iri$='/state/nigeria']")).to_have_attribute("data-value", "5")
    page.locator("#yasr .select_table").click()
    expect(page.locator(TABLE_ROWS)).to_have_count(2)


def test_dated_rows_open_on_a_timeline(page, app):
    query = R2P + "SELECT ?event ?date ?label WHERE { ?event r2p:startDate ?date ; rdfs:label ?label }"
    rows = resources.backend(app).select(query).rows
    assert rows
    run_text(page, query)
    items = page.locator("#results-timeline .timeline-item time")
    expect(items).to_have_count(len(rows))
    dates = items.evaluate_all("times => times.map(t => t.dateTime)")
    assert dates == sorted(str(row["date"]) for row in rows)


def test_graph_answers_open_as_a_graph(page, app):
    query = "PREFIX org: <http://www.w3.org/ns/org#> CONSTRUCT { ?a org:memberOf ?b } WHERE { ?a org:memberOf ?b } LIMIT 40"
    graph = resources.backend(app).construct(query)
    nodes = {term for s, _, o in graph for term in (s, o)}
    run_text(page, query)
    view = page.locator("#results-graph-view")
    expect(view).to_have_attribute("data-edges", str(len(graph)))
    expect(view).to_have_attribute("data-nodes", str(len(nodes)))
    expect(view.locator("canvas").first).to_be_visible()
    page.locator("#yasr .select_table").click()
    expect(page.locator(TABLE_ROWS).first).to_be_visible()


def test_the_editor_and_its_results_speak_french(page, app):
    """YASGUI's buttons, the table's controls, sorting and paging, the status line and dates, all in French."""
    query = R2P + "SELECT ?event ?date WHERE { ?event r2p:startDate ?date } ORDER BY ?date"
    rows = resources.backend(app).select(query).rows
    assert rows
    page.goto("/query?" + urlencode({"lang": "fr", "query": query}))
    status = page.locator("#results-status")
    expect(status).to_contain_text(f"Lignes : {len(rows)}")
    first = str(rows[0]["date"])
    expect(page.locator("#results-timeline time").first).to_have_text(format_date(date.fromisoformat(first), "long", locale="fr"))
    expect(page.locator("#yasr .select_timeline")).to_have_attribute("aria-label", "Afficher la vue : Chronologie")
    page.locator("#yasr .select_table").click()
    expect(page.get_by_placeholder("Filtrer les résultats")).to_be_visible()
    expect(page.locator("#yasr .tableControls")).to_contain_text("Vue simple")
    expect(page.locator("#yasr .tableControls")).to_contain_text("Lignes par page :")
    expect(page.locator("#yasr .select_table")).to_have_attribute("title", "Tableau")
    expect(page.locator("#yasr thead [aria-label='date: activer pour trier']")).to_have_count(1)
    expect(page.locator("#yasr [aria-label='Page suivante']")).to_have_count(1)
    expect(page.locator(".yasqe_share")).to_have_attribute("title", "Partager la requête")
    chrome = page.evaluate("""() => [...document.querySelectorAll('#yasr .yasr_header *, #yasr .dt-paging *, .yasqe_buttons *')]
        .flatMap((e) => [e.getAttribute('title'), e.getAttribute('aria-label'), e.getAttribute('placeholder'),
                         ...[...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.nodeValue.trim())])
        .filter(Boolean)""")
    english = {"Table", "Response", "Simple view", "Ellipse", "Page size:", "Filter query results", "Download result",
               "Share query", "Run query", "Next", "Previous"}
    assert chrome and not english & set(chrome), sorted(english & set(chrome))


def test_the_editor_speaks_arabic_right_to_left(page, app):
    query = R2P + "SELECT ?state WHERE { ?state a r2p:State } LIMIT 7"
    page.goto("/query?" + urlencode({"lang": "ar", "query": query}))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#results-status")).to_contain_text("الصفوف: 7")
    expect(page.locator("#yasr .select_table")).to_have_attribute("title", "جدول")
    set_editor(page, "SELECT * WHERE { ?s ?p }")
    page.locator("#run-query").click()
    expect(page.locator("#results-status")).to_have_text("فشل الاستعلام.")


def test_the_results_map_names_states_in_the_page_language(page):
    page.goto("/query?" + urlencode({"lang": "fr", "query": 'SELECT ?code ?value WHERE { VALUES (?code ?value) { ("DE" 5) } }'}))
    germany = page.locator("#results-map path[data-iri$='/state/germany']")
    expect(germany).to_have_attribute("data-value", "5")
    expect(germany.locator("title")).to_have_text("Allemagne: 5")
    expect(page.locator("#results-map figcaption")).to_contain_text("États colorés : 1")


def test_parameter_choices_are_named_in_the_page_language(page):
    page.goto("/query?lang=fr&example=applies-to-actor")
    choice = page.locator("#param-actor")
    expect(choice.locator("option[value='https://w3id.org/r2pkg/id/state/germany']")).to_have_text("Allemagne")
    expect(choice).to_have_value("https://w3id.org/r2pkg/id/state/ghana")
