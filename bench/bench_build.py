"""Time each step of `r2pkg build` on the project's data and on scaled copies of it, and print a table.

Run from the project root:

    .venv/bin/python bench/bench_build.py [--scales 1 10] [--repeat 1] [--no-dumps]

A scale of N builds the data of data/ with N copies of every source file (data/sources/*.ttl): copy k > 0 renames
every IRI the source files describe and core.ttl and countries.ttl do not (rec:gnfp-2019-01 becomes
rec:gnfp-2019-01-x3) and gives every blank node a fresh label, so copies share the states, categories and ontology
like real new sources would, and repeat no rows. core.ttl, countries.ttl and the ontology are not copied.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rich.console import Console
from rich.table import Table

from r2pkg.build import build, read_manifest
from r2pkg.config import Settings

SHARED = ("ontology", "shapes", "queries")
"""Folders a scaled project links to unchanged."""


def _subjects(path: Path) -> set[URIRef]:
    return {s for s in Graph().parse(path, format="turtle").subjects() if isinstance(s, URIRef)}


def scaled_project(settings: Settings, copies: int, root: Path) -> Settings:
    """A project folder under `root` whose data/ holds the real data with `copies` copies of every source file."""
    root.mkdir(parents=True)
    for name in SHARED:
        (root / name).symlink_to(getattr(settings, f"{name}_dir"))
    data = root / "data"
    (data / "sources").mkdir(parents=True)
    shared_files = sorted(settings.data_dir.glob("*.ttl"))
    for path in shared_files:
        (data / path.name).write_bytes(path.read_bytes())
    sources = sorted((settings.data_dir / "sources").glob("*.ttl"))
    shared = set().union(*(_subjects(p) for p in shared_files))
    graphs = {path: Graph().parse(path, format="turtle") for path in sources}
    described = {s for graph in graphs.values() for s in graph.subjects() if isinstance(s, URIRef)} - shared
    for path, graph in graphs.items():
        (data / "sources" / path.name).write_bytes(path.read_bytes())
        for k in range(1, copies):
            renamed = {iri: URIRef(f"{iri}-x{k}") for iri in described}
            blanks: dict[BNode, BNode] = {}

            def rename(term):
                if isinstance(term, BNode):
                    return blanks.setdefault(term, BNode())
                return renamed.get(term, term)

            copy = Graph()
            for triple in graph:
                copy.add(tuple(rename(term) for term in triple))
            (data / "sources" / f"{path.stem}-x{k}.ttl").write_bytes(copy.serialize(format="nt", encoding="utf-8"))
    return Settings(root=root, build_dir=root / "build")


def measure(settings: Settings, dumps: bool) -> tuple[dict[str, float], int]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    release = build(settings, progress=False, dumps=dumps, timings=timings)
    timings["total"] = time.perf_counter() - started
    return timings, read_manifest(release)["quads"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10], help="copies of the source files (default 1 10)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per scale; the table shows the median")
    parser.add_argument("--no-dumps", action="store_true", help="leave out the downloads")
    args = parser.parse_args()
    console = Console()
    settings = Settings.from_env()
    results: dict[int, tuple[dict[str, float], int]] = {}
    with tempfile.TemporaryDirectory(prefix="r2pkg-bench-build-") as tmp:
        for scale in args.scales:
            project = scaled_project(settings, scale, Path(tmp) / f"x{scale}")
            runs = [measure(project, not args.no_dumps) for _ in range(args.repeat)]
            steps = {name: statistics.median(run[0][name] for run in runs) for name in runs[0][0]}
            results[scale] = (steps, runs[0][1])
            console.log(f"{scale}×: {runs[0][1]} quads, {steps['total']:.2f} s")
    table = Table(title="r2pkg build, seconds per step (median)")
    table.add_column("step")
    for scale in args.scales:
        table.add_column(f"{scale}× ({results[scale][1]} quads)", justify="right")
    if len(args.scales) > 1:
        table.add_column(f"{args.scales[-1]}× ÷ {args.scales[0]}×", justify="right")
    for name in results[args.scales[0]][0]:
        row = [f"{results[scale][0].get(name, float('nan')):.2f}" for scale in args.scales]
        if len(args.scales) > 1:
            first, last = results[args.scales[0]][0][name], results[args.scales[-1]][0].get(name, float("nan"))
            row.append(f"{last / first:.1f}" if first > 0.005 else "")
        table.add_row(name, *row)
    console.print(table)


if __name__ == "__main__":
    main()
