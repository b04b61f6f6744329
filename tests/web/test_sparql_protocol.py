"""The SPARQL 1.1 Protocol at /sparql, with real clients (requests, SPARQLWrapper, rdflib) against the live server.

Every test runs on both backends (embedded store and Oxigraph server). Expected answers are counted independently
with rdflib over the data files themselves.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from r2pkg.namespaces import R2P

ROOT_PREFIXES = "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> PREFIX cat: <https://w3id.org/r2pkg/id/category/>\n"
CIVIL_SOCIETY = URIRef("https://w3id.org/r2pkg/id/category/civil-society")
GHANA = URIRef("https://w3id.org/r2pkg/id/state/ghana")
CORE = "https://w3id.org/r2pkg/graph/core"
CIVIL_SOCIETY_COUNT = ROOT_PREFIXES + "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r r2p:addressedTo cat:civil-society }"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="session")
def data_graphs(settings) -> dict[str, Graph]:
    """Each data file parsed by rdflib, by file stem: the independent count of what the endpoint must answer."""
    files = [*settings.data_dir.glob("*.ttl"), *(settings.data_dir / "sources").glob("*.ttl")]
    return {path.stem: Graph().parse(path) for path in files}


@pytest.fixture(scope="session")
def civil_society_count(data_graphs) -> int:
    return len({r for g in data_graphs.values() for r in g.subjects(R2P.addressedTo, CIVIL_SOCIETY)})


@pytest.fixture
def sparql(live_server) -> str:
    return live_server + "/sparql"


def json_count(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- The three ways of sending a query ---


def test_query_by_get(sparql, civil_society_count):
    response = requests.get(sparql, params={"query": CIVIL_SOCIETY_COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert json_count(response) == civil_society_count > 0


def test_query_by_urlencoded_post(sparql, civil_society_count):
    response = requests.post(sparql, data={"query": CIVIL_SOCIETY_COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert json_count(response) == civil_society_count


def test_query_by_direct_post(sparql, civil_society_count):
    response = requests.post(sparql, data=CIVIL_SOCIETY_COUNT.encode(),
                             headers={"Content-Type": "application/sparql-query", "Accept": "application/json"})
    assert json_count(response) == civil_society_count


def test_ask_about_a_known_triple(sparql, data_graphs):
    assert (GHANA, R2P.iso3166Alpha2, Literal("GH")) in data_graphs["countries"]
    known = 'ASK { <https://w3id.org/r2pkg/id/state/ghana> <https://w3id.org/r2pkg/ontology#iso3166Alpha2> "GH" }'
    wrong = known.replace('"GH"', '"GB"')
    assert requests.get(sparql, params={"query": known}).json() == {"head": {}, "boolean": True}
    assert requests.get(sparql, params={"query": wrong}).json()["boolean"] is False


# --- Content negotiation: one case per Accept header, and the format parameter for links ---

SELECT_STATES = ROOT_PREFIXES + "SELECT ?s WHERE { ?s a r2p:State } ORDER BY ?s LIMIT 3"
CONSTRUCT_GHANA = "CONSTRUCT WHERE { <https://w3id.org/r2pkg/id/state/ghana> ?p ?o }"
DESCRIBE_GHANA = "DESCRIBE <https://w3id.org/r2pkg/id/state/ghana>"


def _states_from(body: bytes, media_type: str) -> list[str]:
    text = body.decode()
    if "json" in media_type:
        return [b["s"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if "xml" in media_type:
        from xml.etree import ElementTree

        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        return [uri.text for uri in ElementTree.fromstring(text).findall(".//r:uri", ns)]
    if media_type == "text/csv":
        return [row["s"] for row in csv.DictReader(io.StringIO(text))]
    return [line.strip("<>") for line in text.splitlines()[1:]]


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    (None, "application/sparql-results+json"),
    ("text/turtle", 406),
    ("image/png", 406),
])
def test_select_content_negotiation(sparql, accept, expected):
    headers = {"Accept": accept} if accept else {"Accept": ""}
    response = requests.get(sparql, params={"query": SELECT_STATES}, headers=headers)
    assert "Accept" in response.headers["Vary"]
    if expected == 406:
        assert response.status_code == 406
        assert response.headers["Content-Type"].startswith("text/plain")
        assert "application/sparql-results+json" in response.text
        return
    assert response.status_code == 200, response.text
    media_type = response.headers["Content-Type"].split(";")[0]
    assert media_type == expected
    states = _states_from(response.content, media_type)
    assert len(states) == 3 and all(s.startswith("https://w3id.org/r2pkg/id/state/") for s in states)


def _graph_from(body: bytes, media_type: str) -> Graph:
    formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}
    return Graph().parse(data=body, format=formats[media_type])


@pytest.mark.parametrize("query", [CONSTRUCT_GHANA, DESCRIBE_GHANA], ids=["construct", "describe"])
@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/html;q=0.9, application/rdf+xml;q=0.5", "application/rdf+xml"),
    ("*/*", "text/turtle"),
    ("application/sparql-results+json", 406),
    ("text/csv", 406),
])
def test_graph_content_negotiation(sparql, data_graphs, query, accept, expected):
    response = requests.post(sparql, data={"query": query}, headers={"Accept": accept})
    assert "Accept" in response.headers["Vary"]
    if expected == 406:
        assert response.status_code == 406
        assert "text/turtle" in response.text
        return
    assert response.status_code == 200, response.text
    media_type = response.headers["Content-Type"].split(";")[0]
    assert media_type == expected
    graph = _graph_from(response.content, media_type)
    assert (GHANA, R2P.iso3166Alpha2, Literal("GH")) in graph
    assert (GHANA, RDF.type, R2P.State) in graph


@pytest.mark.parametrize(("query", "fmt", "media_type"), [
    (SELECT_STATES, "json", "application/sparql-results+json"),
    (SELECT_STATES, "xml", "application/sparql-results+xml"),
    (SELECT_STATES, "csv", "text/csv"),
    (SELECT_STATES, "tsv", "text/tab-separated-values"),
    (CONSTRUCT_GHANA, "ttl", "text/turtle"),
    (CONSTRUCT_GHANA, "nt", "application/n-triples"),
    (CONSTRUCT_GHANA, "jsonld", "application/ld+json"),
    (CONSTRUCT_GHANA, "rdf", "application/rdf+xml"),
])
def test_format_parameter_overrides_accept(sparql, query, fmt, media_type):
    response = requests.get(sparql, params={"query": query, "format": fmt}, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    if query is SELECT_STATES:
        assert len(_states_from(response.content, media_type)) == 3
    else:
        assert (GHANA, RDF.type, R2P.State) in _graph_from(response.content, media_type)


@pytest.mark.parametrize(("query", "fmt"), [(SELECT_STATES, "ttl"), (CONSTRUCT_GHANA, "csv"), (SELECT_STATES, "pdf")])
def test_format_parameter_that_does_not_fit_is_406(client, query, fmt):
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 406
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/csv; charset=utf-8", "text/csv"),
    ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0", 406),
])
def test_accept_parameters_do_not_count_and_q0_refuses(client, accept, expected):
    response = client.get("/sparql", query_string={"query": SELECT_STATES}, headers={"Accept": accept})
    if expected == 406:
        assert response.status_code == 406 and response.mimetype == "text/plain"
        return
    assert response.status_code == 200 and response.mimetype == expected
    assert len(_states_from(response.data, expected)) == 3


# --- Real client libraries ---


def test_sparqlwrapper_json_xml_csv_and_turtle(sparql, civil_society_count):
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    wrapper = SPARQLWrapper(sparql)
    wrapper.setQuery(CIVIL_SOCIETY_COUNT)
    wrapper.setReturnFormat(JSON)
    assert int(wrapper.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) == civil_society_count

    wrapper.setReturnFormat(XML)
    document = wrapper.queryAndConvert()
    assert document.getElementsByTagName("literal")[0].firstChild.data == str(civil_society_count)

    wrapper.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(wrapper.queryAndConvert().decode())))
    assert rows == [["n"], [str(civil_society_count)]]

    wrapper.setQuery(CONSTRUCT_GHANA)
    wrapper.setReturnFormat(TURTLE)
    graph = Graph().parse(data=wrapper.queryAndConvert(), format="turtle")
    assert (GHANA, R2P.iso3166Alpha2, Literal("GH")) in graph


def test_rdflib_sparqlstore_as_client(sparql, civil_society_count):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(sparql, returnFormat="json"))
    rows = list(graph.query(CIVIL_SOCIETY_COUNT))
    assert int(rows[0][0]) == civil_society_count


# --- Datasets: FROM, FROM NAMED and the protocol parameters, exactly ---

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_default_graph_uri_limits_the_default_graph(sparql, data_graphs):
    response = requests.get(sparql, params={"query": COUNT_ALL, "default-graph-uri": CORE})
    assert json_count(response) == len(data_graphs["core"])


def test_two_default_graph_uris_merge(sparql, data_graphs):
    countries = "https://w3id.org/r2pkg/graph/countries"
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    response = requests.post(sparql, data={"query": distinct, "default-graph-uri": [CORE, countries]})
    assert json_count(response) == len(data_graphs["core"] + data_graphs["countries"])


def test_named_graph_uri_alone_leaves_the_default_graph_empty(sparql, data_graphs):
    assert json_count(requests.get(sparql, params={"query": COUNT_ALL, "named-graph-uri": CORE})) == 0
    assert json_count(requests.get(sparql, params={"query": COUNT_NAMED, "named-graph-uri": CORE})) == len(data_graphs["core"])


def test_from_in_the_query(sparql, data_graphs):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{CORE}> WHERE {{ ?s ?p ?o }}"
    assert json_count(requests.get(sparql, params={"query": query})) == len(data_graphs["core"])


def test_from_named_in_the_query(sparql, data_graphs):
    query = f"PREFIX graph: <https://w3id.org/r2pkg/graph/>\nSELECT (COUNT(*) AS ?n) FROM NAMED graph:core WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert json_count(requests.get(sparql, params={"query": query})) == len(data_graphs["core"])


def test_protocol_parameters_override_from(sparql, data_graphs):
    query = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/r2pkg/graph/countries> WHERE { ?s ?p ?o }"
    assert json_count(requests.get(sparql, params={"query": query, "default-graph-uri": CORE})) == len(data_graphs["core"])


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_malformed_graph_iri_is_the_clients_error(sparql, parameter):
    response = requests.get(sparql, params={"query": COUNT_ALL, parameter: "<not an iri"})
    assert response.status_code == 400
    assert "IRI" in response.text
    assert requests.get(sparql, params={"query": COUNT_ALL}).status_code == 200


def test_without_a_dataset_the_default_graph_is_the_union_with_inferences(sparql, data_graphs):
    response = requests.get(sparql, params={"query": COUNT_ALL})
    asserted = sum(len(g) for g in data_graphs.values())
    assert json_count(response) > asserted  # plus the ontology and the inferred graph
    inferred = "ASK { GRAPH <https://w3id.org/r2pkg/graph/inferred> { ?s ?p ?o } }"
    assert requests.get(sparql, params={"query": inferred}).json()["boolean"] is True


# --- Read-only and closed ---


@pytest.fixture
def trap_server():
    """A loopback HTTP server that records every request, to prove nothing is ever fetched."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            body = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_service_is_refused_and_never_fetched(sparql, trap_server):
    url, hits = trap_server
    response = requests.get(sparql, params={"query": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 400
    assert "SERVICE" in response.text
    assert hits == []


def test_remote_from_is_only_a_graph_name(sparql, trap_server):
    url, hits = trap_server
    for query in (f"SELECT (COUNT(*) AS ?n) FROM <{url}/data.nt> WHERE {{ ?s ?p ?o }}",
                  f"SELECT (COUNT(*) AS ?n) FROM NAMED <{url}/data.nt> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        assert json_count(requests.get(sparql, params={"query": query})) == 0
    assert json_count(requests.get(sparql, params={"query": COUNT_ALL, "default-graph-uri": f"{url}/data.nt"})) == 0
    assert hits == []


INSERT = 'INSERT DATA { <https://w3id.org/r2pkg/id/state/ghana> <http://example.org/p> "planted" }'
PLANTED = 'ASK { ?s <http://example.org/p> "planted" }'


@pytest.mark.parametrize("send", ["update-parameter", "update-in-query", "sparql-update-body", "direct-post"])
def test_updates_are_refused_and_never_run(sparql, send):
    if send == "update-parameter":
        response = requests.post(sparql, data={"update": INSERT})
    elif send == "update-in-query":
        response = requests.post(sparql, data={"query": INSERT})
    elif send == "sparql-update-body":
        response = requests.post(sparql, data=INSERT.encode(), headers={"Content-Type": "application/sparql-update"})
    else:
        response = requests.post(sparql, data=INSERT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "read-only" in response.text
    assert requests.get(sparql, params={"query": PLANTED}).json()["boolean"] is False


def test_load_is_an_update_and_is_never_fetched(sparql, trap_server):
    url, hits = trap_server
    response = requests.post(sparql, data={"query": f"LOAD <{url}/data.nt>"})
    assert response.status_code == 400
    assert hits == []


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_methods_outside_the_protocol_are_405(sparql, method):
    response = requests.request(method, sparql, params={"query": SELECT_STATES})
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_malformed_query_is_400_with_line_and_column(sparql):
    response = requests.get(sparql, params={"query": "SELECT ?x WHERE { ?x ?p "})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "syntax error on line 1, column" in response.text


def test_unknown_prefix_is_400(sparql):
    response = requests.get(sparql, params={"query": "SELECT * WHERE { ?s nope:p ?o }"})
    assert response.status_code == 400
    assert "prefix “nope:” is not declared" in response.text


def test_post_without_query_is_400_and_odd_body_is_415(sparql):
    assert requests.post(sparql, data={"nothing": "here"}).status_code == 400
    assert requests.post(sparql, data=b"{}", headers={"Content-Type": "application/json"}).status_code == 415


def test_cors_on_the_endpoint(sparql):
    response = requests.get(sparql, params={"query": SELECT_STATES}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://example.org")
    assert "X-R2PKG-Truncated" in response.headers["Access-Control-Expose-Headers"]
    preflight = requests.options(sparql, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


# --- Service description ---


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
])
def test_service_description(sparql, accept, rdf_format):
    response = requests.get(sparql, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdf_format)
    service = URIRef(sparql)
    assert (service, RDF.type, URIRef(SD + "Service")) in graph
    assert (service, URIRef(SD + "endpoint"), service) in graph
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
    formats = set(graph.objects(service, URIRef(SD + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    names = set(graph.objects(None, URIRef(SD + "name")))
    assert URIRef(CORE) in names and URIRef("https://w3id.org/r2pkg/graph/inferred") in names


def test_service_description_for_a_browser_is_readable_text(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "sd:Service" in response.get_data(as_text=True)


# --- Limits: rows, time, crashes, other clients ---


def test_results_past_the_row_limit_are_cut_and_marked(sparql, app):
    limit = app.config["QUERY_ROW_LIMIT"]
    response = requests.get(sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.headers["X-R2PKG-Truncated"] == "true"
    assert response.headers["X-R2PKG-Row-Limit"] == str(limit)
    assert len(response.json()["results"]["bindings"]) == limit

    small = requests.get(sparql, params={"query": SELECT_STATES})
    assert small.headers["X-R2PKG-Truncated"] == "false"


def test_graph_results_past_the_row_limit_are_cut_and_marked(sparql, app):
    limit = app.config["QUERY_ROW_LIMIT"]
    response = requests.get(sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert response.headers["X-R2PKG-Truncated"] == "true"
    assert len([line for line in response.text.splitlines() if line.strip()]) == limit


def _rows_in(response: requests.Response, fmt: str) -> int:
    if fmt == "json":
        return len(response.json()["results"]["bindings"])
    if fmt == "xml":
        return response.text.count("<result>")
    if fmt == "csv":
        return len(list(csv.reader(io.StringIO(response.text, newline="")))) - 1
    return len(response.text.splitlines()) - 1  # TSV escapes line breaks inside literals


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_a_long_answer_arrives_in_chunks_cut_at_exactly_the_row_limit(sparql, app, fmt):
    """Thousands of rows are streamed from the worker (chunked transfer, no length known in advance), never built
    whole in the server; the row limit still cuts exactly and the headers say so."""
    limit = app.config["QUERY_ROW_LIMIT"]
    response = requests.get(sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": fmt},
                            headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers.get("Transfer-Encoding") == "chunked" and "Content-Length" not in response.headers
    assert response.headers["X-R2PKG-Truncated"] == "true"
    assert _rows_in(response, fmt) == limit
    exact = requests.get(sparql, params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {limit}", "format": fmt})
    assert exact.headers["X-R2PKG-Truncated"] == "false" and _rows_in(exact, fmt) == limit


def test_a_long_graph_answer_arrives_in_chunks_with_its_exact_count(sparql, app):
    limit = app.config["QUERY_ROW_LIMIT"]
    response = requests.get(sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"},
                            headers={"Accept-Encoding": "identity"})
    assert response.headers.get("Transfer-Encoding") == "chunked"
    assert response.headers["X-R2PKG-Statements"] == str(limit)
    assert len(Graph().parse(data=response.text, format="nt")) == limit


def test_a_short_answer_comes_whole_with_its_length(sparql):
    response = requests.get(sparql, params={"query": SELECT_STATES}, headers={"Accept-Encoding": "identity"})
    assert int(response.headers["Content-Length"]) == len(response.content)
    assert len(response.json()["results"]["bindings"]) == 3


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_slow_query_is_stopped_while_other_clients_are_served(sparql, app):
    timeout = app.config["QUERY_TIMEOUT_SECONDS"]
    outcome = {}

    def slow():
        started = time.monotonic()
        outcome["response"] = requests.get(sparql, params={"query": SLOW}, timeout=timeout * 6)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    quick = []
    while thread.is_alive() and len(quick) < 5:
        quick.append(requests.get(sparql, params={"query": SELECT_STATES}, timeout=timeout).status_code)
    thread.join(timeout * 6)
    assert quick and set(quick) == {200}
    response = outcome["response"]
    assert response.status_code == 429 and response.headers["Retry-After"] == "5"
    assert "limit" in response.text and "stopped" in response.text
    assert timeout <= outcome["seconds"] < timeout + 10
    # The killed worker was replaced: the endpoint still answers.
    assert requests.get(sparql, params={"query": SELECT_STATES}).status_code == 200


DEEP = "SELECT * WHERE " + "{" * 20000 + " ?s ?p ?o " + "}" * 20000


def test_query_that_would_crash_the_engine_is_refused_before_it(sparql):
    response = requests.post(sparql, data={"query": DEEP})
    # The native parser would overflow its stack (and so would the Oxigraph server's): the query is not run.
    assert response.status_code == 400
    assert "nested 20000 levels deep" in response.text and "limit of 256" in response.text
    for _ in range(3):
        assert requests.get(sparql, params={"query": SELECT_STATES}).status_code == 200


LONG = "SELECT * WHERE { ?s ?p ?o " + "MINUS { ?s ?p ?o } " * 4000 + "}"


def test_long_flat_query_is_refused_before_the_engine(sparql):
    response = requests.post(sparql, data={"query": LONG})
    # Thousands of chained MINUS blocks overflow the engine's stack: the query is not run.
    assert response.status_code == 400
    assert "more than the limit of 5000" in response.text
    for _ in range(3):
        assert requests.get(sparql, params={"query": SELECT_STATES}).status_code == 200


def test_query_too_long_is_refused_with_its_limit(sparql):
    from r2pkg.web.limits import MAX_QUERY_CHARS

    text = "# " + "x" * MAX_QUERY_CHARS + "\nASK {}"
    response = requests.post(sparql, data={"query": text})
    assert response.status_code == 400
    assert f"more than the limit of {MAX_QUERY_CHARS}" in response.text


def test_crash_of_a_worker_still_costs_one_answer(embedded_backend):
    """The worker isolation stays as the last line of defence behind the limits."""
    from r2pkg.executor import EngineCrash, QueryExecutor

    executor = QueryExecutor.for_backend(embedded_backend, workers=1, timeout=10)
    try:
        with pytest.raises(EngineCrash):
            executor.run(DEEP, "json")
        assert executor.run(SELECT_STATES, "json").rows > 0
    finally:
        executor.close()


def test_a_query_that_kills_its_worker_is_a_400_and_the_endpoint_goes_on(embedded_backend, settings, monkeypatch):
    """Past the limits (switched off here), a query that crashes the engine is the client's query: a 400, not a 5xx."""
    from r2pkg.web import create_app, resources, sparql as sparql_view

    monkeypatch.setattr(sparql_view, "query_problem", lambda query, shape=None: None)
    crashing = create_app(backend=embedded_backend, settings=settings,
                          config={"TESTING": True, "QUERY_WORKERS": 1, "QUERY_TIMEOUT_SECONDS": 20})
    try:
        client = crashing.test_client()
        response = client.post("/sparql", data={"query": DEEP})
        assert response.status_code == 400
        assert "cannot be answered" in response.get_data(as_text=True)
        assert client.get("/sparql", query_string={"query": SELECT_STATES}).status_code == 200
    finally:
        resources.close(crashing)


def test_every_catalogue_query_is_within_the_limits(settings):
    from r2pkg.web.limits import query_problem

    queries = sorted(settings.queries_dir.glob("*.rq"))
    assert queries
    for path in queries:
        assert query_problem(path.read_text(encoding="utf-8")) is None, path.name


@pytest.mark.parametrize("query", [SELECT_STATES, CONSTRUCT_GHANA], ids=["select", "construct"])
@pytest.mark.parametrize("accept", ["text/*", "application/*", "text/*;q=0.9, application/*;q=0.8"])
def test_media_range_gets_an_answer_labelled_within_it(sparql, query, accept):
    response = requests.get(sparql, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    media_type = response.headers["Content-Type"].split(";")[0]
    assert media_type.split("/")[0] == accept.split("/")[0], media_type
