"""The statistics page: every number equals a count made independently, in Python, from plain SELECTs."""

from __future__ import annotations

import json
from collections import defaultdict

import lxml.html
import pytest

from r2pkg.web import resources

R2P = "https://w3id.org/r2pkg/ontology#"
PREFIXES = """PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


@pytest.fixture(scope="module")
def page(app):
    response = app.test_client().get("/stats")
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


@pytest.fixture(scope="module")
def select(app):
    backend = resources.backend(app)
    return lambda query: [{k: str(v) for k, v in row.items()} for row in backend.select(PREFIXES + query).rows]


def table(page, key: str) -> dict[str, int]:
    rows = page.xpath(f"//table[@data-figure='{key}']//tr[@data-iri]")
    numbers = {row.get("data-iri"): int(row.xpath("./td")[0].text_content()) for row in rows}
    assert len(numbers) == len(rows), "one row per IRI"
    return numbers


def most_specific(types_of: dict[str, set[str]], select) -> dict[str, set[str]]:
    """For each resource, its types that no other of its types is a strict subclass of."""
    sub_of = defaultdict(set)
    for row in select("SELECT ?sub ?sup WHERE { ?sub rdfs:subClassOf ?sup }"):
        if row["sub"] != row["sup"]:
            sub_of[row["sup"]].add(row["sub"])
    return {thing: {t for t in types if not (sub_of[t] & types)} for thing, types in types_of.items()}


def counts(pairs) -> dict[str, int]:
    seen = defaultdict(set)
    for recommendation, key in pairs:
        seen[key].add(recommendation)
    return {key: len(values) for key, values in seen.items()}


def recommendations(select) -> set[str]:
    return {row["r"] for row in select("SELECT ?r WHERE { ?r a r2p:Recommendation }")}


def test_recommendations_per_theme(page, select):
    recs = recommendations(select)
    pairs = [(row["r"], row["t"]) for row in select("SELECT ?r ?t WHERE { ?r r2p:hasTheme ?t }") if row["r"] in recs]
    expected = counts(pairs)
    assert expected
    assert table(page, "themes") == expected


def test_recommendations_per_addressee_category(page, select):
    recs = recommendations(select)
    categories = {row["c"] for row in select("SELECT ?c WHERE { ?c a r2p:ActorCategory }")}
    pairs = [(row["r"], row["a"]) for row in select("SELECT ?r ?a WHERE { ?r r2p:addressedTo ?a }")
             if row["r"] in recs and row["a"] in categories]
    expected = counts(pairs)
    assert expected
    assert table(page, "addressee-categories") == expected


def test_recommendations_per_addressee_type(page, select):
    recs = recommendations(select)
    addressed = [(row["r"], row["a"]) for row in select("SELECT ?r ?a WHERE { ?r r2p:addressedTo ?a }") if row["r"] in recs]
    types_of = defaultdict(set)
    for row in select("SELECT DISTINCT ?a ?t WHERE { ?r r2p:addressedTo ?a . ?a a ?t }"):
        if row["t"].startswith(R2P):
            types_of[row["a"]].add(row["t"])
    specific = most_specific(types_of, select)
    expected = counts((rec, t) for rec, addressee in addressed for t in specific.get(addressee, ()))
    assert R2P + "ActorCategory" in expected, "categories count as a type of their own"
    assert table(page, "addressee-types") == expected


def test_recommendations_per_source(page, select):
    """Counted through the attestation spans rather than the inferred r2p:statedIn the page uses."""
    recs = recommendations(select)
    sources = {row["d"] for row in select("SELECT ?d WHERE { ?d a r2p:SourceDocument }")}
    pairs = [(row["r"], row["d"]) for row in select("SELECT ?r ?d WHERE { ?r r2p:attestedBy ?span . ?span r2p:inDocument ?d }")
             if row["r"] in recs and row["d"] in sources]
    expected = {source: 0 for source in sources} | counts(pairs)
    assert sum(expected.values()) >= len(recs) > 0
    assert table(page, "sources") == expected


def test_actors_by_type(page, select):
    actor_classes = {row["c"] for row in select("SELECT ?c WHERE { ?c rdfs:subClassOf* r2p:Actor }")}
    types_of = defaultdict(set)
    for row in select("SELECT ?x ?t WHERE { ?x a ?t }"):
        if row["t"] in actor_classes:
            types_of[row["x"]].add(row["t"])
    expected = counts((actor, t) for actor, types in most_specific(types_of, select).items() for t in types)
    assert expected[R2P + "State"] > 0
    assert table(page, "actor-types") == expected


def test_total_recommendations(page, select):
    assert int(page.get_element_by_id("total-recommendations").text_content()) == len(recommendations(select))


def test_charts_show_the_table_numbers(page):
    data = json.loads(page.get_element_by_id("stats-data").text)
    assert [figure["key"] for figure in data] == ["addressee-types", "addressee-categories", "stated-addressees",
                                                  "interpreted-addressees", "pillars", "themes", "sources", "actor-types"]
    for figure in data:
        rows = page.xpath(f"//table[@data-figure='{figure['key']}']//tr[@data-iri]")
        assert figure["labels"] == [row.xpath("./th")[0].text_content().strip() for row in rows]
        assert figure["values"] == [int(row.xpath("./td")[0].text_content()) for row in rows]
        assert page.get_element_by_id(f"chart-{figure['key']}").get("role") == "img"
    assert "/static/vendor/chart.js/chart.umd.js" in [src.split("?")[0] for src in page.xpath("//script/@src")]


def test_table_links_open_the_filtered_recommendations(page):
    theme_links = page.xpath("//table[@data-figure='themes']//a/@href")
    assert theme_links and all(link.startswith("/recommendations?theme=https%3A%2F%2Fw3id.org%2Fr2pkg%2Fid%2Ftheme%2F")
                               for link in theme_links)


def test_stated_and_interpreted_addressees_are_counted_apart(page):
    """Per source: recommendations whose text names the addressee, and those with one read from context (the
    stanley-memo names it in 6 of its 16, the authors read one in 11: rec 03 has both)."""
    assert int(page.get_element_by_id("stated-recommendations").text) == 65
    assert int(page.get_element_by_id("interpreted-recommendations").text) == 81
    stanley = "https://w3id.org/r2pkg/id/document/stanley-memo-2017"
    for key, expected in (("stated-addressees", 6), ("interpreted-addressees", 11)):
        [row] = page.xpath(f"//table[@data-figure='{key}']//tr[@data-iri='{stanley}']")
        assert int(row.xpath("./td")[0].text_content()) == expected
    [link] = page.xpath(f"//table[@data-figure='interpreted-addressees']//tr[@data-iri='{stanley}']//a/@href")
    assert "interpreted=include" in link


def test_category_links_lead_to_a_non_empty_list(client, page):
    """Each row of "per addressee category" opens the browser filtered by that category, listing as many as it counts."""
    rows = page.xpath("//table[@data-figure='addressee-categories']//tr[@data-iri]")
    assert rows
    for row in rows:
        href = row.xpath(".//a/@href")[0]
        assert "category=" in href
        listing = client.get(href + "&format=json").get_json()
        assert len(listing) == int(row.xpath("./td")[0].text_content())


def listed_results(client, href: str) -> int:
    """How many things the list at `href` shows: the browser's results or an index page's rows (all its pages)."""
    response = client.get(href)
    assert response.status_code == 200, href
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    if href.startswith("/recommendations"):
        return len(tree.xpath('//ol[@class="results"]/li[@class="recommendation"]'))
    assert href.startswith("/browse/"), f"a link to something that is not a list: {href}"
    total = tree.xpath('string(//h1/span[contains(@class, "count")])').strip("() ")
    return int(total)


WIDER_LISTS = {"actor-types": "the index of a type keeps its subtypes too"}
"""Figures whose links open a list that holds what the row counts and more; the others list exactly what they count."""


def test_every_link_on_the_page_opens_a_non_empty_list(client, page):
    """Each row's link (and each table of contents entry) leads to a list of what it counts: the browser filtered by
    the row's addressee type, category, pillar, theme or source (and by a stated or read addressee), or the index of
    the actors of the row's type."""
    checked = 0
    for link in page.xpath("//main//a[@href]"):
        href = link.get("href")
        if href.startswith("#"):
            assert page.xpath(f"//section[@id='{href[1:]}']//table//tr[@data-iri]"), href
            continue
        if href == "/query":  # the editor, where each figure's query can be run
            continue
        row = link.xpath("ancestor::tr[@data-iri]")
        assert row, f"a link outside the figures' tables: {href}"
        count = int(row[0].xpath("./td")[0].text_content())
        found = listed_results(client, href)
        figure = link.xpath("ancestor::table/@data-figure")[0]
        assert found >= 1, href
        if figure in WIDER_LISTS:
            assert found >= count, href
        else:
            assert found == count, (figure, href)
        checked += 1
    figures = page.xpath("//table[@data-figure]")
    assert checked == len(page.xpath("//table[@data-figure]//tr[@data-iri]")) and len(figures) == 8
