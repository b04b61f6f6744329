"""The queries the benchmark times on every endpoint, and the timing itself (warm-up, then the median of N runs).

The competency questions of queries/ with their default parameters (through the catalogue), plus heavy queries that
stress what the catalogue does not: a full count, a two-hop join, a regex over every label, an ORDER BY over every
label, a point lookup, 20,000 rows of anything (the cost of encoding rows), and `ASK {}` (nothing but each server's
fixed cost per query).
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from rdflib.namespace import RDFS

from r2pkg.catalogue import load_catalogue
from r2pkg.config import ID_BASE, Settings
from r2pkg.namespaces import R2P

GHANA = f"<{ID_BASE}state/ghana>"
LABEL = RDFS.label.n3()

HEAVY = {
    "ask-empty": "ASK {}",
    "point-lookup": f"SELECT ?p ?o WHERE {{ {GHANA} ?p ?o }}",
    "full-count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "two-hop-join": f"SELECT ?actor (COUNT(?recommendation) AS ?n) WHERE {{ ?recommendation {R2P.appliesTo.n3()} "
                    f"?actor . ?actor {LABEL} ?label }} GROUP BY ?actor",
    "many-rows": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20000",
    "regex-labels": f'SELECT ?s ?label WHERE {{ ?s {LABEL} ?label FILTER REGEX(?label, "prot", "i") }}',
    "order-by-labels": f"SELECT ?s ?label WHERE {{ ?s {LABEL} ?label }} ORDER BY ?label LIMIT 100",
}
"""Heavy (and trivially light) queries beyond the catalogue, by name."""


def benchmark_queries(settings: Settings | None = None) -> dict[str, str]:
    """Every query the benchmark runs, by name: the heavy ones, then each competency question with its defaults."""
    queries = dict(HEAVY)
    queries.update({f"cq:{question.name}": question.bind() for question in load_catalogue(settings)})
    return queries


@dataclass
class Timing:
    """One query on one endpoint: the median and every run in ms, the rows of the answer, or why it has none."""

    median_ms: float | None = None
    runs_ms: list[float] = field(default_factory=list)
    rows: int | None = None
    error: str | None = None

    def as_dict(self) -> dict:
        return {"median_ms": self.median_ms, "runs_ms": self.runs_ms, "rows": self.rows, "error": self.error}


class SparqlClient:
    """POSTs queries over one kept-alive HTTP connection (http.client: the least client overhead in Python)."""

    def __init__(self, url: str, timeout: float):
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def ask(self, query: str) -> tuple[int, bytes, float]:
        """(status, body, seconds from sending the request to having the whole body)."""
        body = urlencode({"query": query}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json"}
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.connection.request("POST", self.path, body, headers)
                response = self.connection.getresponse()
                content = response.read()
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
                self.close()
                if attempt == 2:
                    raise
                continue  # the server closed a kept-alive connection: once more on a new one
            except (socket.timeout, TimeoutError):
                self.close()
                raise
            elapsed = time.perf_counter() - started
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, content, elapsed
        raise AssertionError("unreachable")


def count_rows(body: bytes) -> int:
    """Rows of a SPARQL JSON answer (1 for an ASK)."""
    data = json.loads(body)
    return 1 if "boolean" in data else len(data["results"]["bindings"])


def time_query(client: SparqlClient, query: str, repeats: int, slow_seconds: float) -> Timing:
    """Warm up once, then time `repeats` runs (3 when the warm-up took over `slow_seconds`, 1 over 4× that)."""
    try:
        status, body, first = client.ask(query)
    except (socket.timeout, TimeoutError):
        return Timing(error=f"timeout after {client.timeout:g} s")
    if status != 200:
        return Timing(error=f"HTTP {status}: {body[:200].decode(errors='replace').strip()}")
    rows = count_rows(body)
    if first > 4 * slow_seconds:
        repeats = 1
    elif first > slow_seconds:
        repeats = min(repeats, 3)
    runs = []
    for _ in range(repeats):
        try:
            status, body, elapsed = client.ask(query)
        except (socket.timeout, TimeoutError):
            return Timing(rows=rows, error=f"timeout after {client.timeout:g} s")
        if status != 200:
            return Timing(rows=rows, error=f"HTTP {status}")
        runs.append(round(elapsed * 1000, 3))
    return Timing(round(statistics.median(runs), 3), runs, rows)
