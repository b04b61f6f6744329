"""/ontology and /shapes: documentation for people, RDF for tools, counts from the live data."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, Graph, Namespace, URIRef
from rdflib.namespace import SH

R2P = Namespace("https://w3id.org/r2pkg/ontology#")


def data_graph(settings) -> Graph:
    graph = Graph()
    for path in settings.data_dir.rglob("*.ttl"):
        graph.parse(path, format="turtle")
    return graph


def test_ontology_page_documents_every_project_class_and_property(client, settings):
    page = client.get("/ontology")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    ontology = Graph().parse(settings.ontology_file)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and term.startswith(str(R2P)):
                assert f'id="r2p-{term[len(R2P):]}"' in html, term


def test_ontology_page_counts_instances_in_the_live_data(client, settings):
    states = set(data_graph(settings).subjects(RDF.type, R2P.State))
    html = client.get("/ontology").get_data(as_text=True)
    section = html[html.index('id="r2p-State"'):]
    count = re.search(r'class="instance-count">(\d+)<', section).group(1)
    assert int(count) == len(states) > 30
    assert 'href="/id/state/' in section[: section.index("</section>")]


@pytest.mark.parametrize(
    ("path", "accept", "media_type", "parse_as"),
    [
        ("/ontology", "text/turtle", "text/turtle", "turtle"),
        ("/ontology", "application/ld+json", "application/ld+json", "json-ld"),
        ("/ontology", "application/rdf+xml", "application/rdf+xml", "xml"),
        ("/ontology", "application/n-triples", "application/n-triples", "nt"),
        ("/ontology.ttl", "text/html", "text/turtle", "turtle"),
        ("/ontology.jsonld", None, "application/ld+json", "json-ld"),
        ("/ontology.rdf", None, "application/rdf+xml", "xml"),
        ("/ontology.nt", None, "application/n-triples", "nt"),
    ],
)
def test_ontology_rdf_by_content_negotiation(client, path, accept, media_type, parse_as):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type
    graph = Graph().parse(data=response.get_data(as_text=True), format=parse_as)
    assert (R2P.Recommendation, RDF.type, OWL.Class) in graph
    assert (URIRef("https://w3id.org/r2pkg/ontology"), RDF.type, OWL.Ontology) in graph


@pytest.mark.parametrize("path", ["/ontology", "/shapes"])
def test_unacceptable_media_type_is_406(client, path):
    response = client.get(path, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_unknown_suffix_is_406(client):
    assert client.get("/ontology.docx").status_code == 406


def test_shapes_page_lists_every_shape_target(client, settings):
    shapes = Graph()
    for path in settings.shapes_dir.glob("*.ttl"):
        shapes.parse(path)
    html = client.get("/shapes").get_data(as_text=True)
    targets = set(shapes.objects(None, SH.targetClass))
    assert R2P.Recommendation in targets
    for target in targets:
        curie = shapes.namespace_manager.curie(target)
        assert f'href="/ontology#{curie.replace(":", "-")}"' in html, curie


def test_shapes_rdf_by_content_negotiation(client):
    response = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert any(graph.subjects(RDF.type, SH.NodeShape))
