"""Hostile traffic against a real server on loopback: oversized requests, rate limits, caps on running queries, and
everything a client can get wrong answered by a 4xx that names the problem."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse

import pytest
import requests

from r2pkg.web import resources
from r2pkg.web.limits import MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_URL_BYTES
from waitress_thread import start

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { ?s ?p ?o }"


def _serve(app):
    return start(app, threads=8, public_limits=True)


@pytest.fixture(scope="module")
def guarded_app(embedded_backend, settings):
    """A server as `r2pkg serve` runs it (waitress limits, a trusted proxy so tests can be several clients), with a
    small rate limit and small caps on running queries."""
    from r2pkg.web import create_app

    app = create_app(backend=embedded_backend, settings=settings, config={
        "TESTING": True, "TRUSTED_PROXY": 1, "QUERY_WORKERS": 2, "QUERY_TIMEOUT_SECONDS": 3.0,
        "SPARQL_RATE_LIMIT": "5 per minute", "SPARQL_MAX_RUNNING": 2, "SPARQL_MAX_RUNNING_PER_CLIENT": 1,
        "SPARQL_ADMIT_WAIT": 0.5})
    resources.executor(app).start()
    server, url = _serve(app)
    app.config["TEST_URL"] = url
    yield app
    server.close()
    resources.close(app)


@pytest.fixture(scope="module")
def guarded(guarded_app) -> str:
    return guarded_app.config["TEST_URL"]


def as_client(name: str) -> dict:
    return {"X-Forwarded-For": name}


# --- sizes ---


def test_long_url_is_414(live_server):
    response = requests.get(live_server + "/sparql", params={"query": "ASK {} #" + "x" * MAX_URL_BYTES})
    assert response.status_code == 414
    assert "POST" in response.text and str(MAX_URL_BYTES) in response.text


def test_huge_head_is_431(guarded):
    response = requests.get(guarded + "/", headers={"X-Padding": "x" * (MAX_HEADER_BYTES + 1000)})
    assert response.status_code == 431
    assert "max_header" in response.text or "too large" in response.text.lower()


def test_big_body_is_413_before_it_is_read(guarded):
    response = requests.post(guarded + "/sparql", data=b"A" * (MAX_BODY_BYTES + 10),
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert str(MAX_BODY_BYTES) in response.text


def test_body_over_the_server_limit_is_413(guarded):
    """Far beyond: waitress itself stops reading and answers 413."""
    response = requests.post(guarded + "/sparql", data=b"A" * (4 * MAX_BODY_BYTES),
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_a_body_sent_without_its_length_is_cut_at_the_limit(guarded):
    def chunks():
        for _ in range(MAX_BODY_BYTES // 65536 + 4):
            yield b"#" * 65536

    response = requests.post(guarded + "/sparql", data=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


# --- rate limit and caps ---


def test_rate_limit_per_client_with_retry_after(guarded):
    statuses = [requests.get(guarded + "/sparql", params={"query": QUICK}, headers=as_client("198.51.100.1"))
                for _ in range(6)]
    assert [r.status_code for r in statuses[:5]] == [200] * 5
    refused = statuses[5]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "rate limit" in refused.text
    # Another client is not affected; pages are not limited.
    assert requests.get(guarded + "/sparql", params={"query": QUICK}, headers=as_client("198.51.100.2")).status_code == 200
    assert requests.get(guarded + "/id/state/ghana", headers=as_client("198.51.100.1")).status_code == 200


def test_caps_on_running_queries(guarded, guarded_app):
    """A client runs one query at a time here, and the server two: a third waits neither for a worker nor a thread."""
    outcome = {}

    def slow(name):
        outcome[name] = requests.post(guarded + "/sparql", data={"query": SLOW}, headers=as_client(name), timeout=30)

    first = threading.Thread(target=slow, args=("203.0.113.1",))
    first.start()
    _wait_running(guarded_app, 1)
    again = requests.post(guarded + "/sparql", data={"query": QUICK}, headers=as_client("203.0.113.1"))
    assert again.status_code == 429
    assert "already has 1 running" in again.text
    second = threading.Thread(target=slow, args=("203.0.113.2",))
    second.start()
    _wait_running(guarded_app, 2)
    third = requests.post(guarded + "/sparql", data={"query": QUICK}, headers=as_client("203.0.113.3"))
    assert third.status_code == 429
    assert "Server busy" in third.text and third.headers["Retry-After"]
    # Pages are served meanwhile.
    assert requests.get(guarded + "/id/state/ghana", headers=as_client("203.0.113.3")).status_code == 200
    first.join(30)
    second.join(30)
    assert outcome["203.0.113.1"].status_code == 429 and "limit" in outcome["203.0.113.1"].text
    assert requests.post(guarded + "/sparql", data={"query": QUICK}, headers=as_client("203.0.113.3")).status_code == 200


def _wait_running(app, count):
    """Until the app's gate counts `count` queries running (the app runs in this process)."""
    import time

    gate = resources.query_gate(app)
    deadline = time.monotonic() + 10
    while sum(gate._running.values()) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{count} queries never ran at once")
        time.sleep(0.05)


# --- every client error is a 4xx ---


@pytest.mark.parametrize(("send", "status", "words"), [
    (lambda u: requests.get(u + "/sparql?query=ASK%20%7B%7D%20%23%C3%28"), 200, ""),
    (lambda u: requests.get(u + "/sparql?query=%%%"), 400, "syntax"),
    (lambda u: requests.post(u + "/sparql", data="ASK { } # \xe9".encode("latin-1"),
                             headers={"Content-Type": "application/sparql-query"}), 400, "charset"),
    (lambda u: requests.post(u + "/sparql", data="ASK { FILTER(\"\xe9\" = \"\xe9\") }".encode("latin-1"),
                             headers={"Content-Type": "application/sparql-query; charset=iso-8859-1"}), 200, ""),
    (lambda u: requests.post(u + "/sparql", data=b"ASK {}",
                             headers={"Content-Type": "application/sparql-query; charset=klingon"}), 415, "charset"),
    (lambda u: requests.get(u + "/sparql", params={"query": "SELECT (<http://example.org/nofn>(1) AS ?x) {}"}), 400, "nofn"),
    (lambda u: requests.get(u + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT -1"}), 400, ""),
    (lambda u: requests.get(u + "/sparql", params={"query": QUICK, "format": "pdf"}), 406, "format"),
    (lambda u: requests.get(u + "/browse/states", params={"page": "x"}), 400, "whole number"),
    (lambda u: requests.get(u + "/api/search", params={"q": "a", "limit": "-3"}), 400, "1 or more"),
    (lambda u: requests.get(u + "/id/state/ghana", params={"lang": "<script>"}), 400, "language"),
    (lambda u: requests.get(u + "/recommendations", params={"theme": "not an iri"}), 400, "IRI"),
    (lambda u: requests.request("BREW", u + "/"), 405, ""),
], ids=["bad-utf8-in-comment", "bad-percent", "latin1-undeclared", "latin1-declared", "unknown-charset",
        "unknown-function", "negative-limit", "unknown-format", "bad-page", "bad-limit", "bad-lang", "bad-facet", "brew"])
def test_client_mistakes_are_4xx(live_server, send, status, words):
    response = send(live_server)
    assert response.status_code == status, response.text[:300]
    assert words.lower() in response.text.lower()


def test_construct_with_relative_iris_resolves_against_the_dataset_base(live_server):
    response = requests.post(live_server + "/sparql", data={"query": "CONSTRUCT { <id/state/ghana> <p> <o> } WHERE {}"},
                             headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    assert response.text.strip() == ("<https://w3id.org/r2pkg/id/state/ghana> <https://w3id.org/r2pkg/p> "
                                     "<https://w3id.org/r2pkg/o> .")
    own = requests.post(live_server + "/sparql", data={"query": "BASE <http://example.org/> CONSTRUCT { <a> <b> <c> } "
                                                               "WHERE {}"}, headers={"Accept": "application/n-triples"})
    assert own.text.strip() == "<http://example.org/a> <http://example.org/b> <http://example.org/c> ."


# --- slow and half-open clients ---


def test_hundreds_of_slow_clients_do_not_lock_others_out(guarded):
    """300 connections that never finish their request head, 100 that send nothing: others are still served."""
    address = urlparse(guarded)
    stalled = []
    try:
        for number in range(400):
            sock = socket.create_connection((address.hostname, address.port), timeout=10)
            if number < 300:
                sock.sendall(b"GET /id/state/ghana HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            stalled.append(sock)
        for sock in stalled[:300]:  # one more byte each, as a slowloris client trickles
            sock.sendall(b"a")
        session = requests.Session()
        for path in ("/api/search?q=ghana", "/id/state/ghana", "/healthz", "/sparql?query=ASK%7B%7D"):
            response = session.get(guarded + path, headers=as_client("192.0.2.50"), timeout=30)
            assert response.status_code == 200, path
    finally:
        for sock in stalled:
            sock.close()


def test_a_full_server_lets_a_query_wait_briefly_for_a_place():
    """The gate's own behaviour: a query that finds every place taken gets the first one freed within the wait,
    and is refused (429) only when none frees in time."""
    from r2pkg.web.limits import Busy, QueryGate

    gate = QueryGate(total=1, per_client=1, wait=5.0)
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with gate.admit("a"):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    threading.Timer(0.3, release.set).start()
    with gate.admit("b"):  # waits for "a" to finish instead of being refused
        assert release.is_set()
    holder.join(10)

    impatient = QueryGate(total=1, per_client=1, wait=0.2)
    with impatient.admit("a"):
        with pytest.raises(Busy) as refused:
            with impatient.admit("b"):
                pass
    assert refused.value.status == 429 and "Server busy" in str(refused.value)
