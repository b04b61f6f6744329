"""`python -m bench`: r2pkg's endpoint and pages against Oxigraph server and rdflib-endpoint, on 1×, 8× and 80× data.

For each scale: write renamed copies of the current build (bench.scaling) to a temporary folder; start `r2pkg serve`,
`oxigraph serve` (in memory, union default graph) and rdflib-endpoint on 127.0.0.1; time every query of
bench.queries on each (warm-up, then the median of --repeats runs, the servers taking turns query by query); load-test
r2pkg's pages and Oxigraph's DESCRIBE of the same entity with wrk at 1/8/32 clients; record each server's resident
memory (r2pkg's with its query workers); stop the servers. Then write bench/results.json and the generated section of
bench/README.md, with the goals of issue 11.

Bounded: --budget seconds in all (a scale that would not fit in the time left or in the free memory is skipped and
says so), nothing but 127.0.0.1, and every server it started is stopped on any exit (error, Ctrl-C, SIGTERM).

    .venv/bin/python -m bench                    # the full run (under 15 minutes)
    .venv/bin/python -m bench --quick            # a smoke run: 1×, one repeat, 1-second load tests
    .venv/bin/python -m bench --scales 1,8 --repeats 5 --duration 3 --clients 1,8
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import signal
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

from r2pkg.build import current_release
from r2pkg.config import Settings

from . import load, report
from .queries import HEAVY, SparqlClient, benchmark_queries, time_query
from .scaling import split, write_release
from .servers import ServerFailed, ServerSet

HERE = Path(__file__).resolve().parent
STORE_BYTES_PER_QUAD = 400
"""Resident bytes per quad of one in-memory pyoxigraph store (measured: ~380 at 1.4M quads), until a run measures it."""
RDFLIB_BYTES_PER_QUAD = 1500
RDFLIB_RESTARTS = 1
LOAD_QUADS_PER_SECOND = 60_000
"""How fast `r2pkg serve` gets ready per quad (three stores loading on two cores), until a run measures it."""


class Stopped(Exception):
    """SIGTERM or SIGHUP: end the run the way Ctrl-C does, stopping every server."""


def _stop(signum, _frame):
    raise Stopped(f"signal {signum}")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,8,80", help="copies of the data to measure (default 1,8,80)")
    parser.add_argument("--without", default="derivations", metavar="GRAPHS",
                        help="graphs (names after <base>graph/, comma-separated) kept in the first copy only "
                             "(default: derivations, the build's provenance, 83%% of its quads, so that 80 copies fit "
                             "in memory and time); '' copies every graph")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per query after the warm-up (default 7)")
    parser.add_argument("--slow", type=float, default=2.0,
                        help="a query whose warm-up takes longer than this many seconds is timed 3 times, over 4× "
                             "as long once (default 2)")
    parser.add_argument("--query-timeout", type=float, default=30.0, help="seconds a query may take (default 30)")
    parser.add_argument("--clients", default="1,8,32", help="concurrent clients for the load tests (default 1,8,32)")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per load test (default 4)")
    parser.add_argument("--rdflib-timeout", type=float, default=5.0,
                        help="seconds rdflib-endpoint gets per query (default 5; it is restarted once after a "
                             "timeout, then left out of the remaining queries)")
    parser.add_argument("--rdflib-max-quads", type=int, default=200_000,
                        help="largest dataset rdflib-endpoint gets (it parses ~10k quads/s into ~1.5 kB each)")
    parser.add_argument("--threads", type=int, default=8, help="r2pkg serve --threads (default: its default, 8)")
    parser.add_argument("--workers", type=int, default=2, help="r2pkg serve --workers (default: its default, 2)")
    parser.add_argument("--row-limit", type=int, default=10_000_000,
                        help="r2pkg serve --row-limit, high so every server returns the same rows")
    parser.add_argument("--only", action="append", default=[], metavar="QUERY",
                        help="time only these queries (names as in the table; repeatable)")
    parser.add_argument("--pages", default=",".join(load.PAGES),
                        help="r2pkg resources to load-test, comma-separated (default: %(default)s)")
    parser.add_argument("--no-pages", action="store_true", help="skip the load tests")
    parser.add_argument("--accept-encoding", default="", metavar="HEADER",
                        help="Accept-Encoding of the load tests, e.g. 'gzip, deflate, br' as browsers send (default: "
                             "none, uncompressed answers)")
    parser.add_argument("--no-rdflib", action="store_true", help="leave rdflib-endpoint out")
    parser.add_argument("--budget", type=float, default=840.0, help="seconds for the whole run (default 840)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1× only, 1 repeat, the heavy queries and 4 catalogue ones, 2-s load tests "
                             "at 1 and 8 clients")
    parser.add_argument("--output", type=Path, default=HERE / "results.json", help="the JSON file of results")
    parser.add_argument("--readme", type=Path, default=HERE / "README.md", help="where the tables go")
    parser.add_argument("--note", default="", help="a sentence about the conditions, printed with the table")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales, args.repeats, args.duration, args.clients = "1", 1, 2.0, "1,8"
        args.query_timeout = min(args.query_timeout, 10.0)
    args.page_list = {page.strip(): load.PAGES.get(page.strip(), "text/html")
                      for page in args.pages.split(",") if page.strip()}
    args.without = [name.strip() for name in args.without.split(",") if name.strip()]
    args.scale_list = sorted({int(x) for x in args.scales.split(",") if x.strip()})
    args.client_list = sorted({int(x) for x in args.clients.split(",") if x.strip()})
    if not args.scale_list or min(args.scale_list) < 1 or max(args.scale_list) > 1000:
        parser.error("--scales takes whole numbers from 1 to 1000")
    if not args.client_list or min(args.client_list) < 1 or max(args.client_list) > 256:
        parser.error("--clients takes whole numbers from 1 to 256")
    if args.repeats < 1 or args.duration <= 0 or args.budget <= 0:
        parser.error("--repeats, --duration and --budget must be positive")
    return args


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0)
    load1, load5, _ = os.getloadavg()
    return (f"{platform.node()}, {os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}; load average at the start "
            f"{load1:.1f} (1 min) / {load5:.1f} (5 min)")


def available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return 0.0


def versions() -> dict[str, str]:
    found = {}
    for name in ("r2pkg", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "waitress", "Flask"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


class Run:
    """One benchmark run: the scales in turn, within the budget, with what it learns about memory and load speed."""

    def __init__(self, args: argparse.Namespace, release: Path, workdir: Path, servers: ServerSet):
        self.args = args
        self.release = release
        self.workdir = workdir
        self.servers = servers
        self.deadline = time.monotonic() + args.budget
        self.bytes_per_quad = STORE_BYTES_PER_QUAD
        self.quads_per_second = LOAD_QUADS_PER_SECOND
        self.notes: list[str] = []
        settings = Settings.from_env()
        vocabulary, instance = split(ox.parse(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
        left_out = {str(settings.graph_iri(name)) for name in args.without}
        self.vocabulary, self.instance = len(vocabulary), len(instance)
        self.copied = sum(1 for q in instance if getattr(q.graph_name, "value", None) not in left_out)
        queries = benchmark_queries(settings)
        if args.quick:
            catalogue = [name for name in queries if name.startswith("cq:")][:4]
            queries = {name: text for name, text in queries.items() if name in HEAVY or name in catalogue}
        if args.only:
            queries = {name: text for name, text in queries.items() if name in args.only}
        self.queries = queries

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def quads_at(self, copies: int) -> int:
        return self.vocabulary + self.instance + (copies - 1) * self.copied

    def why_not(self, copies: int, with_rdflib: bool) -> str | None:
        """Why this scale cannot run in the memory free now or the time left (None when it can)."""
        quads = self.quads_at(copies)
        stores = self.args.workers + 2  # r2pkg's server, each of its workers, and Oxigraph server
        need = quads * (self.bytes_per_quad * stores + (RDFLIB_BYTES_PER_QUAD if with_rdflib else 0)) / 2 ** 20
        free = available_mib()
        if need > 0.7 * free:
            return f"needs about {need / 1024:.1f} GiB, {free / 1024:.1f} GiB available"
        pages = 0 if self.args.no_pages else len(self.args.page_list) + 1
        seconds = 2.5 * quads / self.quads_per_second + pages * len(self.args.client_list) * (self.args.duration + 2)
        if seconds > self.left():
            return f"needs about {seconds:.0f} s, {max(0, self.left()):.0f} s of the budget left"
        return None

    def scale(self, copies: int) -> dict:
        args = self.args
        with_rdflib = not args.no_rdflib and self.quads_at(copies) <= args.rdflib_max_quads
        reason = self.why_not(copies, with_rdflib)
        result: dict = {"copies": copies, "quads": self.quads_at(copies)}
        if reason:
            result["skipped"] = reason
            print(f"{copies}×: skipped, {reason}", file=sys.stderr)
            return result
        build_dir = self.workdir / f"scale-{copies}"
        started = time.monotonic()
        scaled = write_release(self.release, copies, build_dir, without=args.without)
        result.update(quads=scaled.quads, write_s=round(time.monotonic() - started, 1), load_s={}, memory={},
                      server_notes={})
        print(f"{copies}×: {scaled.quads:,} quads written in {result['write_s']} s", file=sys.stderr)
        dataset = build_dir / "current" / "dataset.nq"
        started_servers = {}
        started_servers["oxigraph"] = self.servers.oxigraph(dataset)
        started_servers["r2pkg"] = self.servers.r2pkg(build_dir, threads=args.threads, workers=args.workers,
                                                      timeout=args.query_timeout, row_limit=args.row_limit)
        if with_rdflib:
            try:
                started_servers["rdflib-endpoint"] = self.servers.rdflib_endpoint(dataset)
            except ServerFailed as error:
                result["server_notes"]["rdflib-endpoint"] = "failed to start"
                self.notes.append(f"{copies}×: rdflib-endpoint did not start: {str(error)[:200]}")
        else:
            result["server_notes"]["rdflib-endpoint"] = "not run" if args.no_rdflib else \
                f"not run above {args.rdflib_max_quads:,} quads"
        for name, server in started_servers.items():
            result["load_s"][name] = round(server.load_seconds, 1)
            result["memory"][name] = server.memory_mib()
            print(f"  {name}: ready in {server.load_seconds:.1f} s, {result['memory'][name]['pss']:,.0f} MiB PSS "
                  f"({result['memory'][name]['total']:,.0f} MiB RSS)", file=sys.stderr)
        r2pkg = started_servers["r2pkg"]
        self.bytes_per_quad = max(self.bytes_per_quad // 2, int(result["memory"]["r2pkg"]["pss"] * 2 ** 20 / scaled.quads))
        self.quads_per_second = max(10_000, scaled.quads / max(r2pkg.load_seconds, 1.0))

        result["queries"] = self.time_queries(started_servers, dataset)
        started_servers = {name: server for name, server in started_servers.items() if server in self.servers.servers}
        if not args.no_pages:
            if load.wrk_path() is None:
                self.notes.append("wrk is not installed (apt-get install wrk, or `make bench`): pages not load-tested")
            else:
                oxigraph = started_servers["oxigraph"]
                result["pages"] = load.load_test(r2pkg.base, args.page_list, args.client_list, args.duration,
                                                 args.query_timeout, "/healthz", self.deadline, args.accept_encoding)
                path, accept = load.OXIGRAPH_DESCRIBE
                result["describe"] = load.load_test(oxigraph.base, {path: accept}, args.client_list, args.duration,
                                                    args.query_timeout, "/query?query=ASK%7B%7D",
                                                    self.deadline, args.accept_encoding)[path]
        for name, server in started_servers.items():
            if server.process.poll() is not None:
                tail = " ".join(server.log.read_text(errors="replace").split()[-60:])
                self.notes.append(f"{copies}×: {name} exited with {server.process.returncode} during the run; "
                                  f"its log ends: {tail[-400:]}")
            after = server.memory_mib()
            result["memory"][name]["after_load_tests"] = after["total"]
            result["memory"][name]["pss_after_load_tests"] = after["pss"]
        for server in started_servers.values():
            self.servers.stop(server)
        for leftover in (build_dir / "current").iterdir():
            leftover.unlink()
        return result

    def timeout_of(self, server: str) -> float:
        return self.args.rdflib_timeout if server == "rdflib-endpoint" else self.args.query_timeout

    def time_queries(self, servers: dict, dataset: Path) -> dict[str, dict]:
        """Every query on every server, the servers taking turns query by query (a busy machine slows all alike).

        rdflib-endpoint goes on computing a query its client gave up on, which would slow every later query: after a
        timeout it is restarted (at most RDFLIB_RESTARTS times, then left out of the remaining queries)."""
        clients = {name: SparqlClient(server.sparql, self.timeout_of(name)) for name, server in servers.items()}
        restarts = 0
        timings: dict[str, dict] = {}
        try:
            for name, query in self.queries.items():
                if self.left() < 30:
                    timings[name] = {s: {"error": "skipped: out of time"} for s in clients}
                    continue
                timings[name] = {}
                for server_name, client in list(clients.items()):
                    if client is None:
                        timings[name][server_name] = {"error": "skipped: stopped after timeouts"}
                        continue
                    timing = time_query(client, query, self.args.repeats, self.args.slow).as_dict()
                    timings[name][server_name] = timing
                    if server_name == "rdflib-endpoint" and (timing["error"] or "").startswith("timeout"):
                        client.close()
                        self.servers.stop(servers[server_name])
                        clients[server_name] = None
                        if restarts < RDFLIB_RESTARTS and self.left() > 120:
                            restarts += 1
                            servers[server_name] = self.servers.rdflib_endpoint(dataset)
                            clients[server_name] = SparqlClient(servers[server_name].sparql, self.timeout_of(server_name))
                print(f"  {name}: " + ", ".join(
                    f"{s} {t['median_ms']} ms" if t.get("median_ms") is not None else f"{s} {t['error']}"
                    for s, t in timings[name].items()), file=sys.stderr)
        finally:
            for client in clients.values():
                if client is not None:
                    client.close()
        return timings


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    settings = Settings.from_env()
    release = current_release(settings)
    if release is None or not (release / "dataset.nq").is_file():
        print(f"no build in {settings.output_dir}: run `r2pkg build` first", file=sys.stderr)
        return 2
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    began, started_at = time.monotonic(), dt.datetime.now(dt.timezone.utc)
    results: dict = {"run": {
        "started": started_at.strftime("%Y-%m-%d %H:%M"), "quick": args.quick, "machine": machine(),
        "note": args.note or "The machine may be shared: compare ratios from one run, not absolute times.",
        "versions": versions(), "command": "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "repeats": args.repeats, "duration_s": args.duration, "clients": args.client_list,
        "accept_encoding": args.accept_encoding,
        "r2pkg_serve": {"threads": args.threads, "workers": args.workers, "row_limit": args.row_limit},
        "release": str(release)}, "scales": []}
    status = 0
    with tempfile.TemporaryDirectory(prefix="r2pkg-bench-") as workdir, ServerSet(Path(workdir)) as servers:
        run = Run(args, release, Path(workdir), servers)
        try:
            for copies in args.scale_list:
                try:
                    results["scales"].append(run.scale(copies))
                except ServerFailed as error:
                    servers.stop_all()
                    results["scales"].append({"copies": copies, "quads": run.quads_at(copies),
                                              "skipped": "a server failed (see the notes)"})
                    run.notes.append(f"{copies}×: a server failed: {str(error)[:300]}")
                    status = 1
        except (KeyboardInterrupt, Stopped) as stop:
            run.notes.append(f"interrupted ({stop or 'Ctrl-C'}): the tables hold what was measured before")
            status = 130
        finally:
            servers.stop_all()
        results["notes"] = run.notes
    results["run"]["elapsed_s"] = round(time.monotonic() - began, 1)
    results["goals"] = report.goals(results)
    args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    section = report.markdown(results)
    report.write_readme(args.readme, section)
    print(section)
    print(f"\nwrote {args.output} and the results section of {args.readme}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
