"""Query backends: the embedded pyoxigraph store loaded from a build, or any SPARQL 1.1 endpoint via SPARQLWrapper.

Both answer SELECT with rows of rdflib terms, so pages and the Python API do not care which one runs; both also answer
any query form serialised in a SPARQL result or RDF format (`run`), which is what the /sparql endpoint serves.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .config import Settings
from .errors import R2pkgError


class StoreError(R2pkgError):
    """A query could not be answered (bad syntax, unreachable endpoint, missing build)."""


class QueryTimeout(StoreError):
    """The query ran past the time limit and was stopped (by the worker pool, or by the remote store's client)."""

    @classmethod
    def after(cls, seconds: float) -> "QueryTimeout":
        return cls(f"the query ran longer than the limit of {seconds:g} s and was stopped")


class QueryError(StoreError):
    """The query itself is wrong (syntax, unknown prefix, a format that does not fit): the client's fault."""


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


RESULT_FORMATS: dict[str, tuple[str, ox.QueryResultsFormat]] = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
"""SELECT and ASK result formats by short name: media type and pyoxigraph serialiser."""

GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
"""CONSTRUCT and DESCRIBE formats by short name: media type and pyoxigraph serialiser."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# --- Reading a query's shape without the native parser ---

# Name runs are matched possessively and whole (a failed prefixed name is still one word), so the scan stays linear.
_LEXEMES = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*+)?:(?:[\w\-:%\u00c0-\uffff.]|\\.)*+)
      | (?P<word>[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*+)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
      | (?P<operator>\|\||&&|!=|<=|>=|\^\^|[^\s\w])
    """,
    re.VERBOSE,
)

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass
class QueryShape:
    """What a SPARQL text is, read from its tokens without the native parser (which a hostile text can crash).

    `form` is SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or None when no form keyword follows the prologue.
    """

    form: str | None
    service: bool = False
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    depth: int = 0
    size: int = 0
    """How many lexemes (names, literals, brackets, operators) the text has: what a recursive parser recurses over."""
    select_star: bool = False
    """A `SELECT *` (or `SELECT DISTINCT *`) query: its columns are the variables in order of first appearance."""
    variables: list[str] = field(default_factory=list)
    """Every variable name (without ? or $) in order of its first appearance in the text."""

    def column_order(self, variables: list[str]) -> list[str]:
        """The columns of an answer in the order a reader expects: for `SELECT *` the order in which the variables
        first appear in the query (engines such as Oxigraph sort them by name), else the engine's (projection) order."""
        if not self.select_star:
            return list(variables)
        seen = {name: position for position, name in enumerate(self.variables)}
        return sorted(variables, key=lambda name: (seen.get(name, len(seen)), name))

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def analyse_query(text: str) -> QueryShape:
    """Classify a query text: its form, whether it calls SERVICE, its FROM / FROM NAMED graphs, its depth and size."""
    tokens = [(m.lastgroup, m.group()) for m in _LEXEMES.finditer(text) if m.lastgroup != "comment"]
    prefixes: dict[str, str] = {}
    base = ""
    form = None
    select_star = False
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "word" else None
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = urljoin(base, tokens[i + 1][1][1:-1])
            i += 2
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = urljoin(base, tokens[i + 2][1][1:-1])
            i += 3
        else:
            if word in QUERY_FORMS:
                form = word
                following = [v.upper() for _, v in tokens[i + 1:i + 3]]
                star = following[1:2] if following[:1] in (["DISTINCT"], ["REDUCED"]) else following[:1]
                select_star = word == "SELECT" and star == ["*"]
            elif word in UPDATE_KEYWORDS:
                form = "UPDATE"
            break

    def resolve(token: tuple[str, str]) -> str | None:
        kind, value = token
        if kind == "iri":
            return urljoin(base, value[1:-1])
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix in prefixes:
                return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None

    shape = QueryShape(form, size=len(tokens), select_star=form == "SELECT" and select_star,
                       variables=list(dict.fromkeys(value[1:] for kind, value in tokens if kind == "var")))
    level = 0
    for position, (kind, value) in enumerate(tokens):
        if kind == "open":
            level += 1
            shape.depth = max(shape.depth, level)
        elif kind == "close":
            level -= 1
        elif kind == "word" and value.upper() == "SERVICE":
            shape.service = True
        elif kind == "word" and value.upper() == "FROM" and position + 1 < len(tokens):
            following = tokens[position + 1]
            if following[0] == "word" and following[1].upper() == "NAMED":
                iri = resolve(tokens[position + 2]) if position + 2 < len(tokens) else None
                if iri:
                    shape.from_named.append(iri)
            else:
                iri = resolve(following)
                if iri:
                    shape.from_graphs.append(iri)
    return shape


# --- Terms and serialisation ---


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


def _json_term(term) -> dict:
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
        return {"type": "triple", "value": {name: _json_term(part) for name, part in parts.items()}}
    raise StoreError(f"unsupported term in results: {term!r}")


def _take(items, limit: int | None) -> tuple[list, bool]:
    """At most `limit` items of an iterator, and whether there were more."""
    kept = []
    for item in items:
        if limit is not None and len(kept) >= limit:
            return kept, True
        kept.append(item)
    return kept, False


def _results_document(document: dict, fmt: str) -> bytes:
    """A SPARQL JSON results document re-serialised in `fmt` by pyoxigraph."""
    data = json.dumps(document, ensure_ascii=False).encode()
    if fmt == "json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[fmt][1])


def _solutions_result(variables: list[str], bindings, fmt: str, row_limit: int | None) -> RawResult:
    """At most `row_limit` solutions (JSON binding dicts) serialised in `fmt`, saying whether more were cut."""
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"format {fmt!r} does not fit a SELECT query")
    rows, truncated = _take(bindings, row_limit)
    body = _results_document({"head": {"vars": variables}, "results": {"bindings": rows}}, fmt)
    return RawResult(body, RESULT_FORMATS[fmt][0], truncated, len(rows))


def _boolean_result(value: bool, fmt: str) -> RawResult:
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"format {fmt!r} does not fit an ASK query")
    return RawResult(_results_document({"head": {}, "boolean": bool(value)}, fmt), RESULT_FORMATS[fmt][0], False, 1)


def _graph_result(triples, fmt: str, row_limit: int | None) -> RawResult:
    """At most `row_limit` triples serialised in `fmt` (with the project's prefixes where the format has them)."""
    from .namespaces import PREFIXES

    if fmt not in GRAPH_FORMATS:
        raise QueryError(f"format {fmt!r} does not fit a CONSTRUCT or DESCRIBE query")
    kept, truncated = _take(_distinct(triples), row_limit)
    media_type, ox_format = GRAPH_FORMATS[fmt]
    if ox_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        body = ox.serialize(kept, format=ox_format, prefixes=PREFIXES)
    else:
        body = ox.serialize(kept, format=ox_format)
    return RawResult(body, media_type, truncated, len(kept))


def _distinct(triples):
    """Each triple once: a graph is a set, so a CONSTRUCT that builds the same triple twice states it once."""
    seen = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


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
                    row[name] = _from_ox(term)
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
            graph.add((_from_ox(triple.subject), _from_ox(triple.predicate), _from_ox(triple.object)))
        return graph

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None, row_limit: int | None = None) -> RawResult:
        """Any query form, answered in `fmt` (a key of RESULT_FORMATS or GRAPH_FORMATS), cut after `row_limit` rows.

        The protocol's graph lists, when given, replace the query's own FROM / FROM NAMED; without either the default
        graph is the union of all graphs. Graph IRIs are only ever looked up in the store, never fetched.
        """
        options: dict = {}
        if default_graphs is not None or named_graphs is not None:
            options["default_graph"] = [_graph_name(iri) for iri in default_graphs or []]
            options["named_graphs"] = [_graph_name(iri) for iri in named_graphs or []]
        elif not analyse_query(query).has_dataset:
            options["use_default_graph_as_union"] = True
        try:
            result = self.store.query(query, **options)
            if isinstance(result, ox.QueryBoolean):
                return _boolean_result(bool(result), fmt)
            if isinstance(result, ox.QuerySolutions):
                variables = analyse_query(query).column_order([v.value for v in result.variables])
                bindings = ({n: _json_term(s[n]) for n in variables if s[n] is not None} for s in result)
                return _solutions_result(variables, bindings, fmt, row_limit)
            return _graph_result(result, fmt, row_limit)
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
        rows = [{k: _from_json_binding(v) for k, v in b.items()} for b in data["results"]["bindings"]]
        return SelectResult(variables, rows)

    def ask(self, query: str) -> bool:
        data = self._json(query)
        if "boolean" not in data:
            raise StoreError("not an ASK query")
        return bool(data["boolean"])

    def _post(self, query: str, accept: str, default_graphs=None, named_graphs=None):
        """POST the query with the protocol's dataset parameters; a 4xx answer is the query's fault, others the server's."""
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
            response = requests.post(self.endpoint, data=data, headers={"Accept": accept}, timeout=self.timeout)
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

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None, row_limit: int | None = None) -> RawResult:
        """Any query form, answered in `fmt` and cut after `row_limit` rows, like EmbeddedBackend.run."""
        if analyse_query(query).is_graph:
            response = self._post(query, "application/n-triples", default_graphs, named_graphs)
            try:
                triples = ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
                return _graph_result(triples, fmt, row_limit)
            except SyntaxError as error:
                raise StoreError(f"{self.endpoint} sent N-Triples that do not parse: {error}") from error
        response = self._post(query, "application/sparql-results+json", default_graphs, named_graphs)
        try:
            data = response.json()
        except ValueError as error:
            raise StoreError(f"{self.endpoint} did not answer with SPARQL JSON results") from error
        if "boolean" in data:
            return _boolean_result(bool(data["boolean"]), fmt)
        variables = analyse_query(query).column_order(data["head"].get("vars", []))
        return _solutions_result(variables, data["results"]["bindings"], fmt, row_limit)
