"""Benchmark pyoxigraph in memory against pyoxigraph on disk: load time and scan queries over the built dataset.

Run from the project root after `r2pkg build`:

    .venv/bin/python -m bench.bench_store [--dataset build/current/dataset.nq] [--scale 10] [--repeat 5]

--scale N loads N renamed copies of the dataset (bench.scaling: fresh graph and instance IRIs and blank nodes per
copy, the ontology once) to see how the two modes grow with the data. Each query runs --repeat times on each store; the table shows the median.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from r2pkg.catalogue import load_catalogue
from r2pkg.config import Settings
from r2pkg.store import dataset_path

from .scaling import write_scaled

SCANS = {
    "triples by predicate": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
    "quads by graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "subjects by type": "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t",
    "label regex scan": 'SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER REGEX(?l, "prot", "i") }',
}


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run_query(store: ox.Store, query: str) -> int:
    return sum(1 for _ in store.query(query, use_default_graph_as_union=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=None, help="N-Quads file (default: the current build)")
    parser.add_argument("--scale", type=int, default=1, help="renamed copies of the dataset to load")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median reported)")
    args = parser.parse_args()

    settings = Settings.from_env()
    path = args.dataset or dataset_path(settings)
    if not path.is_file():
        raise SystemExit(f"no dataset at {path}: run `r2pkg build` first")
    queries = dict(SCANS)
    queries.update({f"cq {cq.name}": cq.bind() for cq in load_catalogue(settings)})

    with tempfile.TemporaryDirectory(prefix="r2pkg-bench-") as tmp:
        data = write_scaled(path, args.scale, Path(tmp) / "scaled.nq").path.read_bytes()
        stores = {"memory": ox.Store(), "disk": ox.Store(str(Path(tmp) / "store"))}
        loads = {name: timed(lambda s=store: s.bulk_load(data, ox.RdfFormat.N_QUADS)) for name, store in stores.items()}
        for store in stores.values():
            store.optimize()
        quads = len(stores["memory"])

        table = Table(title=f"pyoxigraph: {quads} quads ({args.scale}x {path.name}), median of {args.repeat} runs, ms")
        table.add_column("step")
        table.add_column("rows", justify="right")
        for name in stores:
            table.add_column(name, justify="right")
        table.add_column("disk / memory", justify="right")
        table.add_row("bulk load", "", *(f"{loads[n] * 1000:.0f}" for n in stores), f"{loads['disk'] / loads['memory']:.1f}x")

        totals = dict.fromkeys(stores, 0.0)
        for label, query in queries.items():
            medians, rows = {}, 0
            for name, store in stores.items():
                rows = run_query(store, query)  # warm-up, and the row count
                medians[name] = statistics.median(timed(lambda s=store: run_query(s, query)) for _ in range(args.repeat))
                totals[name] += medians[name]
            table.add_row(label, str(rows), *(f"{medians[n] * 1000:.1f}" for n in stores),
                          f"{medians['disk'] / medians['memory']:.1f}x")
        table.add_row("all queries", "", *(f"{totals[n] * 1000:.0f}" for n in stores),
                      f"{totals['disk'] / totals['memory']:.1f}x")
        Console(width=max(Console().width, 110)).print(table)
        for store in stores.values():
            del store


if __name__ == "__main__":
    main()
