"""Search: the JSON API (paged) behind the autocompletion, and the HTML results page."""

from __future__ import annotations

import lxml.html
import pytest

from r2pkg.search_index import fold as normalise
from r2pkg.web import resources

SIMONOVIC = "https://w3id.org/r2pkg/id/person/ivan-simonovic"
GHANA = "https://w3id.org/r2pkg/id/state/ghana"


def search_page(client, q, **params):
    response = client.get("/api/search", query_string={"q": q, **params})
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


def search(client, q, **params):
    return search_page(client, q, **params)["results"]


@pytest.mark.parametrize("q", ["simonovic", "Simonovic", "ŠIMONOVIĆ", "šimonov", "ivan sim", "simonović ivan"])
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
    """A label that starts with the query comes first; a label with the query inside a word (Af-ghan-istan) later."""
    hits = search(client, "ghan")
    states = [hit for hit in hits if hit["type_label"] == "State"]
    assert states[0]["iri"] == GHANA
    assert all("ghan" in normalise(hit["matched"]) for hit in states)
    assert hits[0] == {"iri": GHANA, "label": "Ghana", "matched": "Ghana", "field": "label",
                       "type": "https://w3id.org/r2pkg/ontology#State", "type_label": "State", "url": "/id/state/ghana",
                       "snippet": [{"text": "Ghan", "match": True}, {"text": "a", "match": False}]}


def test_word_starts_rank_before_matches_inside_words(client):
    """"imonovic" is inside "Šimonović": found, but after an entity whose label word starts with the query."""
    inside = search(client, "imonovic")
    assert SIMONOVIC in {hit["iri"] for hit in inside}
    hits = search(client, "simonov")
    assert hits[0]["iri"] == SIMONOVIC


def descriptions(app):
    return resources.backend(app).select("""
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s ?description WHERE { ?s dct:description ?description .
          FILTER(STRSTARTS(STR(?s), "https://w3id.org/r2pkg/id/")) } ORDER BY ?s""").rows


def test_words_of_descriptions_are_found_with_a_snippet(app, client):
    """A word that occurs in an entity's description and in no label finds the entity, with the words around it."""
    index = search(client, "x") and resources.of(app).computed["search_index"]
    label_words = {word for label in index.display.values() for word in normalise(label).split()}
    checked = 0
    for row in descriptions(app):
        words = [w for w in normalise(str(row["description"])).split() if len(w) >= 7 and w not in label_words]
        if not words:
            continue
        word = words[0]
        hits = {hit["iri"]: hit for hit in search(client, word, limit=100)}
        hit = hits.get(str(row["s"]))
        assert hit, (word, row["s"])
        if hit["field"] == "description":
            marked = "".join(part["text"] for part in hit["snippet"] if part["match"])
            assert normalise(marked) == word
            assert word in normalise(hit["matched"])
        checked += 1
        if checked == 12:
            break
    assert checked >= 5


def test_vetting_is_found_in_a_recommendation(app, client):
    expected = {str(row["s"]) for row in descriptions(app) if "vetting" in normalise(str(row["description"])).split()}
    found = {hit["iri"] for hit in search(client, "vetting", limit=100)}
    assert expected <= found


def swap(word: str) -> str:
    """A typo: the second and third letters swapped ('ghana' -> 'gahna')."""
    return word[0] + word[2] + word[1] + word[3:]


def test_typos_are_tolerated(app, client):
    page = search_page(client, "Gahna")
    assert page["results"][0]["iri"] == GHANA
    assert page["corrections"] == {"gahna": ["ghana"]} or "ghana" in page["corrections"]["gahna"]
    states = resources.backend(app).select("""
        PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s ?label WHERE { ?s a r2p:State ; rdfs:label ?label FILTER(lang(?label) = "en") } ORDER BY ?s""").rows
    tried = 0
    for row in states:
        label = normalise(str(row["label"]))
        if " " in label or len(label) < 6 or label[1] == label[2]:
            continue
        typo = swap(label)
        assert str(row["s"]) in {hit["iri"] for hit in search(client, typo, limit=20)}, (typo, row["s"])
        tried += 1
    assert tried >= 5


def test_paging(client):
    first = search_page(client, "un", limit=3)
    second = search_page(client, "un", limit=3, page=2)
    assert first["total"] == second["total"] > 6
    assert first["pages"] == -(-first["total"] // 3)
    assert (first["page"], second["page"], first["limit"]) == (1, 2, 3)
    assert not {hit["iri"] for hit in first["results"]} & {hit["iri"] for hit in second["results"]}
    everything = search(client, "un", limit=100)
    assert [hit["iri"] for hit in everything[:6]] == [hit["iri"] for hit in first["results"] + second["results"]]
    beyond = search_page(client, "un", limit=3, page=first["pages"] + 1)
    assert beyond["results"] == [] and beyond["total"] == first["total"]


def test_alternative_labels_are_searched(app, client):
    """An entity is found by a skos:altLabel whose first word is not in its rdfs:label."""
    result = resources.backend(app).select("""
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
        text = normalise(hit["matched"])
        assert "focal" in text and "point" in text


def test_empty_query_gives_empty_list(client):
    assert search(client, "") == []
    assert search(client, "   ") == []
    assert client.get("/api/search").get_json()["results"] == []


def test_unknown_word_gives_empty_list(client):
    assert search(client, "zzzqqq") == []
    assert search_page(client, "zzzqqq")["total"] == 0


def test_limit(client):
    assert len(search(client, "un", limit=3)) == 3
    assert len(search(client, "un", limit=1)) == 1
    assert len(search(client, "un")) <= 10


@pytest.mark.parametrize("name", ["limit", "page"])
@pytest.mark.parametrize("value", ["x", "0", "-2"])
def test_bad_limit_or_page_is_a_clear_400(client, name, value):
    response = client.get("/api/search", query_string={"q": "un", name: value}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert name in response.get_data(as_text=True)


def test_index_is_built_once_per_app(app, client):
    search(client, "ghana")
    index = resources.of(app).computed["search_index"]
    search(client, "simonovic")
    assert resources.of(app).computed["search_index"] is index


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


def test_search_page_shows_why_a_hit_matched(client):
    doc = lxml.html.fromstring(client.get("/search", query_string={"q": "vetting"}).get_data(as_text=True))
    marks = doc.xpath("//section[@class='search-group']//span[@data-field='description']/mark")
    assert marks and all(normalise(mark.text_content()) == "vetting" for mark in marks)


def test_search_page_names_a_corrected_typo(client):
    page = client.get("/search", query_string={"q": "Gahna"}).get_data(as_text=True)
    doc = lxml.html.fromstring(page)
    assert "/id/state/ghana" in doc.xpath("//section[@class='search-group']//a/@href")
    assert "“ghana”" in doc.xpath("//p[@class='search-corrections']")[0].text_content()


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


def test_every_state_is_found_by_its_name_in_each_un_language(app, client, embedded_backend):
    """All 195 states (most named by no source) are found by each of their six UN-language names, among the first
    hits, and no membership record ("Kenya as member of the United Nations") crowds them out."""
    rows = embedded_backend.select(
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?state ?name WHERE { ?state a r2p:State ; rdfs:label ?name }").rows
    names: dict[str, set[str]] = {}
    for row in rows:
        names.setdefault(str(row["state"]), set()).add(str(row["name"]))
    assert len(names) == 195
    missed = []
    for state, labels in names.items():
        assert len({label for label in labels}) >= 1
        for label in labels:
            hits = [hit["iri"] for hit in search(client, label, limit=20)]
            if state not in hits:
                missed.append((state, label))
    assert missed == []
    assert not [hit for hit in search(client, "Kenya", limit=50) if "/id/membership/" in hit["iri"]]
