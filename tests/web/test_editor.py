"""The query editor page and the example catalogue API."""

from __future__ import annotations

import json

import lxml.html
import pytest

from r2pkg.catalogue import load_catalogue


@pytest.fixture(scope="module")
def catalogue(settings):
    return load_catalogue(settings)


def editor_config(page: str) -> dict:
    return json.loads(lxml.html.fromstring(page).get_element_by_id("editor-config").text)


@pytest.mark.parametrize("path", ["/", "/query"])
def test_editor_page_lists_every_example(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    doc = lxml.html.fromstring(page)
    buttons = {button.get("data-name"): button.text_content().strip() for button in doc.xpath("//button[@data-name]")}
    assert buttons == {question.name: question.title for question in catalogue}
    questions = {p.get("id"): p.text_content().strip() for p in doc.xpath("//p[@class='question']")}
    assert all(questions[f"question-{q.name}"] == q.question for q in catalogue)
    scripts = [script.get("src").split("?v=")[0] for script in doc.xpath("//script[@src]")]  # fingerprinted
    assert "/static/vendor/yasgui/yasgui.min.js" in scripts
    assert "/static/vendor/chart.js/chart.umd.js" in scripts
    config = editor_config(page)
    assert config["endpoint"] == "/sparql"
    assert [entry["name"] for entry in config["catalogue"]] == [q.name for q in catalogue]


def test_editor_loads_nothing_from_other_sites(client):
    doc = lxml.html.fromstring(client.get("/query").get_data(as_text=True))
    urls = doc.xpath("//script/@src | //link/@href")
    assert urls and all(url.startswith("/") for url in urls)


@pytest.mark.parametrize("path", [
    "/static/vendor/yasgui/yasgui.min.js",
    "/static/vendor/yasgui/yasgui.min.css",
    "/static/vendor/chart.js/chart.umd.js",
    "/static/vendor/cytoscape/cytoscape.min.js",
    "/static/js/editor.js",
    "/static/css/editor.css",
])
def test_front_end_assets_are_served(client, path):
    """The npm build (make assets) copied the components into the package; the site serves them itself."""
    response = client.get(path)
    assert response.status_code == 200
    assert len(response.data) > 500
    response.close()


def test_vendored_css_fetches_nothing_remote(client):
    css = client.get("/static/vendor/yasgui/yasgui.min.css").get_data(as_text=True)
    assert "@import" not in css
    assert "url(http" not in css.replace(" ", "")


def test_example_parameter_preselects_an_entry(client, catalogue):
    name = catalogue[0].name
    assert editor_config(client.get(f"/query?example={name}").get_data(as_text=True))["example"] == name
    assert editor_config(client.get("/query?example=no-such-query").get_data(as_text=True))["example"] == ""


def test_query_parameter_fills_the_editor(client):
    text = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
    assert editor_config(client.get("/query", query_string={"query": text}).get_data(as_text=True))["initialQuery"] == text


def test_api_queries_has_every_catalogue_entry(client, catalogue, settings):
    response = client.get("/api/queries")
    assert response.status_code == 200
    assert response.is_json
    entries = {entry["name"]: entry for entry in response.get_json()}
    assert set(entries) == {path.stem for path in settings.queries_dir.glob("*.rq")}
    for question in catalogue:
        entry = entries[question.name]
        assert entry["title"] == question.title
        assert entry["question"] == question.question
        assert entry["columns"] == list(question.columns)
        assert entry["params"] == question.params
        assert entry["text"] == question.path.read_text(encoding="utf-8")
        if question.chart:
            assert entry["chart"] == {"kind": question.chart.kind, "label": question.chart.label_column,
                                      "value": question.chart.value_column}
            assert entry["chart"]["label"] in entry["columns"] and entry["chart"]["value"] in entry["columns"]
        else:
            assert entry["chart"] is None


def test_api_queries_fills_parameter_defaults(client, catalogue):
    from r2pkg.catalogue import term_syntax

    with_defaults = [q for q in catalogue if any(q.params.values())]
    assert with_defaults, "the catalogue has parameterised questions"
    entries = {entry["name"]: entry for entry in client.get("/api/queries").get_json()}
    for question in with_defaults:
        body = "\n".join(line for line in entries[question.name]["query"].splitlines() if not line.startswith("#"))
        for name, default in question.params.items():
            if default:
                assert term_syntax(default) in body
                assert f"${name}" not in body


def test_every_example_runs_on_the_backend(app, catalogue):
    """What the editor loads is what runs: each entry's query text answers on the app's backend."""
    from r2pkg.web import backend

    with app.app_context():
        client = app.test_client()
        entries = client.get("/api/queries").get_json()
        for entry in entries:
            result = backend().select(entry["query"])
            assert result.variables == entry["columns"], entry["name"]
