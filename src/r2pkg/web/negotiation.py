"""Content negotiation for RDF resources: pick a serialisation from a suffix, a `format` parameter or Accept.

Every RDF resource offers the triple formats; entity IRIs also offer the quad formats (TriG, N-Quads), which keep the
named graph of each statement. JSON-LD is compacted with the published context (`/context.jsonld`, the one the dumps
use). Clients' other names for the same formats are accepted: `application/json` (JSON-LD, with the context linked),
`application/x-turtle`, `text/n3` (Turtle is N3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Response, abort, after_this_request, request, url_for
from rdflib import BNode, Dataset, Graph
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import dump_options_header, parse_options_header

from ..export import jsonld_document, load_context


@dataclass(frozen=True)
class RdfFormat:
    name: str  # rdflib serializer name
    media_type: str
    suffix: str | None  # None: an alias, only reached by Accept
    quads: bool = False


RDF_FORMATS = [
    RdfFormat("turtle", "text/turtle", "ttl"),
    RdfFormat("json-ld", "application/ld+json", "jsonld"),
    RdfFormat("xml", "application/rdf+xml", "rdf"),
    RdfFormat("nt", "application/n-triples", "nt"),
    RdfFormat("trig", "application/trig", "trig", quads=True),
    RdfFormat("nquads", "application/n-quads", "nq", quads=True),
    RdfFormat("n3", "text/n3", "n3"),
    RdfFormat("turtle", "application/x-turtle", None),
    RdfFormat("json-ld", "application/json", None),
]
"""Canonical types first, aliases last: a media range such as text/* then picks the canonical one."""

BY_SUFFIX = {f.suffix: f for f in RDF_FORMATS if f.suffix}
BY_MEDIA_TYPE = {f.media_type: f for f in RDF_FORMATS}
HTML = "text/html"
JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"


def suffixes(quads: bool = False) -> list[str]:
    return [s for s, f in BY_SUFFIX.items() if quads or not f.quads]


def choose(suffix: str | None = None, html: bool = True, quads: bool = False) -> RdfFormat | None:
    """The RDF format asked for, or None for HTML; aborts with 406 when nothing offered is acceptable.

    An explicit suffix or `format` parameter wins over Accept; browsers (which accept */*) get HTML. Quad formats are
    offered only where the resource has named graphs (`quads`). Every answer of a negotiated resource (the HTML page,
    a redirect, a 406) is marked as varying by Accept, so caches keep them apart.
    """
    after_this_request(_vary_by_accept)
    asked = suffix or request.args.get("format")
    if asked:
        if asked == "html" and html:
            return None
        if asked not in suffixes(quads):
            names = suffixes(quads) + (["html"] if html else [])
            abort(406, description=f"unknown format {asked!r}; choose one of: {', '.join(names)}")
        return BY_SUFFIX[asked]
    formats = [f for f in RDF_FORMATS if quads or not f.quads]
    offered = ([HTML] if html else []) + [f.media_type for f in formats]
    accept = accepted()
    if not accept:
        return None if html else RDF_FORMATS[0]
    best = accept.best_match(offered)
    if best is None:
        abort(406, description="none of the requested media types is available; offered: " + ", ".join(offered))
    return None if best == HTML else BY_MEDIA_TYPE[best]


def accepted() -> MIMEAccept:
    """The request's Accept without `charset=utf-8` on its media ranges: every text this site sends is UTF-8, and werkzeug
    matches a range only to an offer with the same parameters (so `text/turtle; charset=utf-8` would get a 406)."""
    ranges = []
    for value, quality in request.accept_mimetypes:
        media_type, parameters = parse_options_header(value)
        if parameters.get("charset", "").lower() == "utf-8":
            del parameters["charset"]
        ranges.append((dump_options_header(media_type, parameters), quality))
    return MIMEAccept(ranges)


def _vary_by_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def rdf_response(graph: Graph | Dataset, fmt: RdfFormat, compact: bool = False) -> Response:
    """Serialise a graph (or, for quad formats, a dataset) in the chosen format, marked as varying by Accept.

    With `compact`, JSON-LD is compacted with the published context, like the dumps (PyLD: for small graphs only).
    """
    if fmt.name == "json-ld" and compact:
        from . import settings

        triples = graph if not isinstance(graph, Dataset) else _merged(graph)
        document = jsonld_document(triples.serialize(format="nt"), load_context(settings()))
        body = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    elif fmt.quads and not isinstance(graph, Dataset):
        dataset = Dataset()
        for triple in graph:
            dataset.add(triple)
        body = dataset.serialize(format=fmt.name)
    else:
        target = graph if fmt.quads or not isinstance(graph, Dataset) else _merged(graph)
        body = target.serialize(format=fmt.name)
    response = Response(body, mimetype=fmt.media_type)
    response.vary.add("Accept")
    if fmt.media_type == "application/json":
        response.headers["Link"] = f'<{url_for("discovery.context", _external=True)}>; rel="{JSONLD_CONTEXT_REL}"; ' \
                                   'type="application/ld+json"'
    return response


def entity_dataset(backend, iri) -> Dataset:
    """An entity's statements (asserted and inferred) and its spans, each in the named graph that holds it."""
    from ..namespaces import PREFIXES
    from .describe import sparql_term

    term = sparql_term(iri)
    rows = backend.select(
        f"SELECT ?g ?p ?o ?sp ?so WHERE {{ GRAPH ?g {{ {term} ?p ?o }} "
        f"OPTIONAL {{ FILTER(isBlank(?o)) GRAPH ?g {{ ?o ?sp ?so }} }} }}").rows
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    blank: dict[str, BNode] = {}

    def local(node):
        return blank.setdefault(str(node), BNode()) if isinstance(node, BNode) else node

    for row in rows:
        graph = dataset.graph(row["g"])
        obj = local(row["o"])
        graph.add((iri, row["p"], obj))
        if "sp" in row and isinstance(obj, BNode):
            graph.add((obj, row["sp"], local(row["so"])))
    return dataset


def _merged(dataset: Dataset) -> Graph:
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads():
        graph.add((s, p, o))
    return graph
