"""/downloads and the VoID/DCAT description: every dump is there, parses, and matches its listed size, count and checksum."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlparse

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, VOID

from r2pkg.build import read_manifest

FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "nq": ("application/n-quads", "nquads"),
    "trig": ("application/trig", "trig"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}


@pytest.fixture(scope="module")
def listing(built_release):
    return read_manifest(built_release)["downloads"]


def test_page_lists_every_format_with_size_count_and_checksum(client, listing):
    html = client.get("/downloads").get_data(as_text=True)
    assert set(listing) == set(FORMATS)
    for name, info in listing.items():
        assert f'href="/downloads/dataset.{name}"' in html
        assert info["sha256"] in html
        assert f'<td class="statements">{info["statements"]}</td>' in html


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_dump_parses_to_the_listed_statement_count(client, listing, name):
    media_type, parser = FORMATS[name]
    response = client.get(f"/downloads/dataset.{name}")
    assert response.status_code == 200 and response.mimetype == media_type
    body = response.data
    assert len(body) == listing[name]["bytes"]
    assert hashlib.sha256(body).hexdigest() == listing[name]["sha256"]
    if listing[name]["named_graphs"]:
        parsed = Dataset()
        parsed.parse(data=body, format=parser)
        graphs = {g.identifier for g in parsed.graphs() if len(g)}
        assert URIRef("https://w3id.org/r2pkg/graph/inferred") in graphs
        assert sum(len(g) for g in parsed.graphs()) == listing[name]["statements"]
    else:
        assert len(Graph().parse(data=body, format=parser)) == listing[name]["statements"]


def test_unknown_or_escaping_paths_are_404(client):
    assert client.get("/downloads/manifest.json").status_code == 404
    assert client.get("/downloads/../manifest.json").status_code == 404


def test_void_describes_the_dataset_and_its_dumps(client, built_release, listing):
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    dataset = URIRef("https://w3id.org/r2pkg/dataset")
    assert graph.value(dataset, VOID.triples) == Literal(read_manifest(built_release)["quads"])
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    dumps = sorted(graph.objects(dataset, VOID.dataDump))
    assert len(dumps) == len(listing) == len(list(graph.objects(dataset, DCAT.distribution)))
    for url in dumps:
        assert client.get(urlparse(str(url)).path).status_code == 200
    subsets = {str(s) for s in graph.objects(dataset, VOID.subset)}
    assert "https://w3id.org/r2pkg/graph/un-perspectives-2016" in subsets


@pytest.mark.parametrize(("path", "accept", "status", "media_type"), [
    ("/void", "application/ld+json", 200, "application/ld+json"),
    ("/void.rdf", None, 200, "application/rdf+xml"),
    ("/void", "text/html", 406, None),
])
def test_void_content_negotiation(client, path, accept, status, media_type):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == status
    if media_type:
        assert response.mimetype == media_type
        assert re.search(r"void", response.get_data(as_text=True))


def test_graph_page_names_its_source_and_counts(client, built_release):
    graphs = read_manifest(built_release)["graphs"]
    html = client.get("/graph/gnfp-2019").get_data(as_text=True)
    assert 'href="/id/document/gnfp-2019"' in html
    assert f'<span class="graph-total">{graphs["https://w3id.org/r2pkg/graph/gnfp-2019"]}</span>' in html


@pytest.mark.parametrize(("path", "accept", "parser"), [
    ("/graph/stanley-memo-2017.ttl", None, "turtle"),
    ("/graph/stanley-memo-2017", "application/n-triples", "nt"),
    ("/graph/stanley-memo-2017.jsonld", None, "json-ld"),
])
def test_graph_rdf_holds_exactly_that_graph(client, built_release, path, accept, parser):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format=parser)
    assert len(graph) == read_manifest(built_release)["graphs"]["https://w3id.org/r2pkg/graph/stanley-memo-2017"]


@pytest.mark.parametrize("path", ["/graph/no-such-graph", "/graph/Bad%3E"])
def test_unknown_graph_is_404(client, path):
    assert client.get(path).status_code == 404


def test_dataset_iri_sends_people_to_downloads_and_tools_to_void(client):
    assert client.get("/dataset", headers={"Accept": "text/html"}).headers["Location"].endswith("/downloads")
    response = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (URIRef("https://w3id.org/r2pkg/dataset"), VOID.sparqlEndpoint, None) in graph
