"""Content negotiation for RDF resources: pick a serialisation from a suffix, a `format` parameter or Accept."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, after_this_request, request
from rdflib import Graph


@dataclass(frozen=True)
class RdfFormat:
    name: str  # rdflib serializer name
    media_type: str
    suffix: str


RDF_FORMATS = [
    RdfFormat("turtle", "text/turtle", "ttl"),
    RdfFormat("json-ld", "application/ld+json", "jsonld"),
    RdfFormat("xml", "application/rdf+xml", "rdf"),
    RdfFormat("nt", "application/n-triples", "nt"),
]
BY_SUFFIX = {f.suffix: f for f in RDF_FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in RDF_FORMATS}
HTML = "text/html"


def choose(suffix: str | None = None, html: bool = True) -> RdfFormat | None:
    """The RDF format asked for, or None for HTML; aborts with 406 when nothing offered is acceptable.

    An explicit suffix or `format` parameter wins over Accept; browsers (which accept */*) get HTML. Every answer of a
    negotiated resource (the HTML page, a redirect, a 406) is marked as varying by Accept, so caches keep them apart.
    """
    after_this_request(_vary_by_accept)
    asked = suffix or request.args.get("format")
    if asked:
        if asked not in BY_SUFFIX:
            abort(406, description=f"unknown format {asked!r}; choose one of: {', '.join(BY_SUFFIX)}")
        return BY_SUFFIX[asked]
    offered = ([HTML] if html else []) + [f.media_type for f in RDF_FORMATS]
    if not request.accept_mimetypes:
        return None if html else RDF_FORMATS[0]
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        abort(406, description="none of the requested media types is available; offered: " + ", ".join(offered))
    return None if best == HTML else BY_MEDIA_TYPE[best]


def _vary_by_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def rdf_response(graph: Graph, fmt: RdfFormat, context: dict | None = None) -> Response:
    """Serialise a graph in the chosen format, marked as varying by Accept."""
    kwargs = {"context": context, "auto_compact": True} if fmt.name == "json-ld" and context else {}
    body = graph.serialize(format=fmt.name, **kwargs)
    response = Response(body, mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response
