"""Query backends: the embedded pyoxigraph store loaded from a build, or any SPARQL 1.1 endpoint via SPARQLWrapper.

Both answer SELECT with rows of rdflib terms, so pages and the Python API do not care which one runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .config import Settings


class StoreError(Exception):
    """A query could not be answered (bad syntax, unreachable endpoint, missing build)."""


@dataclass
class SelectResult:
    """Variables in order and one dict per row (unbound variables are absent)."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)


def _from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term in results: {term!r}")


def _from_json_binding(binding: dict) -> Node:
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


def dataset_path(settings: Settings | None = None) -> Path:
    """The N-Quads file of the current build."""
    settings = settings or Settings.from_env()
    return settings.output_dir / "current" / "dataset.nq"


class EmbeddedBackend:
    """An in-memory pyoxigraph store holding one build; the default graph is the union of all graphs."""

    def __init__(self, store: ox.Store, source: Path | None = None):
        self.store = store
        self.source = source

    @classmethod
    def from_file(cls, path: Path | None = None) -> "EmbeddedBackend":
        path = path or dataset_path()
        if not path.is_file():
            raise StoreError(f"no built dataset at {path}: run `r2pkg build` first")
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store, path)

    def _query(self, query: str):
        try:
            return self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise StoreError(f"SPARQL syntax error: {error}") from error
        except OSError as error:
            raise StoreError(str(error)) from error

    def select(self, query: str) -> SelectResult:
        solutions = self._query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        variables = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in variables:
                term = solution[name]
                if term is not None:
                    row[name] = _from_ox(term)
            rows.append(row)
        return SelectResult(variables, rows)

    def ask(self, query: str) -> bool:
        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("not an ASK query")
        return bool(result)


class RemoteBackend:
    """A SPARQL 1.1 endpoint reached with SPARQLWrapper; it must answer with the union of its graphs as default graph."""

    def __init__(self, endpoint: str, timeout: float = 30.0):
        self.endpoint = endpoint
        self.timeout = timeout

    def _wrapper(self, query: str):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setQuery(query)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(self.timeout))
        return wrapper

    def _json(self, query: str) -> dict:
        try:
            response = self._wrapper(query).query()
            return json.loads(response.response.read())
        except Exception as error:  # SPARQLWrapper wraps HTTP and URL errors in several types
            raise StoreError(f"{self.endpoint}: {error}") from error

    def select(self, query: str) -> SelectResult:
        data = self._json(query)
        if "results" not in data:
            raise StoreError("not a SELECT query")
        variables = data["head"].get("vars", [])
        rows = [{k: _from_json_binding(v) for k, v in b.items()} for b in data["results"]["bindings"]]
        return SelectResult(variables, rows)

    def ask(self, query: str) -> bool:
        data = self._json(query)
        if "boolean" not in data:
            raise StoreError("not an ASK query")
        return bool(data["boolean"])
