"""Web fixtures: the Flask app over the session's build, its test client, a live server.

Like Oxigraph's own tests, every web test runs against each backend: the embedded pyoxigraph store and a real
Oxigraph server (the `oxigraph` PyPI package) on loopback, loaded with the same build and reached over SPARQL 1.1.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from r2pkg.store import EmbeddedBackend, RemoteBackend
from r2pkg.web import create_app, resources
from waitress_thread import start

BACKENDS = ["embedded", "oxigraph"]

TEST_CONFIG = {
    "TESTING": True,
    "QUERY_TIMEOUT_SECONDS": 5.0,
    "QUERY_ROW_LIMIT": 1000,
    "QUERY_WORKERS": 2,
}
"""Small limits, so the limit tests are quick; large enough for every page and catalogue query."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_executable() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    found = str(candidate) if candidate.is_file() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is missing: install the test extras (pip install -e '.[test]')")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(built_release, tmp_path_factory):
    """A read-only Oxigraph server on a free loopback port holding the session's build; yields its query URL."""
    executable = oxigraph_executable()
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run([executable, "load", "--location", str(location), "--file", str(built_release / "dataset.nq")],
                   check=True, capture_output=True, timeout=300)
    port = free_port()
    log = (location.parent / "oxigraph-server.log").open("wb")
    server = subprocess.Popen(
        [executable, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph", "--timeout-s", str(int(TEST_CONFIG["QUERY_TIMEOUT_SECONDS"]) + 1)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while True:
        if server.poll() is not None:
            pytest.fail(f"the oxigraph server stopped at start (exit {server.returncode}); see {log.name}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            server.kill()
            pytest.fail("the oxigraph server did not answer within 30 s")
        time.sleep(0.1)
    yield url
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(5)
    log.close()


@pytest.fixture(scope="session")
def embedded_backend(built_release):
    return EmbeddedBackend.from_file(built_release / "dataset.nq")


@pytest.fixture(scope="session", params=BACKENDS)
def backend_kind(request) -> str:
    """Which backend the app of this test runs on: 'embedded' or 'oxigraph'."""
    return request.param


@pytest.fixture(scope="session")
def app(backend_kind, request, settings):
    if backend_kind == "embedded":
        backend = request.getfixturevalue("embedded_backend")
    else:
        backend = RemoteBackend(request.getfixturevalue("oxigraph_server"), timeout=30)
    if not settings.seeds_dir.is_dir():
        pytest.fail(f"the source texts are missing at {settings.seeds_dir} (set R2PKG_SEEDS)")
    app = create_app(backend=backend, settings=settings, config={**TEST_CONFIG, "SOURCES_DIR": settings.seeds_dir})
    yield app
    resources.close(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    """The app under waitress on a free loopback port, for real HTTP clients and the browser; yields its base URL."""
    yield from serve(app)


def serve(app):
    """Run `app` under waitress on a free loopback port in a thread; yields its base URL, then stops it."""
    server, url = start(app)
    yield url
    server.close()


# --- the tiny project (tests/data/tiny): pages and endpoint answers that do not depend on the real data -------------


@pytest.fixture(scope="session")
def tiny_release(tmp_path_factory):
    """One release of the tiny project, built by the real pipeline; yields (settings, release folder)."""
    from r2pkg.build import build
    from tiny_project import tiny_root

    settings = tiny_root(tmp_path_factory.mktemp("tiny"))
    return settings, build(settings, progress=False)


@pytest.fixture(scope="session")
def tiny_backend(tiny_release):
    return EmbeddedBackend.from_file(tiny_release[1] / "dataset.nq")


@pytest.fixture(scope="session")
def tiny_app(tiny_release, tiny_backend):
    app = create_app(backend=tiny_backend, settings=tiny_release[0], config=TEST_CONFIG)
    yield app
    resources.close(app)


@pytest.fixture
def tiny_client(tiny_app):
    return tiny_app.test_client()


TINY_ROW_LIMIT = 3
"""The row limit of the tiny endpoint: small enough to reach with hand-counted answers."""


@pytest.fixture(scope="session")
def tiny_limited_server(tiny_release, tiny_backend):
    """The tiny project's app with a row limit of TINY_ROW_LIMIT on a loopback port; yields (base URL, row limit)."""
    app = create_app(backend=tiny_backend, settings=tiny_release[0],
                     config={**TEST_CONFIG, "QUERY_ROW_LIMIT": TINY_ROW_LIMIT, "QUERY_WORKERS": 1})
    for url in serve(app):
        yield url, TINY_ROW_LIMIT
    resources.close(app)
