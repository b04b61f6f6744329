"""Every RDF and SPARQL-results format the project reads, writes or serves, declared once; and the one negotiation.

The SPARQL endpoint, entity and documentation pages, downloads, `r2pkg export` and the build all take their formats
from `FORMATS` and choose among them with `negotiate` (the `format=` name or URL suffix, else `Accept`). Adding a
format is one entry here: the endpoint offers every format pyoxigraph writes for its kind, pages every format rdflib
writes, the build and `r2pkg export` every format marked `download`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import pyoxigraph as ox
from rdflib import URIRef

from .namespaces import W3C_FORMATS

if TYPE_CHECKING:
    from werkzeug.datastructures import MIMEAccept

RESULTS = "results"
"""SELECT and ASK answers."""
GRAPH = "graph"
"""RDF that holds a graph (a CONSTRUCT answer, a page's statements); quads are merged unless `quads` says otherwise."""
DATASET = "dataset"
"""RDF of named graphs only (TriG, N-Quads): offered where the resource has named graphs."""
PAGE = "page"
"""The HTML page a person reads."""


@dataclass(frozen=True)
class Format:
    """One format: its names, media types (canonical first, then the aliases clients send), suffix and writers."""

    key: str
    """Its short name: `format=`, `r2pkg export --format`, the key in the release manifest."""
    media_types: tuple[str, ...]
    extension: str
    """File suffix of a download or an answer saved by the browser, and the URL suffix of a page (`/id/…/x.ttl`)."""
    kind: str
    label: str
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    """pyoxigraph's writer; the SPARQL endpoint and the dumps write with it."""
    rdflib: str | None = None
    """rdflib's serializer name; pages write with it."""
    aliases: tuple[str, ...] = ()
    """Other names clients put in `format=` (SPARQLWrapper sends format=turtle)."""
    quads: bool = False
    """The whole dataset written in it keeps the named graph of each statement."""
    prefixes: bool = False
    """Written with the project's prefixes."""
    download: bool = False
    """The build writes the dataset in it (`/downloads`), and `r2pkg export` offers it."""
    w3c: URIRef | None = None
    """Its IRI in the W3C formats vocabulary (the service description's sd:resultFormat)."""

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.extension, *self.aliases)


FORMATS: tuple[Format, ...] = (
    Format("ttl", ("text/turtle", "application/x-turtle"), "ttl", GRAPH, "Turtle", aliases=("turtle",),
           oxigraph=ox.RdfFormat.TURTLE, rdflib="turtle", prefixes=True, download=True, w3c=W3C_FORMATS.Turtle),
    Format("nt", ("application/n-triples",), "nt", GRAPH, "N-Triples", aliases=("ntriples", "n-triples"),
           oxigraph=ox.RdfFormat.N_TRIPLES, rdflib="nt", download=True, w3c=W3C_FORMATS["N-Triples"]),
    Format("nq", ("application/n-quads",), "nq", DATASET, "N-Quads",
           oxigraph=ox.RdfFormat.N_QUADS, rdflib="nquads", quads=True, download=True, w3c=W3C_FORMATS["N-Quads"]),
    Format("trig", ("application/trig",), "trig", DATASET, "TriG",
           oxigraph=ox.RdfFormat.TRIG, rdflib="trig", quads=True, prefixes=True, download=True, w3c=W3C_FORMATS.TriG),
    Format("jsonld", ("application/ld+json", "application/json"), "jsonld", GRAPH, "JSON-LD",
           aliases=("json-ld", "json"), oxigraph=ox.RdfFormat.JSON_LD, rdflib="json-ld", quads=True, download=True,
           w3c=W3C_FORMATS["JSON-LD"]),
    Format("rdf", ("application/rdf+xml", "application/xml"), "rdf", GRAPH, "RDF/XML",
           aliases=("rdfxml", "rdf+xml", "xml"), oxigraph=ox.RdfFormat.RDF_XML, rdflib="xml", prefixes=True,
           download=True, w3c=W3C_FORMATS.RDF_XML),
    Format("n3", ("text/n3",), "n3", GRAPH, "N3", rdflib="n3", w3c=W3C_FORMATS.N3),
    Format("json", ("application/sparql-results+json", "application/json"), "srj", RESULTS, "SPARQL JSON results",
           aliases=("srj",), oxigraph=ox.QueryResultsFormat.JSON, w3c=W3C_FORMATS.SPARQL_Results_JSON),
    Format("xml", ("application/sparql-results+xml", "application/xml", "text/xml"), "srx", RESULTS,
           "SPARQL XML results", aliases=("srx",), oxigraph=ox.QueryResultsFormat.XML,
           w3c=W3C_FORMATS.SPARQL_Results_XML),
    Format("csv", ("text/csv",), "csv", RESULTS, "CSV",
           oxigraph=ox.QueryResultsFormat.CSV, w3c=W3C_FORMATS.SPARQL_Results_CSV),
    Format("tsv", ("text/tab-separated-values",), "tsv", RESULTS, "TSV",
           oxigraph=ox.QueryResultsFormat.TSV, w3c=W3C_FORMATS.SPARQL_Results_TSV),
)
"""In order of preference: when a client does not mind (`*/*`, no Accept) it gets the first it can."""

HTML = Format("html", ("text/html",), "html", PAGE, "HTML")

BY_KEY = {f.key: f for f in FORMATS}

SELECT_ANSWERS = [f for f in FORMATS if f.kind == RESULTS]
"""What the SPARQL endpoint answers a SELECT or ASK query in."""
GRAPH_ANSWERS = [f for f in FORMATS if f.kind == GRAPH and isinstance(f.oxigraph, ox.RdfFormat)]
"""What the SPARQL endpoint answers a CONSTRUCT or DESCRIBE query in: the graph formats pyoxigraph writes."""
DOWNLOADS = {f.key: f for f in FORMATS if f.download}
"""The dataset's dumps (`/downloads`, `r2pkg export`)."""


def rdf_documents(datasets: bool = False) -> list[Format]:
    """The RDF formats a page's statements can be served in (rdflib writes them); `datasets` adds TriG and N-Quads."""
    return [f for f in FORMATS if f.rdflib and (f.kind == GRAPH or datasets and f.kind == DATASET)]


def offered_types(offers: Iterable[Format]) -> list[str]:
    """The media types of some formats, canonical ones first, so a range such as text/* picks a canonical one."""
    offers = list(offers)
    return list(dict.fromkeys([f.media_type for f in offers] + [t for f in offers for t in f.media_types[1:]]))


class Choice(NamedTuple):
    format: Format
    media_type: str
    """The type to label the answer with: the one the client asked for (an alias stays an alias), else canonical."""


def negotiate(offers: Sequence[Format], accept: MIMEAccept | None = None, asked: str | None = None) -> Choice | None:
    """The offered format a request asks for; None when nothing offered is acceptable.

    `asked` (a `format=` name or a URL suffix, any case) wins over `accept`. Accept is read as HTTP says: the most
    specific range that matches a type gives its quality, q=0 means not acceptable, parameters such as charset do not
    count (`plain_ranges`); equal qualities go to the earlier offer. Without Accept the first offer is the answer.
    """
    if asked:
        wanted = asked.lower()
        chosen = next((f for f in offers if wanted in f.names), None)
        return Choice(chosen, chosen.media_type) if chosen else None
    if not accept:
        return Choice(offers[0], offers[0].media_type)
    by_type: dict[str, Format] = {}
    for fmt in offers:
        for media_type in fmt.media_types:
            by_type.setdefault(media_type, fmt)
    best = plain_ranges(accept).best_match(offered_types(offers))
    return Choice(by_type[best], best) if best else None


def plain_ranges(accept: Iterable[tuple[str, float]]) -> MIMEAccept:
    """Accept's media ranges as matching wants them (werkzeug compares parameters exactly): every text here is sent
    as UTF-8, so `charset=utf-8` and other parameters (a JSON-LD profile) are dropped; another charset matches nothing."""
    from werkzeug.datastructures import MIMEAccept  # here, not at the top: the command line needs no HTTP
    from werkzeug.http import parse_options_header

    ranges = []
    for value, quality in accept:
        media_type, parameters = parse_options_header(value)
        ranges.append((media_type if parameters.get("charset", "utf-8").lower() == "utf-8" else value, quality))
    return MIMEAccept(ranges)
