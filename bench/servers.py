"""The three servers the benchmark compares, each started on a free 127.0.0.1 port in its own process group.

`r2pkg serve` serves a scaled build folder; `oxigraph serve` (in memory, union default graph) gets the same N-Quads
POSTed to its store; rdflib-endpoint parses the same file into an rdflib Dataset with a union default graph. Every
server is stopped by its process group, so r2pkg's query workers end with it; `ServerSet` stops all it started,
whatever ends the run (an error, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


class ServerFailed(RuntimeError):
    """A server did not start or did not take the data."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """One started server: its name, base URL, SPARQL query URL and process."""

    name: str
    base: str
    sparql: str
    process: subprocess.Popen
    log: Path
    load_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def memory_mib(self) -> dict[str, float]:
        """Memory of the server process and of its descendants (r2pkg's zygote and query workers), in MiB: resident
        (RSS, which counts pages shared between forks once per process) and proportional (PSS, each shared page
        divided among the processes sharing it; summed, it is what the tree really costs)."""
        try:
            process = psutil.Process(self.process.pid)
            tree = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            return {"server": 0.0, "children": 0.0, "total": 0.0, "processes": 0, "pss_server": 0.0,
                    "pss_children": 0.0, "pss": 0.0}
        rss, pss = [], []
        for member in tree:
            try:
                info = member.memory_full_info()
            except psutil.NoSuchProcess:  # a worker being replaced
                info = None
            rss.append(info.rss / 2 ** 20 if info else 0.0)
            pss.append(info.pss / 2 ** 20 if info else 0.0)
        return {"server": round(rss[0], 1), "children": round(sum(rss[1:]), 1), "total": round(sum(rss), 1),
                "processes": len(tree), "pss_server": round(pss[0], 1), "pss_children": round(sum(pss[1:]), 1),
                "pss": round(sum(pss), 1)}

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after a few seconds if anything is left."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # workers that outlived their server
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass


def _spawn(name: str, command: list[str], logs: Path, env: dict | None = None) -> tuple[subprocess.Popen, Path]:
    log = logs / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   cwd=ROOT, env={**os.environ, **(env or {})}, start_new_session=True)
    return process, log


def _wait(process: subprocess.Popen, log: Path, probe, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise ServerFailed(f"{log.stem} exited with {process.returncode}:\n{tail}")
        try:
            if probe():
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise ServerFailed(f"{log.stem} was not ready within {timeout:.0f} s (log: {log})")


class ServerSet:
    """Starts servers and stops every one of them on exit; a context manager."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.servers: list[Server] = []

    def __enter__(self) -> "ServerSet":
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()

    def stop_all(self) -> None:
        while self.servers:
            self.servers.pop().stop()

    def stop(self, server: Server) -> None:
        if server in self.servers:
            self.servers.remove(server)
        server.stop()

    def _track(self, server: Server) -> Server:
        self.servers.append(server)
        return server

    def r2pkg(self, build_dir: Path, *, threads: int, workers: int, timeout: float, row_limit: int,
              start_timeout: float = 600) -> Server:
        port = free_port()
        started = time.monotonic()
        process, log = _spawn(f"r2pkg-{build_dir.name}", [
            str(BIN / "r2pkg"), "serve", "--host", HOST, "--port", str(port), "--threads", str(threads),
            "--workers", str(workers), "--timeout", str(timeout), "--row-limit", str(row_limit),
            "--rate-limit", "none", "--max-running", str(max(threads, 2 * workers + 2)), "--grace", "2"],
            self.logs, env={"R2PKG_BUILD_DIR": str(build_dir), "R2PKG_HOME": str(ROOT)})
        base = f"http://{HOST}:{port}"
        server = self._track(Server("r2pkg", base, base + "/sparql", process, log))
        _wait(process, log, lambda: requests.get(base + "/readyz", timeout=5).status_code == 200, start_timeout)
        server.load_seconds = time.monotonic() - started
        return server

    def oxigraph(self, dataset: Path, *, start_timeout: float = 600) -> Server:
        """Oxigraph server without --timeout-s: with it, each request leaves a watchdog thread sleeping for the whole
        timeout, and a few seconds of wrk at thousands of requests a second exhaust the threads and end the server."""
        port = free_port()
        started = time.monotonic()
        process, log = _spawn(f"oxigraph-{dataset.parent.parent.name}", [
            str(BIN / "oxigraph"), "serve", "--bind", f"{HOST}:{port}", "--union-default-graph"], self.logs)
        base = f"http://{HOST}:{port}"
        server = self._track(Server("oxigraph", base, base + "/query", process, log))
        _wait(process, log, lambda: requests.get(base + "/query", params={"query": "ASK {}"}, timeout=5).ok, 60)
        with dataset.open("rb") as body:
            answer = requests.post(base + "/store", data=body, headers={"Content-Type": "application/n-quads"},
                                   timeout=start_timeout)
        if not answer.ok:
            raise ServerFailed(f"oxigraph refused the data: {answer.status_code} {answer.text[:300]}")
        server.load_seconds = time.monotonic() - started
        return server

    def rdflib_endpoint(self, dataset: Path, *, start_timeout: float = 600) -> Server:
        port = free_port()
        started = time.monotonic()
        process, log = _spawn(f"rdflib-{dataset.parent.parent.name}", [
            str(BIN / "rdflib-endpoint"), "serve", str(dataset), "--host", HOST, "--port", str(port)], self.logs)
        base = f"http://{HOST}:{port}"
        server = self._track(Server("rdflib-endpoint", base, base + "/", process, log))  # its CLI serves at /
        _wait(process, log, lambda: requests.get(base + "/", params={"query": "ASK {}"},
                                                 headers={"Accept": "application/sparql-results+json"},
                                                 timeout=5).ok, start_timeout)
        server.load_seconds = time.monotonic() - started
        return server
