"""The JSON-LD dump writer: the document it writes reads back (with the published context) to exactly the quads it
was given, including the values a careless compaction would change: typed values under a term coerced to another
type, plain strings under an @id term, language strings, a literal rdf:type, a class named like a term."""

from __future__ import annotations

import io
import json
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from r2pkg.export import export_bytes, load_context
from r2pkg.jsonld_writer import Compactor, ContextError, write_dataset

R2P = "https://w3id.org/r2pkg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
STATE = "https://w3id.org/r2pkg/id/state/"
GRAPH = ox.NamedNode("https://w3id.org/r2pkg/graph/test")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def read_back(data: bytes) -> set[ox.Quad]:
    return set(ox.parse(data, format=ox.RdfFormat.JSON_LD))


def shape(quads) -> tuple[set, Counter]:
    """The quads without blank nodes exactly, and the blank-node ones counted by predicate, graph and object kind."""
    plain = {q for q in quads if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))}
    blank = Counter((q.predicate.value, str(q.graph_name), type(q.object).__name__) for q in quads if q not in plain)
    return plain, blank


def test_edge_cases_read_back_exactly(settings):
    ghana = n(STATE + "ghana")
    span = ox.BlankNode("span1")
    quads = {
        ox.Quad(ghana, n(R2P + "addressedTo"), n(STATE + "kenya"), GRAPH),                      # @id term, IRI
        ox.Quad(ghana, n(R2P + "addressedTo"), ox.Literal("not an IRI"), GRAPH),                # @id term, string
        ox.Quad(ghana, n(R2P + "onDate"), ox.Literal("2019-05-01", datatype=n(XSD + "date")), GRAPH),  # coerced type
        ox.Quad(ghana, n(R2P + "onDate"), ox.Literal("2019", datatype=n(XSD + "gYear")), GRAPH),       # another type
        ox.Quad(ghana, n(R2P + "onDate"), ox.Literal("someday"), GRAPH),                       # plain string there
        ox.Quad(ghana, n("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Ghana", language="en"), GRAPH),
        ox.Quad(ghana, n("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Гана", language="ru"), GRAPH),
        ox.Quad(ghana, n(R2P + "iso3166Alpha2"), ox.Literal("GH"), GRAPH),
        ox.Quad(ghana, n(R2P + "quantity"), ox.Literal("3", datatype=n(XSD + "integer")), GRAPH),
        ox.Quad(ghana, n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n(R2P + "State"), GRAPH),
        ox.Quad(ghana, n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n(R2P + "addressedTo"), GRAPH),
        ox.Quad(ghana, n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.Literal("a literal type"), GRAPH),
        ox.Quad(ghana, n(R2P + "attestedBy"), span, GRAPH),
        ox.Quad(span, n("http://example.org/unknown#p"), ox.Literal("x", datatype=n("http://example.org/dt")), GRAPH),
        ox.Quad(n("urn:isbn:123"), n(R2P + "addressedTo"), n("mailto:someone@example.org")),   # default graph
    }
    out = io.BytesIO()
    write_dataset(quads, load_context(settings), out)
    document = json.loads(out.getvalue())
    assert document["@context"] == load_context(settings)["@context"]
    assert shape(read_back(out.getvalue())) == shape(quads)
    parsed = Dataset()
    parsed.parse(data=out.getvalue(), format="json-ld")
    assert len(list(parsed.quads())) == len(quads)


def test_a_context_feature_the_writer_does_not_apply_is_refused():
    with pytest.raises(ContextError, match="@vocab"):
        Compactor({"@vocab": "https://example.org/"})
    with pytest.raises(ContextError, match="@container"):
        Compactor({"ex": "https://example.org/", "list": {"@id": "ex:list", "@container": "@list"}})


def test_the_dump_reads_back_to_the_built_dataset(settings, built_release):
    store = ox.Store()
    store.bulk_load(path=str(built_release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    assert shape(read_back(export_bytes(settings, "jsonld", built_release))) == shape(store)
