"""The SPARQL 1.1 Protocol endpoint at /sparql, with its service description.

Read-only and closed: updates are refused, SERVICE is refused, FROM / FROM NAMED and the dataset parameters only name
graphs of the store. Queries run in worker processes (r2pkg.executor) under a time and a row limit. Errors are plain
text with the parser's or the limit's message, as SPARQL clients expect.
"""

from __future__ import annotations

import codecs
import functools
import time

from flask import Blueprint, Response, g, request, url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID, XSD
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from ..build import GRAPH_COUNTS_QUERY
from ..executor import EngineCrash, QueryTimeout, ServerBusy
from ..formats import GRAPH_ANSWERS, HTML, SELECT_ANSWERS, Choice, negotiate, offered_types
from ..namespaces import SD, W3C_FORMATS
from ..query_errors import explain, shift_lines
from ..sparql_text import analyse_query
from ..store import QueryError, StoreError
from .limits import MAX_QUERY_CHARS, Busy, client_address, limiter, query_problem, sparql_rate_limit, sparql_rate_limit_exempt
from .resources import backend, computed, query_gate, settings
from .resources import executor as query_executor

bp = Blueprint("sparql", __name__)


ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]

DESCRIPTION_OFFERS = [*GRAPH_ANSWERS, HTML]
"""The service description: RDF by content negotiation; a browser gets the Turtle as plain text to read."""


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
    # The one analysis of the text (limits, form, dataset, column order all read it); an oversized text is refused unread.
    shape = analyse_query(query) if len(query) <= MAX_QUERY_CHARS else None
    problem = query_problem(query, shape)
    if problem:
        return _plain(problem + " The query was not run.", 400)
    if shape.form == "UPDATE":
        return _plain("This endpoint is read-only: SPARQL Update (including LOAD) is not accepted.", 400)
    if shape.service:
        return _plain("SERVICE is not allowed here: this endpoint never fetches data from other servers.", 400)
    if shape.form is None:
        return _plain("SPARQL syntax error: the query has no SELECT, ASK, CONSTRUCT or DESCRIBE form.", 400)
    offers = GRAPH_ANSWERS if shape.is_graph else SELECT_ANSWERS
    asked = request.values.get("format")
    accept = request.headers.get("Accept", "")
    choice = _negotiated(shape.is_graph, accept, asked) if len(accept) <= MAX_REMEMBERED_ACCEPT \
        else negotiate(offers, request.accept_mimetypes, asked)
    if choice is None:
        return _plain(f"No acceptable format for a {shape.form} answer. Available: {', '.join(offered_types(offers))} "
                      f"(or format={', '.join(f.key for f in offers)}).", 406)
    fmt = choice.format

    dataset_given = bool(default_graphs or named_graphs)
    executor = query_executor()
    # Relative IRIs (a CONSTRUCT template's <thing>) resolve against the dataset's base unless the query sets its own.
    text = f"BASE <{settings().base}>\n{query}"
    started = time.perf_counter()
    try:
        with query_gate().admit(client_address()):
            result = executor.run(text, fmt.key, default_graphs if dataset_given else None,
                                  named_graphs if dataset_given else None, shape)
    except Busy as error:
        return _plain(str(error), error.status, **{"Retry-After": "5"})
    except QueryError as error:
        return _query_error(shift_lines(str(error), -1), query)  # positions in the user's text, not after BASE
    # What the client's query costs is answered with a 4xx, never a 5xx: the time limit and a full server are 429s
    # with Retry-After (as QLever answers a query its time limit stops), a query that kills its worker a 400.
    except QueryTimeout as error:
        return _plain(f"Query timeout: {error}. Narrow the query or add a LIMIT.", 429, **{"Retry-After": "5"})
    except ServerBusy as error:
        return _plain(f"Server busy: {error}", 429, **{"Retry-After": "5"})
    except EngineCrash as error:
        return _plain(f"Query failed: {error}. The server is still running; this query cannot be answered.", 400)
    except StoreError as error:
        return _plain(f"The query store failed: {error}", 502)

    finally:
        g.query_ms = (time.perf_counter() - started) * 1000
    media_type = result.media_type
    headers = {"Content-Type": media_type + ("; charset=utf-8" if media_type.startswith("text/") or "json" in media_type
                                             else ""),
               "X-R2PKG-Truncated": "true" if result.truncated else "false"}
    limit = executor.row_limit
    if limit is not None:
        headers["X-R2PKG-Row-Limit"] = str(limit)
    if shape.is_graph:
        headers["X-R2PKG-Statements"] = str(result.rows)
    if asked:
        headers["Content-Disposition"] = f'inline; filename="query-results.{fmt.extension}"'
    if result.complete:
        response = Response(result.body, status=200, headers=headers)
    else:  # a long answer: sent in chunks as the worker writes them (chunked transfer), never held whole here
        response = Response(result.chunks(), status=200, headers=headers)
        response.implicit_sequence_conversion = False  # a conditional GET must not read it all to count its length
        response.call_on_close(result.close)
    response.vary.add("Accept")
    return response


MAX_REMEMBERED_ACCEPT = 512
"""Accept headers up to this length have their negotiation remembered (`_negotiated`)."""


@functools.lru_cache(maxsize=256)
def _negotiated(graph: bool, accept: str, asked: str | None) -> Choice | None:
    """The answer format for one Accept header (and format=), remembered: clients send the same few headers again
    and again, and reading one costs more than the rest of a small query's view."""
    return negotiate(GRAPH_ANSWERS if graph else SELECT_ANSWERS, parse_accept_header(accept, MIMEAccept), asked)


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
    graph.bind("formats", W3C_FORMATS)
    service = URIRef(endpoint_iri)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in [*SELECT_ANSWERS, *GRAPH_ANSWERS]:
        graph.add((service, SD.resultFormat, fmt.w3c))
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
    choice = negotiate(DESCRIPTION_OFFERS, request.accept_mimetypes)
    if choice is None:
        return _plain("No acceptable format for the service description. Available: "
                      f"{', '.join(offered_types(GRAPH_ANSWERS))}.", 406)
    fmt = choice.format
    media_type = fmt.media_type
    if fmt is HTML:
        fmt, media_type = GRAPH_ANSWERS[0], "text/plain"
    body = describe_service(url_for("sparql.endpoint", _external=True)).serialize(format=fmt.rdflib)
    response = Response(body, mimetype=media_type)
    response.vary.add("Accept")
    return response
