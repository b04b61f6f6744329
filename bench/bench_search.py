"""Benchmark the full-text search: building the SQLite FTS5 index from the build, and answering typical queries.

Run from the project root after `r2pkg build`:

    .venv/bin/python bench/bench_search.py [--repeat 20]

Each query runs once to warm up, then --repeat times; the table shows the median in milliseconds and the number of
entities found. The queries cover a label prefix, a word inside descriptions, a typo (corrected with rapidfuzz),
a two-letter word (scanned without the trigram index) and a name in another script.
"""

from __future__ import annotations

import argparse
import statistics
import time

from rich.console import Console
from rich.table import Table

from r2pkg.config import Settings
from r2pkg.search_index import SearchIndex
from r2pkg.store import EmbeddedBackend, dataset_path

QUERIES = ["ghan", "focal point", "vetting", "Gahna", "un", "Гана", "simonovic", "early warning mechanism"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings = Settings.from_env()
    backend = EmbeddedBackend.from_file(dataset_path(settings))

    started = time.perf_counter()
    index = SearchIndex.from_backend(backend, settings.base)
    built = (time.perf_counter() - started) * 1000

    table = Table("query", "median ms", "entities found")
    table.add_row("(build the index)", f"{built:.0f}", str(len(index)))
    for query in QUERIES:
        index.search_page(query)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            page = index.search_page(query, 0, 10)
            times.append((time.perf_counter() - started) * 1000)
        table.add_row(query, f"{statistics.median(times):.2f}", str(page.total))
    Console().print(table)


if __name__ == "__main__":
    main()
