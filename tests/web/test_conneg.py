"""Content negotiation on entity IRIs: one case per Accept header or suffix, plus 404 and 406."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

ID = "https://w3id.org/r2pkg/id/"
R2P = Namespace("https://w3id.org/r2pkg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
LUCK = URIRef(ID + "person/edward-luck")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
PARSERS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml",
           "application/n-triples": "nt"}


@pytest.mark.parametrize(("accept", "suffix", "media_type"), [
    (None, None, "text/html"),
    (BROWSER, None, "text/html"),
    ("*/*", None, "text/html"),
    ("text/html", None, "text/html"),
    ("text/turtle", None, "text/turtle"),
    ("application/ld+json", None, "application/ld+json"),
    ("application/rdf+xml", None, "application/rdf+xml"),
    ("application/n-triples", None, "application/n-triples"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", None, "application/ld+json"),
    ("application/pdf, text/turtle;q=0.1", None, "text/turtle"),
    (None, "ttl", "text/turtle"),
    (None, "jsonld", "application/ld+json"),
    (None, "rdf", "application/rdf+xml"),
    (None, "nt", "application/n-triples"),
    ("text/html", "ttl", "text/turtle"),
    ("text/turtle", "nt", "application/n-triples"),
])
def test_negotiated_media_type(client, accept, suffix, media_type):
    url = "/id/person/edward-luck" + (f".{suffix}" if suffix else "")
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers.get("Vary", "")
    body = response.get_data(as_text=True)
    if media_type == "text/html":
        assert "<h1>" in body and "Edward C. Luck" in body
        assert '</id/person/edward-luck.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]
        return
    graph = Graph().parse(data=body, format=PARSERS[media_type])
    assert (LUCK, RDFS.label, Literal("Edward C. Luck", lang="en")) in graph
    assert (LUCK, RDF.type, R2P.Person) in graph
    assert (LUCK, URIRef("http://www.w3.org/ns/org#holds"), URIRef(ID + "post/un-special-adviser-r2p")) in graph
    spans = list(graph.objects(LUCK, R2P.attestedBy))
    assert len(spans) == 1
    assert graph.value(spans[0], R2P.inDocument) == URIRef(ID + "document/un-perspectives-2016")
    assert (graph.value(spans[0], OA.start).toPython(), graph.value(spans[0], OA.end).toPython()) == (1297, 1311)


@pytest.mark.parametrize(("accept", "media_type"), [
    ("text/turtle; charset=utf-8", "text/turtle"),
    ("text/html;q=0, application/n-triples;q=0.5", "application/n-triples"),
    ("text/html;q=0, */*;q=0.1", "text/turtle"),
])
def test_accept_parameters_do_not_count_and_q0_refuses(client, accept, media_type):
    response = client.get("/id/person/edward-luck", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    graph = Graph().parse(data=response.get_data(as_text=True), format=PARSERS[media_type])
    assert (LUCK, RDFS.label, Literal("Edward C. Luck", lang="en")) in graph


@pytest.mark.parametrize("accept", ["application/pdf", "image/png", "text/csv"])
def test_unsupported_media_type_is_406(client, accept):
    response = client.get("/id/person/edward-luck", headers={"Accept": accept})
    assert response.status_code == 406
    assert "Not Acceptable" in response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "accept"), [
    ("/id/person/nobody-at-all", None),
    ("/id/person/nobody-at-all", "text/turtle"),
    ("/id/person/nobody-at-all.ttl", None),
    ("/id/person/nobody-at-all.jsonld", None),
    ("/id/nokind/edward-luck", None),
    ("/id/person/Edward-Luck", None),
    ("/id/person/edward-luck.pdf", None),
])
def test_unknown_iri_is_404(client, url, accept):
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def recommendation_graph(client, slug) -> tuple[Graph, URIRef]:
    response = client.get(f"/id/recommendation/{slug}.nt")
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format="nt"), URIRef(ID + "recommendation/" + slug)


def test_recommendation_rdf_holds_its_addressees(client):
    # un-perspectives-2016 characters 4677-4867: "Heads of UNCT agencies or offices, such as OHCHR or OCHA, could
    # participate in briefings to policy makers"
    graph, rec = recommendation_graph(client, "un-perspectives-2016-04")
    assert set(graph.objects(rec, R2P.addressedTo)) == {URIRef(ID + "category/un-country-teams"),
                                                        URIRef(ID + "organisation/ocha"), URIRef(ID + "organisation/ohchr")}
    assert set(graph.objects(rec, R2P.interpretedAddressee)) == set()


def test_recommendation_rdf_keeps_an_interpreted_addressee_apart_with_its_rationale(client):
    # un-perspectives-2016 characters 4478-4676: "... UNCTs could more effectively realize their potential as early
    # warning actors. Strengthening the role of Peace and Development Advisers was cited in this regard." Nobody is
    # named as the one to act: the UN is the project's reading; the country teams and the advisers are what it is about.
    graph, rec = recommendation_graph(client, "un-perspectives-2016-03")
    assert set(graph.objects(rec, R2P.addressedTo)) == set()
    assert set(graph.objects(rec, R2P.interpretedAddressee)) == {URIRef(ID + "organisation/united-nations")}
    assert set(graph.objects(rec, R2P.concernsActor)) == {URIRef(ID + "category/un-country-teams"),
                                                          URIRef(ID + "post/peace-and-development-adviser")}
    readings = [i for i in graph.objects(rec, R2P.hasInterpretation) if (i, RDF.type, R2P.AddresseeInterpretation) in graph]
    assert len(readings) == 1
    assert graph.value(readings[0], R2P.interpretedAs) == URIRef(ID + "organisation/united-nations")
    assert str(graph.value(readings[0], R2P.rationale)).startswith(
        "Strengthening the advisers' role is cited without naming who should do it")
    assert graph.value(readings[0], R2P.attestedBy) is not None


@pytest.mark.parametrize("url", ["/ontology", "/shapes", "/dataset", "/graph/core", "/.well-known/void",
                                 "/id/person/edward-luck"])
@pytest.mark.parametrize("accept", [BROWSER, "text/turtle", "image/png"])
def test_every_negotiated_answer_varies_by_accept(client, url, accept):
    """The HTML page, its redirect and its 406 too: a cache must not hand one client's variant to another."""
    response = client.get(url, headers={"Accept": accept})
    assert response.status_code in (200, 303, 406)
    assert "Accept" in response.headers.get("Vary", ""), (url, accept, response.status_code)


# --- the media types clients send, quad formats with named graphs, suffixes ---

GRAPH = "https://w3id.org/r2pkg/graph/"


@pytest.mark.parametrize(("accept", "media_type", "parser"), [
    ("application/json", "application/json", "json-ld"),
    ("application/x-turtle", "application/x-turtle", "turtle"),
    ("text/n3", "text/n3", "n3"),
    ("application/trig", "application/trig", "trig"),
    ("application/n-quads", "application/n-quads", "nquads"),
])
def test_media_types_clients_send(live_server, accept, media_type, parser):
    import requests
    from rdflib import Dataset

    response = requests.get(live_server + "/id/person/edward-luck", headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    data = Dataset(default_union=True)
    data.parse(data=response.text, format=parser)
    assert (LUCK, RDFS.label, Literal("Edward C. Luck", lang="en")) in data
    if media_type == "application/json":
        assert 'rel="http://www.w3.org/ns/json-ld#context"' in response.headers["Link"]


@pytest.mark.parametrize(("suffix", "parser"), [("trig", "trig"), ("nq", "nquads")])
def test_quad_formats_keep_the_graph_of_each_statement(client, embedded_backend, suffix, parser):
    import pyoxigraph as ox
    from rdflib import BNode, Dataset

    response = client.get(f"/id/person/edward-luck.{suffix}")
    assert response.status_code == 200
    data = Dataset()
    data.parse(data=response.get_data(as_text=True), format=parser)
    quads = [(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in data.quads()]
    assert len(quads) > 5
    store = embedded_backend.store
    for s, p, o, g in quads:
        if isinstance(s, BNode) or isinstance(o, BNode):
            continue
        obj = ox.NamedNode(str(o)) if isinstance(o, URIRef) else ox.Literal(
            str(o), language=o.language) if o.language else ox.Literal(str(o), datatype=ox.NamedNode(str(o.datatype)))
        found = list(store.quads_for_pattern(ox.NamedNode(str(s)), ox.NamedNode(str(p)), obj, ox.NamedNode(str(g))))
        assert found, (s, p, o, g)  # each statement sits in the graph the store has it in
    graphs = {str(g) for *_, g in quads}
    assert GRAPH + "inferred" in graphs and len(graphs) >= 2
    # The span hangs in the same graph as the statement that points to it.
    spans = [(o, g) for s, p, o, g in quads if p == R2P.attestedBy]
    assert spans and all((span, OA.start, None, g) in {(s, p, None, gg) for s, p, _, gg in quads} for span, g in spans)


def test_html_suffix_is_the_page(client):
    response = client.get("/id/person/edward-luck.html", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Edward C. Luck" in response.get_data(as_text=True)


def test_entity_json_ld_uses_the_published_context(client):
    import json

    published = client.get("/context.jsonld")
    assert published.status_code == 200 and published.mimetype == "application/ld+json"
    document = json.loads(client.get("/id/person/edward-luck.jsonld").get_data(as_text=True))
    assert document["@context"] == json.loads(published.get_data(as_text=True))["@context"]
    # Short keys from the context, as in the dumps.
    text = json.dumps(document)
    assert '"attestedBy"' in text and "https://w3id.org/r2pkg/ontology#attestedBy" not in text


def test_quad_suffix_where_there_are_no_named_graphs_is_406(client):
    assert client.get("/void.trig").status_code == 406
