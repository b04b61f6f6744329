"""Soak test: mixed traffic from many concurrent clients against `r2pkg serve` on loopback (not part of the suite).

Starts `r2pkg serve` on a free 127.0.0.1 port over the current build, then runs N client threads for a fixed time.
Each client stands for one user (its own X-Forwarded-For through `--trusted-proxy 1`, so per-client limits apply
per thread) and sends a mix of: entity pages, index pages, the search API, catalogue SPARQL queries, dumps, heavy
queries (stopped by the time limit) and malformed or oversized queries, while --slow connections stay half-open
(a slowloris client trickling its request head). It reports throughput, latency percentiles
per kind, answers by status, and the memory (PSS) of the server and of its query workers over time.

    .venv/bin/python bench/soak.py                      # 10 minutes, 32 clients
    .venv/bin/python bench/soak.py --duration 60 --clients 8

Bounded: it stops after --duration, sends nothing beyond 127.0.0.1, and stops the server it started.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
R2PKG = str(Path(sys.executable).parent / "r2pkg")

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MALFORMED = [
    "SELECT ?s WHERE { ?s ?p }}",                                          # syntax error
    "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,             # too deep
    "SELECT * WHERE { ?s ?p ?o " + "MINUS { ?s ?p ?o } " * 2000 + "}",      # too long a chain
    "INSERT DATA { <a> <b> <c> }",                                         # an update
    "SELECT (<http://example.org/nofn>(1) AS ?x) {}",                      # an unknown function
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",       # SERVICE
]
MIX = [("page", 30), ("index", 8), ("search", 20), ("sparql", 25), ("download", 4), ("static", 5), ("heavy", 0.2),
       ("malformed", 6)]
"""Shares of the traffic. A heavy query holds a worker for the whole time limit, so its share is small."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pss_kib(pid: int) -> int:
    """Proportional set size: pages shared between the zygote and its forks count once in the sum over processes."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """Every process under `pid`: the query workers' zygote and its forks."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    direct = [int(p) for p in out.split()]
    return direct + [grandchild for child in direct for grandchild in children(child)]


class Soak:
    def __init__(self, base: str, clients: int, duration: float, seed: int):
        self.base = base
        self.clients = clients
        self.duration = duration
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.failures: Counter[str] = Counter()
        self.stop_at = 0.0

    def prepare(self) -> None:
        session = requests.Session()
        sitemap = session.get(self.base + "/sitemap.xml", timeout=30).text
        self.pages = [u[len(self.base):] for u in re.findall(r"<loc>([^<]+)</loc>", sitemap) if "/id/" in u]
        self.indexes = ["/", "/browse", "/browse/states", "/browse/recommendations", "/recommendations", "/stats",
                        "/ontology", "/downloads", "/.well-known/void", "/sparql"]
        self.queries = [q["query"] for q in session.get(self.base + "/api/queries", timeout=30).json()]
        self.downloads = re.findall(r'href="(/downloads/dataset\.[a-z]+)"', session.get(self.base + "/downloads").text)
        home = session.get(self.base + "/query").text
        self.statics = re.findall(r'(?:src|href)="(/static/[^"]+)"', home)
        words = ["gha", "united", "council", "focal", "atrocity", "prevention", "eu", "africa", "women", "resp"]
        self.words = words
        assert self.pages and self.queries and self.downloads and self.statics

    def request(self, session: requests.Session, kind: str, rng: random.Random) -> requests.Response:
        b = self.base
        if kind == "page":
            path = rng.choice(self.pages)
            accept = rng.choice(["text/html", "text/html", "text/turtle", "application/ld+json", "application/trig"])
            return session.get(b + path, headers={"Accept": accept}, timeout=60)
        if kind == "index":
            return session.get(b + rng.choice(self.indexes), timeout=60)
        if kind == "search":
            return session.get(b + "/api/search", params={"q": rng.choice(self.words)}, timeout=60)
        if kind == "sparql":
            query = rng.choice(self.queries)
            if rng.random() < 0.5:
                return session.get(b + "/sparql", params={"query": query}, timeout=60,
                                   headers={"Accept": rng.choice(["application/sparql-results+json", "text/csv"])})
            return session.post(b + "/sparql", data={"query": query}, timeout=60)
        if kind == "download":
            return session.get(b + rng.choice(self.downloads), timeout=60)
        if kind == "static":
            return session.get(b + rng.choice(self.statics), timeout=60)
        if kind == "heavy":
            return session.post(b + "/sparql", data={"query": HEAVY}, timeout=60)
        return session.post(b + "/sparql", data={"query": rng.choice(MALFORMED)}, timeout=60)

    def client(self, number: int) -> None:
        rng = random.Random(self.random.random())
        session = requests.Session()
        session.headers["X-Forwarded-For"] = f"10.0.{number // 250}.{number % 250 + 1}"
        kinds, weights = zip(*MIX)
        while time.monotonic() < self.stop_at:
            kind = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                response = self.request(session, kind, rng)
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.latencies[kind].append(elapsed)
                    self.statuses[(kind, status_label(response))] += 1
            except requests.RequestException as error:
                with self.lock:
                    self.failures[f"{kind}: {type(error).__name__}"] += 1

    def slowloris(self, count: int) -> None:
        """Hold `count` connections that never finish their request head, trickling a byte every few seconds."""
        host, port = self.base.split("//")[1].split(":")
        held: list[socket.socket] = []
        self.slow_reopened = 0
        while time.monotonic() < self.stop_at:
            while len(held) < count:
                try:
                    sock = socket.create_connection((host, int(port)), timeout=5)
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: soak\r\nX-Slow: ")
                    held.append(sock)
                except OSError:
                    self.slow_reopened += 1
                    break
            for sock in list(held):
                try:
                    sock.sendall(b"a")
                except OSError:
                    held.remove(sock)
                    sock.close()
                    self.slow_reopened += 1
            self.slow_held = len(held)
            time.sleep(5)
        for sock in held:
            sock.close()

    def run(self, server_pid: int, sample_every: float, slow: int = 0) -> list[tuple[float, int, int]]:
        self.stop_at = time.monotonic() + self.duration
        self.slow_held = self.slow_reopened = 0
        threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(self.clients)]
        if slow:
            threads.append(threading.Thread(target=self.slowloris, args=(slow,), daemon=True))
        began = time.monotonic()
        for thread in threads:
            thread.start()
        memory = []
        while time.monotonic() < self.stop_at:
            workers = children(server_pid)
            memory.append((time.monotonic() - began, pss_kib(server_pid), sum(pss_kib(p) for p in workers)))
            time.sleep(min(sample_every, max(0.0, self.stop_at - time.monotonic())))
        for thread in threads:
            thread.join(90)
        workers = children(server_pid)
        memory.append((time.monotonic() - began, pss_kib(server_pid), sum(pss_kib(p) for p in workers)))
        self.elapsed = time.monotonic() - began
        return memory


def status_label(response: requests.Response) -> str:
    """The status, with the reason for a 429: the time limit (by design for heavy queries), a full server, or this
    client's rate or concurrency limit."""
    if response.status_code == 429:
        if "Query timeout" in response.text:
            return "429 time limit"
        if "Server busy" in response.text:
            return "429 busy"
        return "429 client limit"
    return str(response.status_code)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(soak: Soak, memory: list[tuple[float, int, int]], args) -> str:
    total = sum(len(v) for v in soak.latencies.values())
    everything = [x for v in soak.latencies.values() for x in v]
    lines = [f"{args.clients} clients, {soak.elapsed:.0f} s, {total} answers, {total / soak.elapsed:.1f} answers/s, "
             f"p50 {percentile(everything, 0.5) * 1000:.0f} ms, p99 {percentile(everything, 0.99) * 1000:.0f} ms, "
             f"no answer: {sum(soak.failures.values())}", "",
             "| kind | answers | p50 ms | p99 ms | max ms | by status |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for kind, _ in MIX:
        values = soak.latencies.get(kind, [])
        statuses = ", ".join(f"{status}: {n}" for (k, status), n in sorted(soak.statuses.items()) if k == kind)
        lines.append(f"| {kind} | {len(values)} | {percentile(values, 0.5) * 1000:.0f} | "
                     f"{percentile(values, 0.99) * 1000:.0f} | {max(values, default=0) * 1000:.0f} | {statuses} |")
    by_status = Counter()
    for (_, status), n in soak.statuses.items():
        by_status[status] += n
    unexpected = sum(n for (_, status), n in soak.statuses.items() if status.startswith("5"))
    lines += ["", "All answers by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items())),
              f"5xx answers: {unexpected}",
              "Requests without an answer: " + (", ".join(f"{k}: {n}" for k, n in soak.failures.items()) or "none"),
              f"Slow connections held open meanwhile: {soak.slow_held} (reopened after the server closed them: "
              f"{soak.slow_reopened})",
              "", "| time s | server PSS MiB | workers PSS MiB (zygote and forks) |", "| ---: | ---: | ---: |"]
    step = max(1, len(memory) // 12)
    for at, server, workers in memory[::step] + ([memory[-1]] if (len(memory) - 1) % step else []):
        lines.append(f"| {at:.0f} | {server / 1024:.1f} | {workers / 1024:.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of traffic (default 600)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--threads", type=int, default=16, help="the server's request threads")
    parser.add_argument("--workers", type=int, default=3, help="the server's query workers")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's query time limit")
    parser.add_argument("--rate-limit", default="600 per minute", help="the server's per-client /sparql limit")
    parser.add_argument("--slow", type=int, default=300, help="half-open connections held during the run")
    parser.add_argument("--sample-every", type=float, default=10.0, help="seconds between memory samples")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    if not 1 <= args.clients <= 256 or not 1 <= args.duration <= 3600 or not 0 <= args.slow <= 1000:
        parser.error("at most 256 clients, 1000 slow connections and one hour")

    port = free_port()
    log = open(os.environ.get("R2PKG_SOAK_LOG", "/tmp/r2pkg-soak-server.log"), "wb")
    server = subprocess.Popen(
        [R2PKG, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(args.threads),
         "--workers", str(args.workers), "--timeout", str(args.timeout), "--rate-limit", args.rate_limit,
         "--trusted-proxy", "1", "--public-url", f"http://127.0.0.1:{port}/"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(base + "/readyz", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print("the server did not start; see", log.name, file=sys.stderr)
                return 2
            time.sleep(0.3)
        soak = Soak(base, args.clients, args.duration, args.seed)
        soak.prepare()
        memory = soak.run(server.pid, args.sample_every, args.slow)
        print(report(soak, memory, args))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
