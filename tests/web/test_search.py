"""Label search: the JSON API behind the autocompletion and the HTML results page."""

from __future__ import annotations

import lxml.html
import pytest

from r2pkg.search_index import fold as normalise

SIMONOVIC = "https://w3id.org/r2pkg/id/person/ivan-simonovic"
GHANA = "https://w3id.org/r2pkg/id/state/ghana"


def search(client, q, **params):
    response = client.get("/api/search", query_string={"q": q, **params})
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


@pytest.mark.parametrize("q", ["simonovic", "Simonovic", "ŠIMONOVIĆ", "šimon", "ivan sim", "simonović ivan"])
def test_person_found_by_any_spelling_and_word_prefix(client, q):
    hits = search(client, q)
    assert hits[0]["iri"] == SIMONOVIC
    assert hits[0]["label"] == "Ivan Šimonović"
    assert hits[0]["url"] == "/id/person/ivan-simonovic"
    assert hits[0]["type_label"] == "Person"


@pytest.mark.parametrize("q", ["Гана", "гана", "غانا", "加纳", "republic of gh"])
def test_labels_in_every_language(client, q):
    assert GHANA in {hit["iri"] for hit in search(client, q)}


def test_state_found_by_prefix(client):
    hits = search(client, "ghan")
    assert [hit["iri"] for hit in hits if hit["type_label"] == "State"] == [GHANA]
    assert hits[0] == {"iri": GHANA, "label": "Ghana", "matched": "Ghana", "type": "https://w3id.org/r2pkg/ontology#State",
                       "type_label": "State", "url": "/id/state/ghana"}


def test_prefix_of_a_word_not_inside_it(client):
    assert all("imonovic" not in normalise(hit["matched"]).split()[0] for hit in search(client, "imonovic"))
    assert SIMONOVIC not in {hit["iri"] for hit in search(client, "imonovic")}


def test_alternative_labels_are_searched(app, client):
    """An entity is found by a skos:altLabel whose first word is not in its rdfs:label."""
    result = app.extensions["r2pkg.backend"].select("""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s ?alt ?label WHERE { ?s skos:altLabel ?alt ; rdfs:label ?label .
          FILTER(STRSTARTS(STR(?s), "https://w3id.org/r2pkg/id/")) } ORDER BY ?s ?alt""")
    rows = [row for row in result.rows if normalise(row["alt"]).split()[0] not in normalise(row["label"]).split()]
    assert rows
    for row in rows[:15]:
        hits = search(client, str(row["alt"]), limit=100)
        assert str(row["s"]) in {hit["iri"] for hit in hits}, row


def test_results_grouped_by_type(client):
    hits = search(client, "r2p", limit=40)
    assert len({hit["type"] for hit in hits}) > 2
    seen, previous = [], None
    for hit in hits:
        if hit["type"] != previous:
            assert hit["type"] not in seen, "each type appears in one run"
            seen.append(hit["type"])
            previous = hit["type"]


def test_every_hit_matches_every_query_word(client):
    for hit in search(client, "focal point", limit=50):
        words = normalise(hit["matched"]).split()
        assert any(w.startswith("focal") for w in words) and any(w.startswith("point") for w in words)


def test_empty_query_gives_empty_list(client):
    assert search(client, "") == []
    assert search(client, "   ") == []
    assert client.get("/api/search").get_json() == []


def test_unknown_word_gives_empty_list(client):
    assert search(client, "zzzqqq") == []


def test_limit(client):
    assert len(search(client, "un", limit=3)) == 3
    assert len(search(client, "un", limit=1)) == 1
    assert len(search(client, "un")) <= 10


@pytest.mark.parametrize("limit", ["x", "0", "-2"])
def test_bad_limit_is_a_clear_400(client, limit):
    response = client.get("/api/search", query_string={"q": "un", "limit": limit}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "limit" in response.get_data(as_text=True)


def test_index_is_built_once_per_app(app, client):
    search(client, "ghana")
    index = app.extensions["r2pkg.search_index"]
    search(client, "simonovic")
    assert app.extensions["r2pkg.search_index"] is index


def test_search_page_groups_results_by_type(client):
    response = client.get("/search", query_string={"q": "simonovic"})
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    groups = doc.xpath("//section[@class='search-group']")
    assert groups[0].find(".//h2").text_content().split("(")[0].strip() == "Person"
    links = groups[0].findall(".//a")
    assert [(a.get("href"), a.text_content()) for a in links] == [("/id/person/ivan-simonovic", "Ivan Šimonović")]
    headings = [g.find(".//h2").text_content() for g in groups]
    assert len(headings) == len(set(headings))
    assert doc.get_element_by_id("site-search-input").get("value") == "simonovic"


def test_search_page_several_groups(client):
    doc = lxml.html.fromstring(client.get("/search", query_string={"q": "focal"}).get_data(as_text=True))
    headings = [g.find(".//h2").text_content() for g in doc.xpath("//section[@class='search-group']")]
    assert len(headings) == len(set(headings)) > 1
    hrefs = [a.get("href") for a in doc.xpath("//section[@class='search-group']//a")]
    assert hrefs and all(href.startswith("/id/") for href in hrefs)


def test_search_page_without_hits_says_so(client):
    page = client.get("/search", query_string={"q": "zzzqqq"}).get_data(as_text=True)
    assert "Nothing found" in page
    assert "search-group" not in page


def test_search_page_escapes_the_query(client):
    page = client.get("/search", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_search_page_empty(client):
    response = client.get("/search")
    assert response.status_code == 200
    assert "search-group" not in response.get_data(as_text=True)
