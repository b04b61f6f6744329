"""The store layer: reading a query's shape, raw-format answers with the row limit, the worker pool's limits."""

from __future__ import annotations

import json
import os
import time

import pytest

from r2pkg.executor import EngineCrash, QueryExecutor, QueryTimeout
from r2pkg.sparql_text import analyse_query
from r2pkg.store import EmbeddedBackend, QueryError


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://example.org/>\nBASE <http://example.org/>\nask { ?s ex:p ?o }", "ASK"),
    ("# a comment saying INSERT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
    ("PREFIX : <http://example.org/> INSERT DATA { :a :b :c }", "UPDATE"),
    ("LOAD <http://example.org/data.ttl>", "UPDATE"),
    ("WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
    ("{ broken", None),
])
def test_query_form(text, form):
    assert analyse_query(text).form == form


def test_service_only_as_a_keyword():
    assert analyse_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").service
    assert analyse_query("select * { service silent <http://example.org/sparql> { ?s ?p ?o } }").service
    quiet = "PREFIX ex: <http://example.org/> SELECT ?service WHERE { ?service ex:SERVICE 'SERVICE' } # SERVICE"
    assert not analyse_query(quiet).service


def test_from_clauses_resolved():
    shape = analyse_query("PREFIX g: <https://w3id.org/r2pkg/graph/>\nBASE <http://example.org/dir/>\n"
                          "SELECT * FROM g:core FROM <other> FROM NAMED <http://example.org/n> WHERE { ?s ?p ?o }")
    assert shape.from_graphs == ["https://w3id.org/r2pkg/graph/core", "http://example.org/dir/other"]
    assert shape.from_named == ["http://example.org/n"]
    assert not analyse_query("SELECT ?from WHERE { ?from ?p 'FROM <x>' }").has_dataset


def test_depth_counts_nesting():
    assert analyse_query("SELECT * WHERE " + "{" * 40 + "}" * 40).depth == 40


@pytest.fixture(scope="module")
def embedded(built_release):
    return EmbeddedBackend.from_file(built_release / "dataset.nq")


def test_run_cuts_at_the_row_limit(embedded):
    result = embedded.run("SELECT * WHERE { ?s ?p ?o }", "json", row_limit=7)
    assert result.truncated and result.rows == 7
    assert len(json.loads(result.body)["results"]["bindings"]) == 7
    exact = embedded.run("SELECT * WHERE { ?s ?p ?o } LIMIT 7", "csv", row_limit=7)
    assert not exact.truncated and len(exact.body.decode().strip().splitlines()) == 8


def test_run_refuses_a_format_that_does_not_fit(embedded):
    with pytest.raises(QueryError):
        embedded.run("SELECT * WHERE { ?s ?p ?o }", "ttl")
    with pytest.raises(QueryError):
        embedded.run("CONSTRUCT WHERE { ?s ?p ?o }", "csv")


def test_construct_gives_an_rdflib_graph(embedded):
    graph = embedded.construct("CONSTRUCT WHERE { <https://w3id.org/r2pkg/id/state/ghana> ?p ?o }")
    assert len(graph) > 5


@pytest.fixture(scope="module")
def executor(embedded):
    pool = QueryExecutor.for_backend(embedded, workers=1, timeout=2.0, row_limit=50)
    yield pool
    pool.close()


def test_executor_answers_and_limits(executor):
    result = executor.run("SELECT * WHERE { ?s ?p ?o }", "json")
    assert result.truncated and result.rows == 50


def test_executor_stops_a_slow_query_and_replaces_the_worker(executor):
    before = executor.pids()
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        executor.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", "json")
    assert time.monotonic() - started < 6
    assert json.loads(executor.run("ASK { ?s ?p ?o }", "json").body) == {"head": {}, "boolean": True}
    assert set(executor.pids()).isdisjoint(before)


def test_executor_survives_a_crash_of_the_engine(executor):
    with pytest.raises(EngineCrash):
        executor.run("SELECT * WHERE " + "{" * 20000 + "}" * 20000, "json")
    assert executor.run("ASK { ?s ?p ?o }", "json").rows == 1


def _parent_of(pid: int) -> int:
    return int(open(f"/proc/{pid}/stat").read().rpartition(")")[2].split()[1])


def test_workers_are_forks_of_one_process_that_holds_the_data(embedded):
    """One copy of the data: the workers are forks of one process (a child of this one) that loaded it."""
    pool = QueryExecutor.for_backend(embedded, workers=2, timeout=10)
    try:
        pool.start()
        parents = {_parent_of(pid) for pid in pool.pids()}
        assert len(pool.pids()) == 2 and len(parents) == 1
        assert _parent_of(parents.pop()) == os.getpid()
    finally:
        pool.close()


def test_an_answer_left_half_read_costs_its_worker_and_nothing_else(embedded):
    pool = QueryExecutor.for_backend(embedded, workers=1, timeout=10, row_limit=None)
    try:
        answer = pool.run("SELECT * WHERE { ?s ?p ?o }", "json")
        assert not answer.complete and answer.rows > 1000
        [before] = pool.pids()
        assert next(answer.chunks()).startswith(b'{"head":{"vars":["s","p","o"]}')
        answer.close()  # the client went away
        assert json.loads(pool.run("ASK { ?s ?p ?o }", "json").body)["boolean"] is True
        assert pool.pids() and before not in pool.pids()
    finally:
        pool.close()


def test_a_zygote_killed_from_outside_is_a_store_failure_then_a_new_one_loads_the_data(embedded):
    """The workers end with the process they fork from: the query in flight is not blamed (no EngineCrash), and the
    pool loads the data again in a new zygote and answers."""
    import signal

    from r2pkg.store import StoreError

    pool = QueryExecutor.for_backend(embedded, workers=1, timeout=10)
    try:
        pool.start()
        zygote = {_parent_of(pid) for pid in pool.pids()}.pop()
        os.kill(zygote, signal.SIGKILL)
        time.sleep(1.5)  # the worker notices within a second that its zygote is gone, and exits
        with pytest.raises(StoreError) as failure:
            pool.run("ASK { ?s ?p ?o }", "json")
        assert not isinstance(failure.value, EngineCrash) and "a new one is loading the data" in str(failure.value)
        deadline = time.monotonic() + 30
        while not pool.pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert json.loads(pool.run("ASK { ?s ?p ?o }", "json").body)["boolean"] is True
        assert {_parent_of(pid) for pid in pool.pids()} != {zygote}
    finally:
        pool.close()


def test_closing_stops_every_worker(embedded):
    import os

    pool = QueryExecutor.for_backend(embedded, workers=2, timeout=5.0)
    pool.start()
    pids = pool.pids()
    assert len(pids) == 2
    pool.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@pytest.fixture
def silent_endpoint():
    """A loopback 'SPARQL endpoint' that accepts the request and never answers within the client's limit."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    release = threading.Event()

    class Stall(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            release.wait(10)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stall)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    release.set()
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("call", ["run", "select"])
def test_remote_store_that_outlasts_the_limit_is_a_timeout_not_a_failure(silent_endpoint, call):
    from r2pkg.store import RemoteBackend

    remote = RemoteBackend(silent_endpoint, timeout=1)
    with pytest.raises(QueryTimeout, match="limit of 1 s"):
        if call == "run":
            remote.run("SELECT * WHERE { ?s ?p ?o }", "json")
        else:
            remote.select("SELECT * WHERE { ?s ?p ?o }")


def test_remote_timeout_in_a_worker_reaches_the_caller_as_a_timeout(silent_endpoint):
    from r2pkg.executor import BackendSpec

    pool = QueryExecutor(BackendSpec("remote", silent_endpoint, timeout=1), workers=1, timeout=5)
    try:
        with pytest.raises(QueryTimeout, match="limit of 1 s"):
            pool.run("SELECT * WHERE { ?s ?p ?o }", "json")
    finally:
        pool.close()
