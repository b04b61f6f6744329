"""The SPARQL 1.1 Protocol endpoint at /sparql, with its service description.

Read-only and closed: updates are refused, SERVICE is refused, FROM / FROM NAMED and the dataset parameters only name
graphs of the store. Queries run in worker processes (r2pkg.executor) under a time and a row limit. Errors are plain
text with the parser's or the limit's message, as SPARQL clients expect.
"""

from __future__ import annotations

import codecs
import time

from flask import Blueprint, Response, g, request, url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID, XSD
from werkzeug.exceptions import HTTPException

from ..build import GRAPH_COUNTS_QUERY
from ..executor import EngineCrash, QueryTimeout, ServerBusy
from ..namespaces import FORMATS, SD
from ..query_errors import explain, shift_lines
from ..store import GRAPH_FORMATS, RESULT_FORMATS, QueryError, StoreError, analyse_query
from .limits import Busy, client_address, limiter, query_problem, sparql_rate_limit, sparql_rate_limit_exempt
from .negotiation import accepted
from .resources import backend, computed, query_gate, settings
from .resources import executor as query_executor

bp = Blueprint("sparql", __name__)


ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]

RESULT_OFFERS = [
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
]
"""What a SELECT or ASK answer can be, in order of preference when the client does not mind. The answer is labelled
with the first (canonical) type of its format, so aliases come last: a range such as text/* then picks a format whose
label it matches."""

GRAPH_OFFERS = [
    ("text/turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdf"),
    ("application/x-turtle", "ttl"),
    ("application/xml", "rdf"),
]
"""What a CONSTRUCT or DESCRIBE answer can be, aliases last as above."""

DESCRIPTION_OFFERS = [
    ("text/turtle", "turtle"),
    ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("text/html", "turtle"),
]
"""The service description: RDF by content negotiation; a browser gets the Turtle as plain text to read."""

FORMAT_IRIS = {
    "json": FORMATS.SPARQL_Results_JSON, "xml": FORMATS.SPARQL_Results_XML, "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV, "ttl": FORMATS.Turtle, "nt": FORMATS["N-Triples"], "jsonld": FORMATS["JSON-LD"],
    "rdf": FORMATS.RDF_XML,
}

FORMAT_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdfxml": "rdf",
                  "rdf+xml": "rdf", "srj": "json", "srx": "xml"}
"""Other names clients put in `format` (SPARQLWrapper sends format=turtle)."""

GRAPH_ALIASES = {("rdf", "xml"), ("jsonld", "json")}
"""format=xml and format=json asked of a graph answer mean RDF/XML and JSON-LD."""

def _plain(message: str, status: int, **headers) -> Response:
    response = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers)
    response.vary.add("Accept")
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    """Errors raised while reading a /sparql request (too large, bad encoding, too many) stay plain text."""
    if error.code == 429:
        return _plain(f"Too many requests: this client went over the rate limit of /sparql ({error.description}). "
                      "Wait for the number of seconds in Retry-After.", 429)
    return _plain(f"{error.name}: {error.description}", error.code or 500)


@bp.errorhandler(StoreError)
def _store_error(error: StoreError):
    """The store failed while describing the service (down, unreachable): plain text like every /sparql error."""
    return _plain(f"The query store failed: {error}", 502)


def _choose(offers: list[tuple[str, str]], format_param: str | None) -> tuple[str, str] | None:
    """(media type, format key) from the `format` parameter, else from Accept; None when nothing fits."""
    if format_param:
        wanted = FORMAT_ALIASES.get(format_param.lower(), format_param.lower())
        for media_type, key in offers:
            if key == wanted or (key, wanted) in GRAPH_ALIASES:
                return media_type, key
        return None
    accept = accepted()
    if not accept:
        return offers[0]
    best = accept.best_match([media_type for media_type, _ in offers])
    if best is None:
        return None
    return best, dict(offers)[best]


def _request_parameters() -> tuple[list[str], list[str], list[str], list[str]] | Response:
    """(queries, updates, default graphs, named graphs) of the request, or an error response."""
    if request.method in ("GET", "HEAD"):
        values = request.args
        return (values.getlist("query"), values.getlist("update"),
                values.getlist("default-graph-uri"), values.getlist("named-graph-uri"))
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        form, args = request.form, request.args
        return (form.getlist("query") + args.getlist("query"), form.getlist("update") + args.getlist("update"),
                form.getlist("default-graph-uri") + args.getlist("default-graph-uri"),
                form.getlist("named-graph-uri") + args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            codecs.lookup(charset)
        except LookupError:
            return _plain(f"Unknown charset {charset!r}: send the query as UTF-8.", 415)
        text = request.get_data().decode(charset, errors="strict")
        return ([text], request.args.getlist("update"),
                request.args.getlist("default-graph-uri"), request.args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-update":
        return _plain("This endpoint is read-only: SPARQL Update is not accepted.", 400)
    return _plain(
        f"Unsupported request body {mimetype or '(none)'!r}: POST a query as application/x-www-form-urlencoded "
        "(query=...) or as application/sparql-query.", 415)


@bp.route("/sparql", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
@limiter.limit(sparql_rate_limit, exempt_when=sparql_rate_limit_exempt)
def endpoint():
    """Answer a SPARQL query by the protocol's GET, URL-encoded POST or direct POST; without one, describe the service."""
    if request.method not in ALLOWED_METHODS:
        return _plain(f"{request.method} is not part of the SPARQL query protocol: use GET or POST.", 405,
                      Allow=", ".join(ALLOWED_METHODS))
    try:
        parameters = _request_parameters()
    except UnicodeDecodeError:
        return _plain("The query is not valid in its charset (UTF-8 unless the request names another).", 400)
    if isinstance(parameters, Response):
        return parameters
    queries, updates, default_graphs, named_graphs = parameters
    if updates:
        return _plain("This endpoint is read-only: SPARQL Update is not accepted.", 400)
    if not queries:
        if request.method == "POST":
            return _plain("The request has no query: send it in the 'query' parameter.", 400)
        return service_description()
    if len(queries) > 1:
        return _plain("The request has more than one 'query' parameter.", 400)
    return _answer(queries[0], default_graphs, named_graphs)


def _answer(query: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    problem = query_problem(query)
    if problem:
        return _plain(problem + " The query was not run.", 400)
    shape = analyse_query(query)
    if shape.form == "UPDATE":
        return _plain("This endpoint is read-only: SPARQL Update (including LOAD) is not accepted.", 400)
    if shape.service:
        return _plain("SERVICE is not allowed here: this endpoint never fetches data from other servers.", 400)
    if shape.form is None:
        return _plain("SPARQL syntax error: the query has no SELECT, ASK, CONSTRUCT or DESCRIBE form.", 400)
    offers = GRAPH_OFFERS if shape.is_graph else RESULT_OFFERS
    choice = _choose(offers, request.values.get("format"))
    if choice is None:
        available = ", ".join(dict.fromkeys(media_type for media_type, _ in offers))
        keys = ", ".join(dict.fromkeys(key for _, key in offers))
        return _plain(f"No acceptable format for a {shape.form} answer. Available: {available} "
                      f"(or format={keys}).", 406)
    _, fmt = choice

    dataset_given = bool(default_graphs or named_graphs)
    executor = query_executor()
    # Relative IRIs (a CONSTRUCT template's <thing>) resolve against the dataset's base unless the query sets its own.
    text = f"BASE <{settings().base}>\n{query}"
    started = time.perf_counter()
    try:
        with query_gate().admit(client_address()):
            result = executor.run(text, fmt, default_graphs if dataset_given else None,
                                  named_graphs if dataset_given else None)
    except Busy as error:
        return _plain(str(error), error.status, **{"Retry-After": "5"})
    except QueryError as error:
        return _query_error(shift_lines(str(error), -1), query)  # positions in the user's text, not after BASE
    except QueryTimeout as error:
        return _plain(f"Query timeout: {error}. Narrow the query or add a LIMIT.", 503, **{"Retry-After": "5"})
    except ServerBusy as error:
        return _plain(f"Server busy: {error}", 503, **{"Retry-After": "5"})
    except EngineCrash as error:
        return _plain(f"Query failed: {error}. The server is still running; this query cannot be answered.", 500)
    except StoreError as error:
        return _plain(f"The query store failed: {error}", 502)

    finally:
        g.query_ms = (time.perf_counter() - started) * 1000
    response = Response(result.body, status=200)
    response.headers["Content-Type"] = result.media_type + (
        "; charset=utf-8" if result.media_type.startswith("text/") or "json" in result.media_type else "")
    response.vary.add("Accept")
    limit = executor.row_limit
    if limit is not None:
        response.headers["X-R2PKG-Row-Limit"] = str(limit)
    response.headers["X-R2PKG-Truncated"] = "true" if result.truncated else "false"
    if shape.is_graph:
        response.headers["X-R2PKG-Statements"] = str(result.rows)
    if request.values.get("format"):
        extension = {"json": "srj", "xml": "srx", "jsonld": "jsonld"}.get(fmt, fmt)
        response.headers["Content-Disposition"] = f'inline; filename="query-results.{extension}"'
    return response


def _query_error(message: str, query: str) -> Response:
    """A 400 for a query the engine rejects; a syntax error says where (also in headers, for the editor) and why."""
    problem = explain(message, query)
    if problem is None:
        return _plain(message, 400)
    return _plain(problem.message(), 400, **{
        "X-R2PKG-Error-Line": str(problem.line), "X-R2PKG-Error-Column": str(problem.column),
        "X-R2PKG-Error-Length": str(len(problem.token))})


def _graph_counts() -> list[tuple[URIRef, int]]:
    """Named graphs and their sizes, asked once per app (the data of a running app does not change)."""
    return computed("graph_counts", lambda: [(row["g"], int(row["n"])) for row in backend().select(GRAPH_COUNTS_QUERY).rows])


def describe_service(endpoint_iri: str) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint: languages, formats, limits and the default dataset."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint_iri)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for key in [*RESULT_FORMATS, *GRAPH_FORMATS]:
        graph.add((service, SD.resultFormat, FORMAT_IRIS[key]))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name, triples in _graph_counts():
        named, description = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
        graph.add((named, SD.graph, description))
        graph.add((description, RDF.type, SD.Graph))
        graph.add((description, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph


def service_description() -> Response:
    choice = _choose(DESCRIPTION_OFFERS, None)
    if choice is None:
        return _plain("No acceptable format for the service description. Available: text/turtle, "
                      "application/rdf+xml, application/ld+json, application/n-triples.", 406)
    media_type, rdflib_format = choice
    body = describe_service(url_for("sparql.endpoint", _external=True)).serialize(format=rdflib_format)
    if media_type == "text/html":
        media_type = "text/plain"
    response = Response(body, mimetype=media_type)
    response.vary.add("Accept")
    return response
