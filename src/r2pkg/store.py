"""Query backends: the embedded pyoxigraph store loaded from a build, or any SPARQL 1.1 endpoint via SPARQLWrapper.

Both answer SELECT with rows of rdflib terms, so pages and the Python API do not care which one runs; both also answer
any query form serialised in a SPARQL result or RDF format of the registry (`run`), which is what /sparql serves.
Reading a query's shape is `sparql_text`'s, turning answers into terms or bytes is `results`'.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import results
from .config import Settings
from .errors import R2pkgError
from .formats import BY_KEY, GRAPH_ANSWERS, SELECT_ANSWERS, Format
from .results import RawResult, SelectResult
from .sparql_text import QUERY_FORMS, QueryShape, analyse_query


class StoreError(R2pkgError):
    """A query could not be answered (bad syntax, unreachable endpoint, missing build)."""


class QueryTimeout(StoreError):
    """The query ran past the time limit and was stopped (by the worker pool, or by the remote store's client)."""

    @classmethod
    def after(cls, seconds: float) -> "QueryTimeout":
        return cls(f"the query ran longer than the limit of {seconds:g} s and was stopped")


class QueryError(StoreError):
    """The query itself is wrong (syntax, unknown prefix, a format that does not fit): the client's fault."""


def _answer_format(key: str, form: str) -> Format:
    """The registry's format `key` for an answer of `form`; a format that does not fit the form is the client's error."""
    fmt = BY_KEY.get(key)
    if fmt not in (SELECT_ANSWERS if form in ("SELECT", "ASK") else GRAPH_ANSWERS):
        what = {"SELECT": "a SELECT", "ASK": "an ASK"}.get(form, "a CONSTRUCT or DESCRIBE")
        raise QueryError(f"format {key!r} does not fit {what} query")
    return fmt


def _graph_name(iri: str) -> ox.NamedNode:
    """A graph IRI given by the protocol's dataset parameters; a malformed one is the client's error."""
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise QueryError(f"{iri!r} is not a valid graph IRI: {error}") from error


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
        variables = analyse_query(query).column_order([v.value for v in solutions.variables])
        rows = []
        for solution in solutions:
            row = {}
            for name in variables:
                term = solution[name]
                if term is not None:
                    row[name] = results.from_ox(term)
            rows.append(row)
        return SelectResult(variables, rows)

    def ask(self, query: str) -> bool:
        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("not an ASK query")
        return bool(result)

    def construct(self, query: str) -> Graph:
        """A CONSTRUCT or DESCRIBE answer as an rdflib Graph."""
        result = self._query(query)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("not a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result:
            graph.add((results.from_ox(triple.subject), results.from_ox(triple.predicate), results.from_ox(triple.object)))
        return graph

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None, row_limit: int | None = None,
            shape: QueryShape | None = None) -> RawResult:
        """Any query form, answered in the registry's format `fmt` (`formats.BY_KEY`) by the engine's own writers, cut
        after `row_limit` rows; `shape` is the query's analysis when the caller has made it already.

        The protocol's graph lists, when given, replace the query's own FROM / FROM NAMED; without either the default
        graph is the union of all graphs. Graph IRIs are only ever looked up in the store, never fetched.
        """
        shape = shape or analyse_query(query)
        options: dict = {}
        if default_graphs is not None or named_graphs is not None:
            options["default_graph"] = [_graph_name(iri) for iri in default_graphs or []]
            options["named_graphs"] = [_graph_name(iri) for iri in named_graphs or []]
        elif not shape.has_dataset:
            options["use_default_graph_as_union"] = True
        try:
            result = self.store.query(query, **options)
            if isinstance(result, ox.QueryBoolean):
                return results.engine_boolean(result, _answer_format(fmt, "ASK"))
            if isinstance(result, ox.QuerySolutions):
                columns = shape.column_order([v.value for v in result.variables]) if shape.select_star else None
                return results.engine_solutions(result, _answer_format(fmt, "SELECT"), row_limit, columns)
            return results.triples(result, _answer_format(fmt, "CONSTRUCT"), row_limit)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except (OSError, ValueError) as error:
            raise QueryError(str(error)) from error
        except RuntimeError as error:  # the engine cannot evaluate what the query asks (an unknown function, …)
            raise QueryError(f"The query cannot be evaluated: {error}") from error


def _evaluation_refused(response) -> bool:
    """A server error that is the query's fault: Oxigraph's server answers 500 to a function it does not know."""
    return response.status_code == 500 and "is not supported" in response.text


def _is_timeout(error: BaseException) -> bool:
    """Whether a client error (SPARQLWrapper wraps urllib's) is the read timeout running out."""
    import socket

    reason = getattr(error, "reason", error)
    return isinstance(reason, (socket.timeout, TimeoutError))


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
        form = analyse_query(query).form
        if form in QUERY_FORMS:
            # SPARQLWrapper guesses the form with a regex that takes words in comments ("add") for an update.
            wrapper.queryType = form
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(self.timeout))
        return wrapper

    def _json(self, query: str) -> dict:
        try:
            response = self._wrapper(query).query()
            return json.loads(response.response.read())
        except Exception as error:  # SPARQLWrapper wraps HTTP and URL errors in several types
            if _is_timeout(error):
                raise QueryTimeout.after(self.timeout) from error
            raise StoreError(f"{self.endpoint}: {error}") from error

    def select(self, query: str) -> SelectResult:
        data = self._json(query)
        if "results" not in data:
            raise StoreError("not a SELECT query")
        variables = analyse_query(query).column_order(data["head"].get("vars", []))
        rows = [{k: results.from_json_binding(v) for k, v in b.items()} for b in data["results"]["bindings"]]
        return SelectResult(variables, rows)

    def ask(self, query: str) -> bool:
        data = self._json(query)
        if "boolean" not in data:
            raise StoreError("not an ASK query")
        return bool(data["boolean"])

    def _post(self, query: str, accept: str, default_graphs=None, named_graphs=None, stream: bool = False):
        """POST the query with the protocol's dataset parameters; a 4xx answer is the query's fault, others the server's.
        With `stream` the body is left to be read (and the response to be closed) by the caller."""
        import requests

        shape = analyse_query(query)
        if default_graphs is None and named_graphs is None and shape.has_dataset:
            # Some servers (Oxigraph with a union default graph) let their default win over FROM: say it twice.
            default_graphs, named_graphs = shape.from_graphs, shape.from_named
        data = [("query", query)]
        data += [("default-graph-uri", iri) for iri in default_graphs or []]
        data += [("named-graph-uri", iri) for iri in named_graphs or []]
        if (default_graphs is not None or named_graphs is not None) and not default_graphs:
            # Only named graphs: the default graph is empty. Oxigraph takes an empty default-graph-uri list as absent.
            data.append(("default-graph-uri", "urn:x-r2pkg:empty-default-graph"))
        try:
            response = requests.post(self.endpoint, data=data, headers={"Accept": accept}, timeout=self.timeout,
                                     stream=stream)
        except requests.Timeout as error:
            raise QueryTimeout.after(self.timeout) from error
        except requests.RequestException as error:
            raise StoreError(f"{self.endpoint} did not answer: {error}") from error
        if 400 <= response.status_code < 500 or _evaluation_refused(response):
            raise QueryError(response.text.strip() or f"{self.endpoint} refused the query ({response.status_code})")
        if response.status_code >= 300:
            raise StoreError(f"{self.endpoint} failed ({response.status_code}): {response.text.strip()[:500]}")
        return response

    def construct(self, query: str) -> Graph:
        """A CONSTRUCT or DESCRIBE answer as an rdflib Graph."""
        response = self._post(query, "application/n-triples")
        return Graph().parse(data=response.content, format="nt")

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None, row_limit: int | None = None,
            shape: QueryShape | None = None) -> RawResult:
        """Any query form, answered in `fmt` and cut after `row_limit` rows, like EmbeddedBackend.run: the endpoint's
        answer is read as it arrives by pyoxigraph's parsers and no further than the row limit."""
        shape = shape or analyse_query(query)
        graph = shape.is_graph
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        response = self._post(query, accept, default_graphs, named_graphs, stream=True)
        response.raw.decode_content = True
        try:
            if graph:
                found = ox.parse(response.raw, format=ox.RdfFormat.N_TRIPLES)
                return results.triples(found, _answer_format(fmt, "CONSTRUCT"), row_limit)
            found = ox.parse_query_results(response.raw, format=ox.QueryResultsFormat.JSON)
            if isinstance(found, ox.QueryBoolean):
                return results.engine_boolean(found, _answer_format(fmt, "ASK"))
            columns = shape.column_order([v.value for v in found.variables]) if shape.select_star else None
            return results.engine_solutions(found, _answer_format(fmt, "SELECT"), row_limit, columns)
        except SyntaxError as error:
            raise StoreError(f"{self.endpoint} sent an answer that does not parse: {error}") from error
        except OSError as error:
            if _is_timeout(error):
                raise QueryTimeout.after(self.timeout) from error
            raise StoreError(f"{self.endpoint} stopped answering: {error}") from error
        finally:
            response.close()
