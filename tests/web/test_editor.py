"""The query editor page and the example catalogue API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from r2pkg.catalogue import load_catalogue
from r2pkg.web import resources
from r2pkg.web.collation import text_key


@pytest.fixture(scope="module")
def catalogue(settings):
    return load_catalogue(settings)


def editor_config(page: str) -> dict:
    return json.loads(lxml.html.fromstring(page).get_element_by_id("editor-config").text)


def test_editor_page_lists_every_example(client, catalogue):
    response = client.get("/query")
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


def test_catalogue_entries_carry_topic_and_parameter_kinds(client, catalogue):
    from r2pkg.catalogue import OTHER_TOPIC

    entries = {entry["name"]: entry for entry in client.get("/api/queries").get_json()}
    assert len({entry["topic"] for entry in entries.values()} - {OTHER_TOPIC}) > 1
    for question in catalogue:
        assert entries[question.name]["topic"] == question.topic
    assert entries["applies-to-actor"]["param_kinds"] == {"actor": "state", "include_interpreted": None, "max_specificity": None}


def test_editor_groups_examples_by_topic(client, catalogue):
    doc = lxml.html.fromstring(client.get("/query").get_data(as_text=True))
    sections = doc.xpath("//section[@class='catalogue-topic']")
    by_topic = {s.find("h3").text_content(): [li.get("data-name") for li in s.xpath(".//li")] for s in sections}
    assert sorted(name for names in by_topic.values() for name in names) == sorted(q.name for q in catalogue)
    for question in catalogue:
        assert question.name in by_topic[question.topic]


def test_example_address_with_parameters_fills_the_query(client):
    config = editor_config(client.get("/query?example=applies-to-actor&actor=state:nigeria").get_data(as_text=True))
    assert config["example"] == "applies-to-actor" and config["run"] is True
    assert config["values"] == {"actor": "state:nigeria"}
    assert "<https://w3id.org/r2pkg/id/state/nigeria>" in config["initialQuery"]
    bad = client.get("/query?example=applies-to-actor&actor=nigeria").get_data(as_text=True)
    assert "wants an IRI" in lxml.html.fromstring(bad).get_element_by_id("load-error").text_content()


def test_a_plain_visit_runs_nothing_and_a_query_address_runs(client):
    assert editor_config(client.get("/query").get_data(as_text=True))["run"] is False
    assert editor_config(client.get("/query?query=ASK{}").get_data(as_text=True))["run"] is True


def test_choices_list_every_entity_of_a_kind(client, app):
    states = client.get("/api/choices/state").get_json()
    expected = resources.backend(app).select(
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> SELECT DISTINCT ?s WHERE { ?s a r2p:State }").rows
    assert {item["iri"] for item in states} == {str(row["s"]) for row in expected}
    assert {"iri": "https://w3id.org/r2pkg/id/state/ghana", "label": "Ghana"} in states
    labels = [item["label"] for item in states]
    assert labels == sorted(labels, key=text_key)
    assert client.get("/api/choices/no-such-kind").get_json() == []


@pytest.mark.parametrize("lang, germany", [("fr", "Allemagne"), ("ar", "ألمانيا"), ("zh", "德国")])
def test_choices_are_named_and_sorted_in_the_page_language(client, lang, germany):
    response = client.get(f"/api/choices/state?lang={lang}")
    states = response.get_json()
    assert {"iri": "https://w3id.org/r2pkg/id/state/germany", "label": germany} in states
    labels = [item["label"] for item in states]
    assert labels == sorted(labels, key=text_key) and len(labels) == 195
    if lang == "fr":
        assert labels.index("Égypte") < labels.index("Espagne") < labels.index("Zimbabwe")
    english = client.get("/api/choices/state", headers={"Accept-Language": lang})
    assert english.get_json() == states and "Accept-Language" in english.headers["Vary"]


def test_short_links_are_content_addressed(client, settings):
    text = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    first = client.post("/api/short-links", json={"query": text})
    assert first.status_code == 201
    identifier = first.get_json()["id"]
    assert first.get_json()["url"].endswith(f"/query?s={identifier}")
    assert client.post("/api/short-links", data={"query": text}).get_json()["id"] == identifier
    assert client.post("/api/short-links", json={"query": text + " "}).get_json()["id"] != identifier
    stored = settings.output_dir / "state" / "short-links" / f"{identifier}.rq"
    assert stored.read_text(encoding="utf-8") == text
    assert client.get(f"/api/short-links/{identifier}").get_data(as_text=True) == text
    config = editor_config(client.get(f"/query?s={identifier}").get_data(as_text=True))
    assert config["initialQuery"] == text and config["run"] is True


def test_short_links_refuse_empty_huge_and_unknown(client):
    from r2pkg.shortlinks import MAX_BYTES

    assert client.post("/api/short-links", json={"query": "  "}).status_code == 400
    assert client.post("/api/short-links", json={}).status_code == 400
    assert client.post("/api/short-links", json={"query": "#" * (MAX_BYTES + 1)}).status_code == 413
    assert client.get("/api/short-links/0123456789abcdef", headers={"Accept": "application/json"}).status_code == 404
    assert client.get("/api/short-links/../../etc", headers={"Accept": "application/json"}).status_code == 404
    page = client.get("/query?s=0123456789abcdef").get_data(as_text=True)
    assert "short link does not work" in page


@pytest.mark.parametrize("query, line, column, token, words", [
    ("SELECT ?x WHERE {\n  ?x a foo:Bar }", 2, 8, "foo:Bar", "prefix “foo:” is not declared"),
    ("SELECT ?x WHERE { ?x ?p }", 1, 26, "", "expected"),
])
def test_syntax_errors_are_readable(client, query, line, column, token, words):
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert f"line {line}, column {column}" in text and words in text
    assert (f"“{token}”" in text) if token else "end of the query" in text
    assert "\\u{" not in text and "['" not in text
    assert response.headers["X-R2PKG-Error-Line"] == str(line)
    assert response.headers["X-R2PKG-Error-Column"] == str(column)


def test_select_star_columns_follow_the_query(client):
    response = client.post("/sparql", data={"query": "SELECT * WHERE { ?zeta ?alpha ?mid } LIMIT 1"},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.get_json()["head"]["vars"] == ["zeta", "alpha", "mid"]
    explicit = client.post("/sparql", data={"query": "SELECT ?mid ?zeta WHERE { ?zeta ?alpha ?mid } LIMIT 1"},
                           headers={"Accept": "application/sparql-results+json"})
    assert explicit.get_json()["head"]["vars"] == ["mid", "zeta"]


def test_graph_answers_count_distinct_statements(client, app):
    query = ("PREFIX r2p: <https://w3id.org/r2pkg/ontology#> CONSTRUCT { ?s a r2p:State } "
             "WHERE { ?s a r2p:State ; ?p ?o }")
    states = resources.backend(app).select(
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> SELECT DISTINCT ?s WHERE { ?s a r2p:State }").rows
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.headers["X-R2PKG-Statements"] == str(len(states))
    assert len(response.get_data(as_text=True).strip().splitlines()) == len(states)


def test_countries_give_every_state_its_iso_codes(client, app):
    countries = client.get("/api/countries").get_json()
    ghana = next(item for item in countries if item["iri"] == "https://w3id.org/r2pkg/id/state/ghana")
    assert (ghana["alpha2"], ghana["alpha3"], ghana["numeric"]) == ("GH", "GHA", "288")
    germany = next(item for item in countries if item["alpha2"] == "DE")
    assert germany["names"] == {"ar": "ألمانيا", "en": "Germany", "es": "Alemania", "fr": "Allemagne", "ru": "Германия",
                                "zh": "德国"}
    states = resources.backend(app).select(
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> SELECT DISTINCT ?s WHERE { ?s r2p:iso3166Numeric ?n }").rows
    assert len(countries) == len(states)


def test_world_geometry_is_bundled(client):
    response = client.get("/static/vendor/world-atlas/countries-110m.json")
    assert response.status_code == 200 and response.get_json()["type"] == "Topology"
    assert client.get("/static/vendor/topojson-client/topojson-client.min.js").status_code == 200


# --- the scripts' words in the page's language ----------------------------------------------------------------------

SCRIPTS = Path(resources.__file__).parent / "static" / "js"
ASKED = re.compile(r'W\.(?:word|format)\("((?:[^"\\]|\\.)*)"')


def script_messages() -> set[str]:
    """Every English message the editor's scripts ask words.js for, and YASGUI's own words they swap."""
    found = set()
    for path in SCRIPTS.glob("*.js"):
        found |= {json.loads(f'"{message}"') for message in ASKED.findall(path.read_text(encoding="utf-8"))}
    yasgui = (SCRIPTS / "yasgui-language.js").read_text(encoding="utf-8")
    fixed = re.search(r"const FIXED = new Set\(\[(.*?)\]\);", yasgui, re.S).group(1)
    found |= set(json.loads("[" + fixed.strip().rstrip(",") + "]"))
    found |= set(re.findall(r'\[/\^.*?\$/, "([^"]+)"\]', yasgui))
    return found


def page_words(page: str) -> dict:
    return json.loads(lxml.html.fromstring(page).get_element_by_id("page-words").text)


@pytest.mark.parametrize("lang, words", [
    ("fr", {"Running…": "Exécution…", "Table": "Tableau", "Rows: %(count)s": "Lignes : %(count)s",
            "Filter query results": "Filtrer les résultats"}),
    ("ar", {"The query failed.": "فشل الاستعلام.", "Rows: %(count)s": "الصفوف: %(count)s"}),
    ("en", {"Running…": "Running…", "Table": "Table"}),
])
def test_the_editor_page_gives_its_scripts_every_word_in_its_language(client, lang, words):
    """A message a script shows must reach it from the page, translated (the catalogue test checks every language)."""
    given = page_words(client.get(f"/query?lang={lang}").get_data(as_text=True))
    needed = script_messages()
    assert len(needed) > 45 and "Running…" in needed and "Simple view" in needed and "Show the view: %(view)s" in needed
    assert sorted(needed - set(given)) == []
    assert {message: given[message] for message in words} == words


def test_a_broken_short_link_is_explained_in_the_page_language(client):
    doc = lxml.html.fromstring(client.get("/query?lang=fr&s=zzzz").get_data(as_text=True))
    assert doc.get_element_by_id("load-error").text_content().startswith("Ce lien court ne fonctionne pas : ")


# --- the catalogue in the page's language --------------------------------------------------------------------------


FOCAL_POINTS = {  # queries/focal-points.rq in the catalogues of fr and ar: title, question, topic heading
    "fr": ("Points focaux R2P et leurs titulaires",
           "Quels États et organisations ont un point focal R2P, et qui l'occupe selon les sources ?",
           "Acteurs, postes et réseaux"),
    "ar": ("منسقو الاتصال لمسؤولية الحماية وشاغلو هذه المناصب",
           "ما الدول والمنظمات التي لديها منسق اتصال لمسؤولية الحماية، ومن يشغل هذا المنصب وفقًا للمصادر؟",
           "الجهات الفاعلة والمناصب والشبكات"),
}


@pytest.mark.parametrize("lang", sorted(FOCAL_POINTS))
def test_the_examples_speak_the_page_language(client, catalogue, lang):
    """Title, question and topic heading of an example are in the page's language, in the HTML and in the config the
    editor's script reads (its filter searches those words); the query text stays as the .rq file has it."""
    title, question, topic = FOCAL_POINTS[lang]
    page = client.get(f"/query?lang={lang}").get_data(as_text=True)
    doc = lxml.html.fromstring(page)
    assert doc.get("lang") == lang
    assert doc.xpath("string(//button[@data-name='focal-points'])").strip() == title
    assert doc.get_element_by_id("question-focal-points").text_content().strip() == question
    section = doc.xpath("//section[@class='catalogue-topic'][.//li[@data-name='focal-points']]")[0]
    assert section.find("h3").text_content() == topic and section.get("aria-label") == topic
    entry = next(e for e in editor_config(page)["catalogue"] if e["name"] == "focal-points")
    assert (entry["title"], entry["question"], entry["topic"]) == (title, question, topic)
    english = next(q for q in catalogue if q.name == "focal-points")
    assert entry["text"] == english.path.read_text(encoding="utf-8")
    shown = {text.strip() for text in doc.xpath("//div[@id='catalogue-list']//text()")}
    assert not shown & {words for q in catalogue for words in (q.title, q.question, q.topic)}, "English left over"


def test_the_catalogue_api_is_english_unless_the_address_asks(client, catalogue):
    """Programs get the same English catalogue whatever their Accept-Language or cookie; ?lang= translates the
    shown words only."""
    english = {q.name: (q.title, q.question, q.topic) for q in catalogue}
    client.set_cookie("lang", "fr")
    try:
        response = client.get("/api/queries", headers={"Accept-Language": "ar"})
    finally:
        client.delete_cookie("lang")
    assert response.headers["Content-Language"] == "en"
    assert {e["name"]: (e["title"], e["question"], e["topic"]) for e in response.get_json()} == english
    french = client.get("/api/queries?lang=fr")
    assert french.headers["Content-Language"] == "fr"
    entries = {e["name"]: e for e in french.get_json()}
    assert (entries["focal-points"]["title"], entries["focal-points"]["question"],
            entries["focal-points"]["topic"]) == FOCAL_POINTS["fr"]
    plain = {e["name"]: e for e in client.get("/api/queries").get_json()}
    assert all(entries[name]["query"] == plain[name]["query"] and entries[name]["columns"] == plain[name]["columns"]
               for name in plain)
    assert client.get("/api/queries?lang=<fr>").status_code == 400
