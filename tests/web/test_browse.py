"""Index pages and the faceted recommendations browser, checked against the data files read independently with rdflib."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import lxml.html
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

ID = "https://w3id.org/r2pkg/id/"
R2P = Namespace("https://w3id.org/r2pkg/ontology#")
KINDS = ["states", "organisations", "networks", "posts", "people", "tools", "commitments", "events", "situations",
         "recommendations"]


@pytest.fixture(scope="module")
def data(settings) -> Graph:
    """The asserted data as written in data/, parsed by rdflib (not through the app or the store)."""
    graph = Graph()
    for path in sorted(settings.data_dir.rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def recommendations_in(data: Graph) -> set[URIRef]:
    return set(data.subjects(RDF.type, R2P.Recommendation)) | set(data.subjects(RDF.type, R2P.SuggestedAction))


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return lxml.html.fromstring(response.get_data(as_text=True))


def path(iri) -> str:
    return "/" + str(iri).split("https://w3id.org/r2pkg/", 1)[1]


def listed(client, query: dict | list) -> set[str]:
    tree = html(client, "/recommendations?" + urlencode(query))
    return set(tree.xpath('//ol[@class="results"]/li[@class="recommendation"]/a/@href'))


# --- index pages ---------------------------------------------------------------------------------------------


def test_overview_lists_every_kind_with_its_count(client, data):
    tree = html(client, "/browse")
    links = tree.xpath('//ul[@class="kind-list"]//a/@href')
    assert links == [f"/browse/{kind}" for kind in KINDS]
    count = tree.xpath('string(//li[@id="kind-states"]/span[@class="count"])')
    assert int(count) == len(set(data.subjects(RDF.type, R2P.State)))
    count = tree.xpath('string(//li[@id="kind-recommendations"]/span[@class="count"])')
    assert int(count) == len(recommendations_in(data))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_page_lists_entities_linked_to_their_pages(client, kind):
    tree = html(client, f"/browse/{kind}")
    links = tree.xpath('//table[@class="index-table"]/tbody/tr/td[1]/a/@href')
    assert links, kind
    assert all(link.startswith("/id/") for link in links)
    assert client.get(links[0]).status_code == 200


def test_states_index_shows_codes_and_every_state(client, data):
    tree = html(client, "/browse/states")
    rows = {tr.xpath("string(td[1]/a/@href)"): tr.xpath("string(td[3])").strip() for tr in tree.xpath("//tbody/tr")}
    assert set(rows) == {path(s) for s in data.subjects(RDF.type, R2P.State)}
    assert rows["/id/state/ghana"] == "GHA" and rows["/id/state/south-sudan"] == "SSD"


def test_people_index_shows_posts(client):
    tree = html(client, "/browse/people")
    row = tree.xpath('//tbody/tr[td[1]/a/@href="/id/person/edward-luck"]')[0]
    assert row.xpath("td[3]//a/@href") == ["/id/post/un-special-adviser-r2p"]


def test_recommendations_index_pages_through_every_recommendation(client, data):
    expected = {path(r) for r in recommendations_in(data)}
    assert len(expected) > 50
    first = html(client, "/browse/recommendations")
    second = html(client, "/browse/recommendations?page=2")
    page1 = first.xpath("//tbody/tr/td[1]/a/@href")
    page2 = second.xpath("//tbody/tr/td[1]/a/@href")
    assert len(page1) == 50
    assert set(page1).isdisjoint(page2)
    if len(expected) <= 100:
        assert set(page1) | set(page2) == expected
    assert first.xpath('//nav[@class="pager"]/a[@rel="next"]/@href')[0].endswith("page=2")
    assert client.get("/browse/recommendations?page=99").status_code == 404


def test_sorting_by_label_and_by_count(client):
    ascending = html(client, "/browse/states?sort=label&order=asc")
    descending = html(client, "/browse/states?sort=label&order=desc")
    names_up = [a.text_content().strip() for a in ascending.xpath("//tbody/tr/td[1]/a")]
    names_down = [a.text_content().strip() for a in descending.xpath("//tbody/tr/td[1]/a")]
    assert names_up == sorted(names_up, key=str.casefold) and names_down == list(reversed(names_up))

    by_count = html(client, "/browse/tools?sort=recommendations&order=desc")
    counts = [int(td.text_content()) for td in by_count.xpath('//tbody/tr/td[@class="num"]')]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    header = by_count.xpath('//th[@aria-sort]')[0]
    assert header.get("aria-sort") == "descending" and "Recommendations" in header.text_content()


@pytest.mark.parametrize("query", ["sort=bogus", "order=up", "page=0", "page=two"])
def test_bad_index_parameters_are_400(client, query):
    response = client.get(f"/browse/states?{query}")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_unknown_kind_is_404(client):
    assert client.get("/browse/unicorns").status_code == 404


# --- the recommendations browser ------------------------------------------------------------------------------


def test_unfiltered_browser_lists_every_recommendation_with_facets(client, data):
    tree = html(client, "/recommendations")
    assert set(tree.xpath('//ol[@class="results"]/li[@class="recommendation"]/a/@href')) == {
        path(r) for r in recommendations_in(data)}
    titles = tree.xpath('//nav[@class="facets"]/section/h2/text()')
    assert titles == ["Addressee", "Addressee category", "Mechanism", "Theme", "Pillar", "Source", "Event"]


FACET_CASES = [
    ("addressee", ID + "organisation/ohchr", R2P.addressedTo),
    ("addressee", ID + "post/un-secretary-general", R2P.addressedTo),
    ("category", ID + "category/special-political-missions", R2P.addressedTo),
    ("mechanism", ID + "mechanism/framework-of-analysis", R2P.concernsMechanism),
    ("theme", ID + "theme/training", R2P.hasTheme),
    ("pillar", ID + "pillar/pillar-3", R2P.relatesToPillar),
    ("event", ID + "event/un-perspectives-2016-workshop", R2P.issuedAt),
]


@pytest.mark.parametrize(("facet", "value", "prop"), FACET_CASES)
def test_each_facet_narrows_to_exactly_what_the_data_says(client, data, facet, value, prop):
    expected = {path(r) for r in data.subjects(prop, URIRef(value)) if r in recommendations_in(data)}
    assert expected
    assert listed(client, {facet: value}) == expected


def test_facet_filters_concrete_recommendations(client):
    assert listed(client, {"addressee": ID + "organisation/ohchr"}) >= {
        "/id/recommendation/un-perspectives-2016-04", "/id/recommendation/un-perspectives-2016-14"}
    assert listed(client, {"pillar": ID + "pillar/pillar-3"}) >= {
        "/id/recommendation/un-perspectives-2016-08", "/id/recommendation/un-perspectives-2016-17",
        "/id/recommendation/un-perspectives-2016-18"}


def test_source_facet_follows_the_spans(client, data):
    doc = URIRef(ID + "document/icrtop-cso-tool")
    expected = {path(r) for r in recommendations_in(data)
                if any(data.value(span, R2P.inDocument) == doc for span in data.objects(r, R2P.attestedBy))}
    assert "/id/recommendation/icrtop-cso-tool-14" in expected
    assert listed(client, {"source": str(doc)}) == expected


def test_facets_combine_with_and_and_values_within_a_facet_with_or(client, data):
    recs = recommendations_in(data)
    training = {r for r in data.subjects(R2P.hasTheme, URIRef(ID + "theme/training")) if r in recs}
    leadership = {r for r in data.subjects(R2P.hasTheme, URIRef(ID + "theme/leadership")) if r in recs}
    un = {r for r in data.subjects(R2P.addressedTo, URIRef(ID + "organisation/united-nations")) if r in recs}
    both = listed(client, [("theme", ID + "theme/training"), ("addressee", ID + "organisation/united-nations")])
    assert both == {path(r) for r in training & un}
    assert "/id/recommendation/un-perspectives-2016-15" in both
    either = listed(client, [("theme", ID + "theme/training"), ("theme", ID + "theme/leadership")])
    assert either == {path(r) for r in training | leadership}


def test_facet_counts_match_the_lists_their_links_give(client):
    tree = html(client, "/recommendations?theme=" + ID + "theme/early-warning")
    entries = tree.xpath('//section[@id="facet-addressee"]//li')
    assert entries
    for li in entries[:5]:
        href = li.xpath("a/@href")[0]
        count = int(li.xpath('string(span[@class="facet-count"])'))
        shown = html(client, href).xpath('//ol[@class="results"]/li')
        assert len(shown) == count, href
    selected = tree.xpath('//section[@id="facet-theme"]//li[@class="selected"]/a')
    assert len(selected) == 1 and selected[0].get("href") == "/recommendations"


def test_filtered_list_downloads_as_csv_and_json(client, data):
    query = {"mechanism": ID + "mechanism/framework-of-analysis"}
    expected = {ID + path(r)[4:] for r in data.subjects(R2P.concernsMechanism, URIRef(query["mechanism"]))
                if r in recommendations_in(data)}
    tree = html(client, "/recommendations?" + urlencode(query))
    csv_href = tree.xpath('//a[text()="CSV"]/@href')[0]
    json_href = tree.xpath('//a[text()="JSON"]/@href')[0]

    response = client.get(csv_href)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {row["iri"] for row in rows} == expected
    row = next(r for r in rows if r["iri"] == ID + "recommendation/un-perspectives-2016-15")
    assert row["label"] == "Mainstream the Framework of Analysis into peacekeeper training"
    assert row["addressee_iri"] == ID + "organisation/united-nations"
    assert set(row["mechanism_iri"].split()) == {ID + "mechanism/framework-of-analysis", ID + "mechanism/poc-agenda"}

    response = client.get(json_href)
    assert response.status_code == 200 and response.mimetype == "application/json"
    records = response.get_json()
    assert {r["iri"] for r in records} == expected
    record = next(r for r in records if r["iri"] == ID + "recommendation/un-perspectives-2016-15")
    assert record["addressee"] == [{"iri": ID + "organisation/united-nations", "label": "United Nations"}]
    assert record["url"].endswith("/id/recommendation/un-perspectives-2016-15")


@pytest.mark.parametrize("query", ["theme=not-an-iri", "format=xml", "addressee=javascript:alert(1)"])
def test_bad_browser_parameters_are_400(client, query):
    response = client.get(f"/recommendations?{query}")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_value_no_recommendation_has_gives_an_empty_list(client):
    tree = html(client, "/recommendations?theme=" + ID + "theme/no-such-theme")
    assert tree.xpath('//ol[@class="results"]') == []
    assert "No recommendation matches" in tree.text_content()
