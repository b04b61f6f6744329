"""Load tests of pages with wrk (Debian's `wrk`): throughput, latency percentiles and errors at a number of clients.

wrk keeps `clients` connections busy for `duration` seconds and reports through bench/wrk_report.lua, one JSON line.
After each run the server is drained (a probe request waits behind whatever wrk left queued), so one run's backlog
does not slow the next.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import requests

from .queries import GHANA

REPORTER = Path(__file__).with_name("wrk_report.lua")

PAGES = {
    "/id/state/ghana": "text/html",
    "/recommendations": "text/html",
    "/stats": "text/html",
    "/api/search?q=gha": "application/json",
}
"""r2pkg's pages under load, with the Accept header a browser or a script sends."""

OXIGRAPH_DESCRIBE = ("/query?query=" + quote(f"DESCRIBE {GHANA}"), "application/n-triples")
"""Oxigraph server's answer about the same entity as /id/state/ghana: the yardstick for pages."""


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(url: str, accept: str, clients: int, duration: float, timeout: float, encoding: str = "") -> dict:
    """One wrk run; requests/s, p50/p99 in ms, and errors (non-2xx/3xx answers, timeouts, socket errors).

    `encoding`: the Accept-Encoding header to send (none by default: wrk's own, uncompressed answers)."""
    command = [wrk_path() or "wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{max(1, round(duration))}s",
               "--timeout", f"{max(1, round(timeout))}s", "-H", f"Accept: {accept}", "-s", str(REPORTER), url]
    if encoding:
        command[-3:-3] = ["-H", f"Accept-Encoding: {encoding}"]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=duration + timeout + 30)
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode != 0 or not lines:
        return {"error": (finished.stderr or finished.stdout).strip()[-300:] or f"wrk exited {finished.returncode}"}
    raw = json.loads(lines[-1])
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["status_errors"] + raw["timeouts"]
    return {"clients": clients, "requests": raw["requests"], "rps": round(raw["requests"] / seconds, 1),
            "p50_ms": round(raw["p50_us"] / 1000, 2), "p99_ms": round(raw["p99_us"] / 1000, 2),
            "max_ms": round(raw["max_us"] / 1000, 2), "errors": errors, "timeouts": raw["timeouts"],
            "status_errors": raw["status_errors"]}


def drain(probe_url: str, limit: float) -> float:
    """Seconds until the server answers a probe (queued behind any backlog), at most `limit`."""
    started = time.monotonic()
    try:
        requests.get(probe_url, timeout=limit)
    except requests.RequestException:
        pass
    return time.monotonic() - started


def load_test(base: str, resources: dict[str, str], clients: list[int], duration: float, timeout: float,
              probe: str, deadline: float, encoding: str = "") -> dict[str, dict[str, dict]]:
    """{resource: {clients: result}} for every resource at every client count, until `deadline` (monotonic)."""
    results: dict[str, dict[str, dict]] = {}
    drain_limit = max(5.0, 3 * duration)
    for resource, accept in resources.items():
        try:  # the first answer may fill caches: not part of the load test
            requests.get(base + resource, headers={"Accept": accept, "Accept-Encoding": encoding or "identity"},
                         timeout=timeout)
        except requests.RequestException:
            pass
        too_slow = None
        for count in clients:
            if too_slow:
                results.setdefault(resource, {})[str(count)] = {"error": too_slow}
                continue
            if time.monotonic() + duration > deadline:
                results.setdefault(resource, {})[str(count)] = {"error": "skipped: out of time"}
                continue
            outcome = run_wrk(base + resource, accept, count, duration, timeout, encoding)
            outcome["drain_s"] = round(drain(base + probe, min(drain_limit, max(1.0, deadline - time.monotonic()))), 2)
            results.setdefault(resource, {})[str(count)] = outcome
            if outcome.get("requests", 0) < count:
                # More clients only queue behind the same slow answers: skipped, to keep the run bounded.
                too_slow = f"skipped: under {count} answers in {duration:g} s at {count} clients"
    return results
