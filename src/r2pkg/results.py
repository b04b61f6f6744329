"""Query answers: rdflib terms from pyoxigraph or SPARQL JSON, and answers serialised in a format of the registry.

Both backends meet here: the embedded store hands pyoxigraph terms, a remote endpoint SPARQL JSON; pages and the Python
API get rdflib terms (`SelectResult`), the SPARQL endpoint bytes in the asked format (`RawResult`), cut at the row limit.
The embedded store's answers are written by the engine's own writers, on demand, so a worker streams them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import R2pkgError
from .formats import Format
from .namespaces import PREFIXES

@dataclass
class SelectResult:
    """Variables in order and one dict per row (unbound variables are absent)."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)


class RawResult:
    """A query answer in the asked format: its media type, whether the row limit cut it (`truncated`) and the rows (or
    triples) it keeps. Its bytes are given (`body`) or written on demand into a binary output (`write`), so that a
    worker sends a large answer in chunks as the engine's writer produces them instead of building it whole."""

    complete = True
    """Its bytes are at hand (`body`); an executor's streamed answer says False."""

    def __init__(self, media_type: str, truncated: bool = False, rows: int = 0, *, body: bytes | None = None,
                 write: Callable[[BinaryIO], object] | None = None):
        self.media_type = media_type
        self.truncated = truncated
        self.rows = rows
        self._body = body
        self._write = write

    def write(self, output: BinaryIO) -> None:
        if self._body is not None:
            output.write(self._body)
        else:
            self._write(output)

    @property
    def body(self) -> bytes:
        if self._body is None:
            buffer = io.BytesIO()
            self._write(buffer)
            self._body, self._write = buffer.getvalue(), None
        return self._body

    def chunks(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        pass


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


def engine_boolean(found: ox.QueryBoolean, fmt: Format) -> RawResult:
    """The engine's ASK answer written by its own writer."""
    return RawResult(fmt.media_type, False, 1, body=found.serialize(format=fmt.oxigraph))


TSV = ox.QueryResultsFormat.TSV


class _Enough(R2pkgError):
    """Raised from the engine's writer to stop it: the row limit has been passed (never leaves this module)."""


class _TsvRows:
    """A binary output that keeps the engine's TSV up to `limit` rows. TSV has one line per row (line breaks inside
    literals are escaped) after the header line, so the cut is exact; past it, writing stops the engine."""

    def __init__(self, limit: int | None):
        self.parts: list[bytes] = []
        self.lines = 0
        self.limit = limit
        self.truncated = False

    def write(self, data: bytes) -> int:
        if not data:
            return 0
        wanted = None if self.limit is None else self.limit + 1 - self.lines  # the header line counts
        count = data.count(b"\n")
        if wanted is not None and count >= wanted:
            end = -1
            for _ in range(wanted):
                end = data.index(b"\n", end + 1)
            if wanted:
                self.parts.append(data[:end + 1])
            self.lines += wanted
            if end + 1 < len(data):
                self.truncated = True
                raise _Enough
            return len(data)
        self.parts.append(data)
        self.lines += count
        return len(data)

    def flush(self) -> None:
        pass

    def text(self, order: list[int] | None) -> bytes:
        """The TSV kept, its columns in `order` (indexes into the engine's columns) when given."""
        text = b"".join(self.parts)
        if order is None:
            return text
        return b"".join(b"\t".join(fields[i] for i in order) + b"\n"
                        for fields in (line.split(b"\t") for line in text.splitlines()))


def engine_solutions(found: ox.QuerySolutions, fmt: Format, row_limit: int | None,
                     columns: list[str] | None = None) -> RawResult:
    """The engine's solutions, at most `row_limit`, written by its own writers: first as TSV, one line per row, so the
    row limit cuts exactly and stops the engine as soon as it is passed; then, for another format, that TSV read back
    and written in `fmt` by the engine as the output asks for it. `columns` reorders the engine's columns."""
    variables = [v.value for v in found.variables]
    order = [variables.index(name) for name in columns] if columns and columns != variables else None
    kept = _TsvRows(row_limit)
    try:
        found.serialize(kept, format=TSV)
    except _Enough:
        pass
    tsv = kept.text(order)
    rows = max(0, kept.lines - 1)
    if fmt.oxigraph == TSV:
        return RawResult(fmt.media_type, kept.truncated, rows, body=tsv)
    return RawResult(fmt.media_type, kept.truncated, rows,
                     write=lambda output: ox.parse_query_results(tsv, format=TSV).serialize(output, format=fmt.oxigraph))


def triples(found, fmt: Format, row_limit: int | None) -> RawResult:
    """At most `row_limit` triples written in `fmt` by the engine's writer (with the project's prefixes where the
    format has them)."""
    kept, truncated = _take(_distinct(found), row_limit)
    options = {"prefixes": PREFIXES} if fmt.prefixes else {}
    return RawResult(fmt.media_type, truncated, len(kept),
                     write=lambda output: ox.serialize(kept, output, format=fmt.oxigraph, **options))


def _distinct(found):
    """Each triple once: a graph is a set, so a CONSTRUCT that builds the same triple twice states it once."""
    seen = set()
    for triple in found:
        if triple not in seen:
            seen.add(triple)
            yield triple
