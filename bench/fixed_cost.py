"""Where a /sparql answer's fixed cost goes: each layer timed on its own, in one process, on the current build.

    .venv/bin/python -m bench.fixed_cost [--repeat 300] [--profile]

Layers, innermost first: the engine alone (pyoxigraph's query and its own JSON writer), the backend's `run` (query
analysis, the engine's TSV cut at the row limit, then its JSON writer), the worker pool's round trip (the job pickled
over a socket to a forked worker, the engine's bytes back), the Flask view through the test client (limits, gate, content negotiation, logging), and the whole
thing over HTTP through waitress. Differences between neighbouring layers are what each adds. --profile prints the
cProfile of the Flask layer for the slowest query.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import pstats
import statistics
import threading
import time
from urllib.parse import urlencode

import pyoxigraph as ox

from r2pkg.store import EmbeddedBackend, analyse_query, dataset_path
from r2pkg.web import resources

from .queries import HEAVY
from .servers import free_port

QUERIES = {"ask-empty": HEAVY["ask-empty"], "point-lookup": HEAVY["point-lookup"],
           "regex-labels": HEAVY["regex-labels"]}


def median_ms(action, repeat: int) -> float:
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from waitress.server import create_server

    from r2pkg.web import create_app

    backend = EmbeddedBackend.from_file(dataset_path())
    app = create_app(backend=backend, config={"SPARQL_RATE_LIMIT": None, "QUERY_WORKERS": 1,
                                                   "QUERY_ROW_LIMIT": 10_000})
    executor = resources.executor(app)
    executor.start()
    client = app.test_client()
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}

    def over_http(query: str) -> None:
        connection.request("POST", "/sparql", urlencode({"query": query}), headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status

    store = backend.store
    rows = ["| layer | " + " | ".join(QUERIES) + " |", "| --- |" + " ---: |" * len(QUERIES)]
    layers = {
        "engine: store.query, rows iterated": lambda q: [None for _ in store.query(q, use_default_graph_as_union=True)]
        if not q.startswith("ASK") else bool(store.query(q, use_default_graph_as_union=True)),
        "engine + its own JSON writer": lambda q: store.query(q, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON),
        "analyse_query (the tokenizer) alone": lambda q: analyse_query(q),
        "backend.run (analysis, TSV cut, engine's JSON)": lambda q: backend.run(q, "json", row_limit=10_000).body,
        "executor.run (+ pipe to a worker and back)": lambda q: executor.run(q, "json").body,
        "Flask view via test client (+ app)": lambda q: client.post("/sparql", data={"query": q}, headers={
            "Accept": "application/sparql-results+json"}).get_data(),
        "HTTP through waitress (+ server)": over_http,
    }
    for layer, action in layers.items():
        rows.append(f"| {layer} | " + " | ".join(
            f"{median_ms(lambda q=q: action(q), args.repeat):.3f}" for q in QUERIES.values()) + " |")
    print(f"median ms of {args.repeat} runs, {len(store):,} quads\n")
    print("\n".join(rows))
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat):
            client.post("/sparql", data={"query": QUERIES["point-lookup"]},
                        headers={"Accept": "application/sparql-results+json"}).get_data()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue())
    server.close()
    executor.close()


if __name__ == "__main__":
    main()
