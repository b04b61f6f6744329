"""Pages and endpoint over the tiny project (tests/data/tiny), built by the real pipeline: answers counted by hand.

The tiny data: rec:tiny-source-01 is addressed to the Test Union and interpreted as meant for Testland;
rec:tiny-source-02 is addressed to a category covering every state (applies to Testland at rank 3);
rec:tiny-source-03 is addressed to the Test Network, of which Testland is a member (rank 2).
"""

from __future__ import annotations

import csv
import io

import lxml.html
import pytest
import requests

PREFIXES = "PREFIX r2p: <https://w3id.org/r2pkg/ontology#>\nPREFIX state: <https://w3id.org/r2pkg/id/state/>\n"
ID = "https://w3id.org/r2pkg/id/"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return lxml.html.fromstring(response.get_data(as_text=True))


def entries(tree, section) -> list[tuple[str, bool, str]]:
    """(link, interpreted badge shown, text) of each entry of a page section, in page order."""
    return [(li.xpath("string(a[1]/@href)"), bool(li.xpath('span[contains(@class, "interpreted-badge")]')),
             " ".join(li.text_content().split()))
            for li in tree.xpath(f'//section[@id="{section}"]//li')]


def applies(tree) -> list[tuple[int, str, str, bool]]:
    """(rank, recommendation, addressee it goes through, interpreted) per row of an actor's 'applies' table."""
    return [(int(tr.xpath("string(td[1])")), tr.xpath("string(td[2]/a/@href)"), tr.xpath("string(td[4]/a/@href)"),
             "interpreted" in tr.get("class", "").split())
            for tr in tree.xpath('//section[@id="applies"]//tbody/tr')]


# --- entity pages ---------------------------------------------------------------------------------------------------


def test_recommendation_page_keeps_the_stated_and_the_interpreted_addressee_apart(tiny_client):
    tree = page(tiny_client, "/id/recommendation/tiny-source-01")
    assert tree.xpath("string(//h1)").strip() == "Train early-warning staff"
    assert entries(tree, "addressees") == [("/id/organisation/test-union", False, "Test Union")]
    assert entries(tree, "interpreted-addressees") == [(
        "/id/state/testland", True,
        "Testland interpreted (why: The meeting was held to advise Testland, so the training is read as meant for it as well.)")]
    # what follows from each is kept apart too: the Union by the source's words, Testland only by the interpretation
    assert [(href, badge) for href, badge, _ in entries(tree, "applies-to")] == [("/id/organisation/test-union", False)]
    assert [(href, badge) for href, badge, _ in entries(tree, "applies-by-interpretation")] == [("/id/state/testland", True)]


def test_recommendation_page_names_its_source_span(tiny_client):
    tree = page(tiny_client, "/id/recommendation/tiny-source-01")
    assert [href for href, _, _ in entries(tree, "source")] == ["/id/document/tiny-source"]
    assert " ".join(tree.xpath('string(//section[@id="attestations"])').split()).endswith(
        "Tiny source, characters 60–100, sha256 23fb7e36d221… · where to read it")  # the tiny app has no texts
    assert tree.xpath('//section[@id="attestations"]//a[@class="passage-link"]/@href') == [
        "/sources/tiny-source/passage?start=60&end=100"]


def test_state_page_ranks_what_applies_and_adds_interpretations_only_when_asked(tiny_client):
    stated = [(2, "/id/recommendation/tiny-source-03", "/id/organisation/test-network", False),
              (3, "/id/recommendation/tiny-source-02", "/id/category/test-states", False)]
    assert applies(page(tiny_client, "/id/state/testland")) == stated
    assert applies(page(tiny_client, "/id/state/testland?interpreted=include")) == [
        (1, "/id/recommendation/tiny-source-01", "/id/state/testland", True), *stated]
    assert applies(page(tiny_client, "/id/state/testland?max=2")) == stated[:1]


@pytest.mark.parametrize("url", ["/id/state/nowhere", "/id/state/nowhere.ttl", "/id/recommendation/tiny-source-99",
                                 "/id/nokind/testland", "/id/state/Testland"])
def test_an_unknown_entity_is_a_404(tiny_client, url):
    response = tiny_client.get(url)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


# --- the endpoint answers exactly -----------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_endpoint_answers_stated_and_interpreted_addressees_exactly(tiny_client):
    query = PREFIXES + """SELECT ?rec ?addressee ?basis WHERE {
        { ?rec r2p:addressedTo ?addressee BIND("stated" AS ?basis) }
        UNION { ?rec r2p:interpretedAddressee ?addressee BIND("interpreted" AS ?basis) }
    } ORDER BY ?rec ?addressee"""
    response = tiny_client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert csv_rows(response) == [
        ["rec", "addressee", "basis"],
        [ID + "recommendation/tiny-source-01", ID + "organisation/test-union", "stated"],
        [ID + "recommendation/tiny-source-01", ID + "state/testland", "interpreted"],
        [ID + "recommendation/tiny-source-02", ID + "category/test-states", "stated"],
        [ID + "recommendation/tiny-source-03", ID + "organisation/test-network", "stated"],
    ]


def test_endpoint_applies_to_leaves_interpretations_out(tiny_client):
    query = PREFIXES + "SELECT ?rec WHERE { ?rec r2p:appliesTo state:testland } ORDER BY ?rec"
    response = tiny_client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert csv_rows(response) == [["rec"], [ID + "recommendation/tiny-source-02"], [ID + "recommendation/tiny-source-03"]]


# --- the row limit, exactly at it and one past it -------------------------------------------------------------------


def values(n: int) -> str:
    return " ".join(str(i) for i in range(1, n + 1))


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_select_at_the_row_limit_is_whole_and_one_past_it_is_cut(tiny_limited_server, offset):
    url, limit = tiny_limited_server
    query = f"SELECT ?n WHERE {{ VALUES ?n {{ {values(limit + offset)} }} }} ORDER BY ?n"
    response = requests.get(url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert response.headers["X-R2PKG-Row-Limit"] == str(limit)
    assert response.headers["X-R2PKG-Truncated"] == ("true" if offset > 0 else "false")
    numbers = [int(b["n"]["value"]) for b in response.json()["results"]["bindings"]]
    assert numbers == list(range(1, min(limit, limit + offset) + 1))


def test_data_answer_of_exactly_the_row_limit_is_not_marked(tiny_limited_server):
    url, limit = tiny_limited_server
    query = PREFIXES + "SELECT DISTINCT ?rec WHERE { ?rec a r2p:Recommendation } ORDER BY ?rec"
    response = requests.get(url + "/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert limit == 3  # the tiny data has three recommendations
    assert response.headers["X-R2PKG-Truncated"] == "false"
    assert response.text.split() == ["rec", *(f"{ID}recommendation/tiny-source-0{i}" for i in (1, 2, 3))]


@pytest.mark.parametrize("offset", [0, 1])
def test_graph_answer_at_the_row_limit_is_whole_and_one_past_it_is_cut(tiny_limited_server, offset):
    url, limit = tiny_limited_server
    query = f"CONSTRUCT {{ ?s <urn:x:p> ?n }} WHERE {{ VALUES ?n {{ {values(limit + offset)} }} BIND(<urn:x:s> AS ?s) }}"
    response = requests.get(url + "/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    assert response.headers["X-R2PKG-Truncated"] == ("true" if offset else "false")
    assert response.headers["X-R2PKG-Statements"] == str(limit)
    assert len(response.text.splitlines()) == limit


# --- Accept: q=0 excludes a type, charset=utf-8 is understood -------------------------------------------------------


@pytest.mark.parametrize(("url", "accept", "status", "media_type"), [
    # an entity page
    ("/id/state/testland", "text/turtle;q=0, application/ld+json", 200, "application/ld+json"),
    ("/id/state/testland", "text/html;q=0, */*", 200, "text/turtle"),
    ("/id/state/testland", "text/*;q=0, application/n-triples", 200, "application/n-triples"),
    ("/id/state/testland", "text/html;q=0", 406, None),
    ("/id/state/testland", "*/*;q=0", 406, None),
    ("/id/state/testland", "text/turtle; charset=utf-8", 200, "text/turtle"),
    ("/id/state/testland", "text/turtle;charset=UTF-8;q=0.9, application/rdf+xml;q=0.5", 200, "text/turtle"),
    ("/id/state/testland", "application/ld+json; charset=utf-8", 200, "application/ld+json"),
    ("/id/state/testland", "text/html; charset=utf-8", 200, "text/html"),
    # the dataset and a named graph (downloads)
    ("/dataset", "text/turtle;q=0, application/ld+json", 200, "application/ld+json"),
    ("/dataset", "text/html;q=0", 406, None),
    ("/dataset", "text/turtle; charset=utf-8", 200, "text/turtle"),
    ("/graph/tiny-source", "text/turtle;q=0, application/ld+json", 200, "application/ld+json"),
    ("/graph/tiny-source", "text/html;q=0", 406, None),
    ("/graph/tiny-source", "application/n-triples; charset=utf-8", 200, "application/n-triples"),
])
def test_accept_on_rdf_resources(tiny_client, url, accept, status, media_type):
    response = tiny_client.get(url, headers={"Accept": accept})
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if media_type:
        assert response.mimetype == media_type
    assert "Accept" in response.headers.get("Vary", "")


SELECT = PREFIXES + "SELECT ?s WHERE { ?s a r2p:State }"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?s a r2p:State } WHERE { ?s a r2p:State }"


@pytest.mark.parametrize(("query", "accept", "status", "media_type"), [
    (SELECT, "application/sparql-results+json;q=0, text/csv", 200, "text/csv"),
    (SELECT, "text/csv;q=0", 406, "text/plain"),
    (SELECT, "text/*;q=0, application/sparql-results+xml", 200, "application/sparql-results+xml"),
    (SELECT, "text/csv; charset=utf-8", 200, "text/csv"),
    (SELECT, "application/sparql-results+json; charset=utf-8", 200, "application/sparql-results+json"),
    (CONSTRUCT, "text/turtle;q=0, application/ld+json", 200, "application/ld+json"),
    (CONSTRUCT, "text/turtle;q=0, */*", 200, "application/n-triples"),
    (CONSTRUCT, "text/turtle; charset=utf-8", 200, "text/turtle"),
])
def test_accept_on_the_endpoint(tiny_client, query, accept, status, media_type):
    response = tiny_client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == media_type
    if status == 200:
        assert "testland" in response.get_data(as_text=True)


@pytest.mark.parametrize("content_type", ["application/sparql-query; charset=utf-8", "application/sparql-query;charset=UTF-8",
                                          "application/x-www-form-urlencoded; charset=utf-8"])
def test_a_posted_query_may_name_its_charset(tiny_client, content_type):
    query = PREFIXES + 'SELECT ?s WHERE { ?s a r2p:State FILTER(STR(?s) != "Ünïcode") }'
    body = query.encode() if "sparql-query" in content_type else "query=" + requests.utils.quote(query)
    response = tiny_client.post("/sparql", data=body, headers={"Content-Type": content_type, "Accept": "text/csv"})
    assert csv_rows(response) == [["s"], [ID + "state/testland"]]


@pytest.mark.parametrize("accept", ["application/json; charset=utf-8", "text/html;q=0, application/json"])
def test_explain_and_errors_answer_json_to_a_json_accept_with_charset_or_q0(tiny_client, accept):
    why = tiny_client.get("/explain", query_string={"s": "rec:tiny-source-02", "p": "r2p:appliesTo", "o": "state:testland"},
                          headers={"Accept": accept})
    assert why.status_code == 200 and why.mimetype == "application/json"
    assert "tiny-source-02" in why.get_data(as_text=True)
    missing = tiny_client.get("/browse/nokind", headers={"Accept": accept})
    assert missing.status_code == 404 and missing.mimetype == "application/json"
