"""Content negotiation for RDF resources: pick a serialisation from a suffix, a `format` parameter or Accept.

Every RDF resource offers the graph formats rdflib writes (`formats.rdf_documents`); entity IRIs also offer the
dataset formats (TriG, N-Quads), which keep the named graph of each statement. JSON-LD is compacted with the published
context (`/context.jsonld`, the one the dumps use). The registry's aliases are accepted and answered as asked:
`application/json` (JSON-LD, with the context linked), `application/x-turtle`, `application/xml` (RDF/XML).
"""

from __future__ import annotations

import json

from flask import Response, abort, after_this_request, request, url_for
from flask_babel import gettext
from rdflib import BNode, Dataset, Graph
from werkzeug.datastructures import MIMEAccept

from ..export import jsonld_document, load_context
from ..formats import DATASET, HTML, Choice, negotiate, offered_types, plain_ranges, rdf_documents

JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"


def suffixes(quads: bool = False) -> list[str]:
    return [f.extension for f in rdf_documents(datasets=quads)]


def choose(suffix: str | None = None, html: bool = True, quads: bool = False) -> Choice | None:
    """The RDF format asked for, or None for HTML; aborts with 406 when nothing offered is acceptable.

    An explicit suffix or `format` parameter wins over Accept; browsers (which accept */*) get HTML. Dataset formats
    are offered only where the resource has named graphs (`quads`). Every answer of a negotiated resource (the HTML
    page, a redirect, a 406) is marked as varying by Accept, so caches keep them apart.
    """
    after_this_request(_vary_by_accept)
    offers = ([HTML] if html else []) + rdf_documents(datasets=quads)
    asked = suffix or request.args.get("format")
    choice = negotiate(offers, request.accept_mimetypes, asked)
    if choice is None and asked:
        names = suffixes(quads) + (["html"] if html else [])
        abort(406, description=gettext("Unknown format %(name)s; choose one of: %(choices)s.", name=repr(asked),
                                       choices=", ".join(names)))
    if choice is None:
        abort(406, description=gettext("None of the requested media types is available; offered: %(types)s.",
                                       types=", ".join(offered_types(offers))))
    return None if choice.format is HTML else choice


def accepted() -> MIMEAccept:
    """The request's Accept as matching wants it (`formats.plain_ranges`), for answers outside the registry (JSON or
    HTML errors and explanations)."""
    return plain_ranges(request.accept_mimetypes)


def _vary_by_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def rdf_response(graph: Graph | Dataset, choice: Choice, compact: bool = False) -> Response:
    """Serialise a graph (or, for quad formats, a dataset) in the chosen format, marked as varying by Accept.

    With `compact`, JSON-LD is compacted with the published context, like the dumps (PyLD: for small graphs only).
    """
    fmt, media_type = choice
    if fmt.key == "jsonld" and compact:
        from . import settings

        triples = graph if not isinstance(graph, Dataset) else _merged(graph)
        document = jsonld_document(triples.serialize(format="nt"), load_context(settings()))
        body = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    elif fmt.kind == DATASET and not isinstance(graph, Dataset):
        dataset = Dataset()
        for triple in graph:
            dataset.add(triple)
        body = dataset.serialize(format=fmt.rdflib)
    else:
        target = graph if fmt.kind == DATASET or not isinstance(graph, Dataset) else _merged(graph)
        body = target.serialize(format=fmt.rdflib)
    response = Response(body, mimetype=media_type)
    response.vary.add("Accept")
    if media_type == "application/json":
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
