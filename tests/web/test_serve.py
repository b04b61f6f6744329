"""`r2pkg serve` as a user runs it: a real process on a free loopback port, answered with curl-like requests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

R2PKG = [sys.executable, "-m", "r2pkg.cli"] if not (Path(sys.executable).parent / "r2pkg").is_file() \
    else [str(Path(sys.executable).parent / "r2pkg")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    """The processes under `pid`: the query workers' zygote and the workers it forked."""
    result = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    children = [int(line) for line in result.stdout.split()]
    return children + [grandchild for child in children for grandchild in _children(child)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")


@pytest.fixture(scope="module")
def served(built_release, settings):
    """`r2pkg serve` on the session's build; yields (base URL, process, its output file)."""
    port = _free_port()
    env = {**os.environ, "R2PKG_BUILD_DIR": str(settings.output_dir)}
    log = open(settings.output_dir / "serve.log", "w+b")
    process = subprocess.Popen([*R2PKG, "serve", "--port", str(port), "--threads", "4", "--workers", "2"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"r2pkg serve stopped: {log.read().decode()}")
        try:
            requests.get(base + "/sparql", timeout=2)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("r2pkg serve did not answer within 60 s")
            time.sleep(0.2)
    yield base, process, log
    if process.poll() is None:
        process.kill()
        process.wait(10)
    log.close()


def test_serve_answers_sparql_and_pages(served, built_release):
    base, _, log = served
    response = requests.post(base + "/sparql", data={"query": "ASK { <https://w3id.org/r2pkg/id/state/ghana> ?p ?o }"},
                             headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.json()["boolean"] is True
    assert requests.get(base + "/id/state/ghana").status_code == 200
    time.sleep(0.2)
    log.seek(0)
    output = log.read().decode()
    assert "POST /sparql" in output and "GET /id/state/ghana" in output  # each request is logged


def test_port_taken_is_exit_2(served, settings):
    base = served[0]
    port = base.rsplit(":", 1)[1]
    env = {**os.environ, "R2PKG_BUILD_DIR": str(settings.output_dir)}
    result = subprocess.run([*R2PKG, "serve", "--port", port], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "already in use" in result.stderr


def test_no_build_is_exit_2(tmp_path):
    env = {**os.environ, "R2PKG_BUILD_DIR": str(tmp_path)}
    result = subprocess.run([*R2PKG, "serve", "--port", str(_free_port())], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "r2pkg build" in result.stderr


def test_serve_sets_the_conventions_and_limits(served):
    base = served[0]
    response = requests.get(base + "/id/state/ghana", headers={"Accept-Encoding": "br", "Host": "evil.example"})
    assert response.headers["Content-Encoding"] == "br" and response.headers["ETag"]
    # Links name the address it was started on, not the client's Host header.
    void = requests.get(base + "/.well-known/void", headers={"Host": "evil.example", "Accept": "application/n-triples"})
    assert f"<{base}/sparql>" in void.text and "evil.example" not in void.text
    assert requests.get(base + "/", headers={"X-Huge": "x" * 40_000}).status_code == 431
    assert requests.get(base + "/readyz").json()["status"] == "ready"


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_sigterm_finishes_in_flight_requests_then_stops(built_release, settings):
    """Graceful shutdown: the query running when SIGTERM comes gets its whole answer; then no new connection is
    accepted, the process ends with 0 and its workers with it."""
    import threading

    port = _free_port()
    env = {**os.environ, "R2PKG_BUILD_DIR": str(settings.output_dir)}
    log = open(settings.output_dir / "serve-graceful.log", "w+b")
    process = subprocess.Popen([*R2PKG, "serve", "--port", str(port), "--threads", "4", "--workers", "1",
                                "--timeout", "3", "--grace", "20"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(base + "/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, "r2pkg serve did not start"
                time.sleep(0.2)
        workers = _children(process.pid)
        outcome = {}

        def slow():
            outcome["response"] = requests.post(base + "/sparql", data={"query": SLOW}, timeout=60)

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(1.0)  # the query is running in the worker
        process.send_signal(signal.SIGTERM)
        thread.join(60)
        response = outcome["response"]
        assert response.status_code == 429 and "ran longer than the limit" in response.text  # its full answer
        assert process.wait(30) == 0
        with pytest.raises(requests.ConnectionError):
            requests.get(base + "/healthz", timeout=2)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers)
        log.seek(0)
        output = log.read().decode()
        assert "stopping" in output and "r2pkg: stopped" in output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        log.close()


def test_stop_leaves_no_worker_behind(served):
    """Last in this module: SIGTERM stops the server and its query workers."""
    base, process, _ = served
    workers = _children(process.pid)
    assert len(workers) >= 2
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)
