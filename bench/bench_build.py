"""Time each step of `r2pkg build` on the project's data and on scaled copies of it, and print a table.

Run from the project root:

    .venv/bin/python bench/bench_build.py [--scales 1 10] [--repeat 1] [--no-dumps]
    .venv/bin/python bench/bench_build.py --applies [--scales 1 10]   # materialise "applies through a category" or not

A scale of N builds the data of data/ with N copies of every source file (data/sources/*.ttl): copy k > 0 renames
every IRI the source files describe and core.ttl and countries.ttl do not (rec:gnfp-2019-01 becomes
rec:gnfp-2019-01-x3) and gives every blank node a fresh label, so copies share the states, categories and ontology
like real new sources would, and repeat no rows. core.ttl, countries.ttl and the ontology are not copied.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rich.console import Console
from rich.table import Table

from r2pkg.build import build, read_manifest
from r2pkg.config import DERIVATIONS_GRAPH, INFERRED_GRAPH, Settings

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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(settings: Settings, dumps: bool) -> tuple[dict[str, float], int]:
    """Each step's wall time, the total, and the CPU time of the build's process and of its (forked, joined)
    validation process: on a shared machine the CPU seconds vary much less with the load than the wall time."""
    timings: dict[str, float] = {}
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    release = build(settings, progress=False, dumps=dumps, timings=timings)
    timings["total"] = time.perf_counter() - started
    timings["CPU s: build process"] = time.process_time() - cpu
    timings["CPU s: validation process"] = _children_cpu() - children
    return timings, read_manifest(release)["quads"]


CATEGORY_RULES = ("applies-through-category", "applies-by-interpretation-category")
"""The rules whose conclusions are the product of the recommendations addressed to a category and the category's members."""

PREFIXES = """PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX state: <https://w3id.org/r2pkg/id/state/>
"""
CATEGORY_PATH = "{recommendation} r2p:addressedTo ?category . ?category r2p:coversActor {actor} . " \
                "FILTER NOT EXISTS {{ ?category a r2p:BroadActorCategory }}"
"""The WHERE of applies-through-category: what a query must join when the rule's conclusions are not materialised."""

APPLIES_QUERIES = {
    # the map of states coloured by how many recommendations apply to each (web/queries/map-colourings.rq)
    "recommendations per state (map)": (
        "SELECT ?state (COUNT(DISTINCT ?rec) AS ?n) WHERE { ?rec r2p:appliesTo ?state . ?state a r2p:State } GROUP BY ?state",
        "SELECT ?state (COUNT(DISTINCT ?rec) AS ?n) WHERE { { ?rec r2p:appliesTo ?state } UNION { "
        + CATEGORY_PATH.format(recommendation="?rec", actor="?state") + " } ?state a r2p:State } GROUP BY ?state"),
    # a state's page: what applies to Ghana, by specificity (web/queries/sections.rq)
    "what applies to Ghana (state page)": (
        "SELECT DISTINCT ?rec ?rank WHERE { ?rec ?wp state:ghana . ?wp rdfs:subPropertyOf r2p:appliesTo ; r2p:specificityRank ?rank }",
        "SELECT DISTINCT ?rec ?rank WHERE { { ?rec ?wp state:ghana . ?wp rdfs:subPropertyOf r2p:appliesTo ; "
        "r2p:specificityRank ?rank } UNION { " + CATEGORY_PATH.format(recommendation="?rec", actor="state:ghana")
        + " BIND(3 AS ?rank) } }"),
    # a recommendation's page: whom it applies to, stated and interpreted (web/queries/sections.rq)
    "whom a recommendation applies to (its page)": (
        "SELECT DISTINCT ?x ?rank WHERE { { <REC> ?wp ?x . ?wp rdfs:subPropertyOf r2p:appliesTo ; r2p:specificityRank ?rank } "
        "UNION { <REC> r2p:appliesByInterpretationTo ?x BIND(0 AS ?rank) } }",
        "SELECT DISTINCT ?x ?rank WHERE { { <REC> ?wp ?x . ?wp rdfs:subPropertyOf r2p:appliesTo ; r2p:specificityRank ?rank } "
        "UNION { " + CATEGORY_PATH.format(recommendation="<REC>", actor="?x") + " BIND(3 AS ?rank) } "
        "UNION { <REC> r2p:appliesByInterpretationTo ?x BIND(0 AS ?rank) } "
        "UNION { <REC> r2p:interpretedAddressee ?c . ?c r2p:coversActor ?x BIND(0 AS ?rank) } }"),
}
"""Queries of the pages that read the category product: as they are (materialised), and as they would have to be
if the build did not materialise it (the category join at query time). Both must give the same rows."""


def _rows(store, query: str) -> list[tuple]:
    return sorted(tuple(str(value) for value in row) for row in store.query(PREFIXES + query, use_default_graph_as_union=True))


def _median_ms(store, query: str, repeat: int) -> float:
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        for _row in store.query(PREFIXES + query, use_default_graph_as_union=True):
            pass
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def applies_decision(settings: Settings, scales: list[int], repeat: int, console: Console) -> Table:
    """Materialise the category product or join it at query time: build cost and page-query time, both ways, per scale."""
    import pyoxigraph as ox

    from r2pkg.build import _load
    from r2pkg.export import load_context
    from r2pkg.jsonld_writer import write_dataset
    from r2pkg.reasoning import load_rules, materialise

    table = Table(title="The recommendation × category-member product: materialised vs. joined at query time")
    for column in ("scale", "measure", "materialised", "at query time", "ratio"):
        table.add_column(column, justify="left" if column in ("scale", "measure") else "right")
    with tempfile.TemporaryDirectory(prefix="r2pkg-bench-applies-") as tmp:
        for scale in scales:
            project = scaled_project(settings, scale, Path(tmp) / f"x{scale}")
            context = load_context(project)
            results = {}
            for way, rules in (("materialised", load_rules(project)),
                               ("at query time", [r for r in load_rules(project) if r.name not in CATEGORY_RULES])):
                store = _load(project)
                started = time.perf_counter()
                materialise(store, rules)
                reasoning = time.perf_counter() - started
                started = time.perf_counter()
                store.dump(format=ox.RdfFormat.N_QUADS)
                write_dataset(store, context, io.BytesIO())
                writing = time.perf_counter() - started
                inferred = len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH)))))
                derivations = len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(str(DERIVATIONS_GRAPH)))))
                results[way] = {"store": store, "reasoning s": reasoning, "N-Quads + JSON-LD s": writing,
                                "inferred triples": inferred, "derivation quads": derivations, "quads": len(store)}
            materialised, joined = results["materialised"]["store"], results["at query time"]["store"]
            busiest = next(iter(materialised.query(
                PREFIXES + "SELECT ?rec (COUNT(*) AS ?n) WHERE { ?rec r2p:appliesThroughCategoryTo ?x } GROUP BY ?rec ORDER BY DESC(?n) ?rec LIMIT 1",
                use_default_graph_as_union=True)))["rec"].value
            for name, (as_is, at_query_time) in APPLIES_QUERIES.items():
                as_is, at_query_time = as_is.replace("REC", busiest), at_query_time.replace("REC", busiest)
                rows = _rows(materialised, as_is)
                if rows != _rows(joined, at_query_time):
                    raise SystemExit(f"{name}: the query-time version gives other rows than the materialised one")
                results["materialised"][f"{name} ms ({len(rows)} rows)"] = _median_ms(materialised, as_is, repeat)
                results["at query time"][f"{name} ms ({len(rows)} rows)"] = _median_ms(joined, at_query_time, repeat)
            for measure in [m for m in results["materialised"] if m != "store"]:
                a, b = results["materialised"][measure], results["at query time"][measure]
                shown = (lambda v: f"{v:,}") if isinstance(a, int) else (lambda v: f"{v:.2f}")
                table.add_row(f"{scale}×", measure, shown(a), shown(b), f"{b / a:.2f}" if a else "")
            console.log(f"{scale}×: done")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10], help="copies of the source files (default 1 10)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per scale; the table shows the median")
    parser.add_argument("--no-dumps", action="store_true", help="leave out the downloads")
    parser.add_argument("--applies", action="store_true",
                        help="instead: the category product materialised or joined at query time (build cost, page queries)")
    args = parser.parse_args()
    console = Console()
    settings = Settings.from_env()
    if args.applies:
        console.print(applies_decision(settings, args.scales, max(args.repeat, 7), console))
        return
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
