"""Query answers: rdflib terms from pyoxigraph or SPARQL JSON, and answers serialised in a format of the registry.

Both backends meet here: the embedded store hands pyoxigraph terms, a remote endpoint SPARQL JSON; pages and the Python
API get rdflib terms (`SelectResult`), the SPARQL endpoint bytes in the asked format (`RawResult`), cut at the row limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .formats import BY_KEY, Format
from .namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class SelectResult:
    """Variables in order and one dict per row (unbound variables are absent)."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)


@dataclass
class RawResult:
    """A query answer serialised in the asked format; `truncated` when the row limit cut it."""

    body: bytes
    media_type: str
    truncated: bool = False
    rows: int = 0


def from_ox(term) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise _unsupported(term)


def from_json_binding(binding: dict) -> Node:
    """A SPARQL 1.1 JSON results binding as an rdflib term."""
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    if "xml:lang" in binding:
        return Literal(binding["value"], lang=binding["xml:lang"])
    if "datatype" in binding:
        return Literal(binding["value"], datatype=URIRef(binding["datatype"]))
    return Literal(binding["value"])


def json_binding(term) -> dict:
    """A pyoxigraph term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        binding = {"type": "literal", "value": term.value}
        if term.language:
            binding["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            binding["datatype"] = term.datatype.value
        return binding
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {name: json_binding(part) for name, part in parts.items()}}
    raise _unsupported(term)


def _unsupported(term) -> Exception:
    from .store import StoreError  # imported here: the store imports this module

    return StoreError(f"unsupported term in results: {term!r}")


def _take(items, limit: int | None) -> tuple[list, bool]:
    """At most `limit` items of an iterator, and whether there were more."""
    kept = []
    for item in items:
        if limit is not None and len(kept) >= limit:
            return kept, True
        kept.append(item)
    return kept, False


def _results_document(document: dict, fmt: Format) -> bytes:
    """A SPARQL JSON results document re-serialised in `fmt` by pyoxigraph."""
    data = json.dumps(document, ensure_ascii=False).encode()
    if fmt is BY_KEY["json"]:
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=fmt.oxigraph)


def solutions(variables: list[str], bindings, fmt: Format, row_limit: int | None) -> RawResult:
    """At most `row_limit` solutions (JSON binding dicts) serialised in `fmt`, saying whether more were cut."""
    rows, truncated = _take(bindings, row_limit)
    body = _results_document({"head": {"vars": variables}, "results": {"bindings": rows}}, fmt)
    return RawResult(body, fmt.media_type, truncated, len(rows))


def boolean(value: bool, fmt: Format) -> RawResult:
    return RawResult(_results_document({"head": {}, "boolean": bool(value)}, fmt), fmt.media_type, False, 1)


def triples(found, fmt: Format, row_limit: int | None) -> RawResult:
    """At most `row_limit` triples serialised in `fmt` (with the project's prefixes where the format has them)."""
    kept, truncated = _take(_distinct(found), row_limit)
    body = ox.serialize(kept, format=fmt.oxigraph, **({"prefixes": PREFIXES} if fmt.prefixes else {}))
    return RawResult(body, fmt.media_type, truncated, len(kept))


def _distinct(found):
    """Each triple once: a graph is a set, so a CONSTRUCT that builds the same triple twice states it once."""
    seen = set()
    for triple in found:
        if triple not in seen:
            seen.add(triple)
            yield triple
