"""The app's resources (web/resources.py) and settings: made from one Settings and the one table of limits, reached
through accessors, computed once per app, and ended by one close."""

from __future__ import annotations

import os
import threading
import time

import pytest

from r2pkg.cli import main
from r2pkg.config import Limits, Settings
from r2pkg.store import RemoteBackend
from r2pkg.web import create_app, resources


def test_settings_read_every_r2pkg_variable(monkeypatch, tmp_path):
    values = {"R2PKG_HOME": tmp_path / "home", "R2PKG_BASE": "https://example.org/kg/",
              "R2PKG_BUILD_DIR": tmp_path / "out", "R2PKG_SEEDS": tmp_path / "texts",
              "R2PKG_ENDPOINT": "http://127.0.0.1:9/query", "R2PKG_PUBLIC_URL": "https://kg.example.org/"}
    for name, value in values.items():
        monkeypatch.setenv(name, str(value))
    settings = Settings.from_env()
    assert (settings.root, settings.base, settings.output_dir, settings.seeds_dir, settings.endpoint,
            settings.public_url) == tuple(values.values())
    for name in values:
        monkeypatch.delenv(name)
    plain = Settings.from_env()
    assert (plain.endpoint, plain.public_url, plain.build_dir) == (None, None, None)
    assert plain.seeds_dir == plain.root.parent / "shared" / "seeds"


def test_the_limits_have_one_set_of_defaults(embedded_backend, settings):
    """An app made without config, `r2pkg serve`'s options and the worker pool all start from `Limits()`."""
    app = create_app(backend=embedded_backend, settings=settings, config={"TESTING": True})
    try:
        defaults = Limits()
        assert Limits.from_config(app.config) == defaults
        pool = resources.executor(app)
        assert (pool.size, pool.timeout, pool.row_limit) == (defaults.workers, defaults.query_timeout,
                                                            defaults.row_limit)
        gate = resources.query_gate(app)
        assert (gate.total, gate.per_client, gate.wait) == (2 * defaults.workers + 2, defaults.workers + 1,
                                                            defaults.query_timeout)
    finally:
        resources.close(app)
    options = {param.name: param.default for param in main.commands["serve"].params}
    assert (options["workers"], options["query_timeout"], options["row_limit"], options["rate_limit"]) == (
        defaults.workers, defaults.query_timeout, defaults.row_limit, Limits.SERVE_RATE_LIMIT)


def test_the_endpoint_setting_makes_a_remote_app(oxigraph_server, settings, monkeypatch):
    """R2PKG_ENDPOINT, read by Settings, makes an app that answers from that endpoint."""
    monkeypatch.setenv("R2PKG_ENDPOINT", oxigraph_server)
    app = create_app(settings=Settings(root=settings.root, build_dir=settings.output_dir), config={"TESTING": True})
    try:
        assert isinstance(resources.backend(app), RemoteBackend)
        assert resources.backend(app).endpoint == oxigraph_server
        ready = app.test_client().get("/readyz")
        assert ready.status_code == 200 and ready.get_json()["store"] == "RemoteBackend"
    finally:
        resources.close(app)


def test_close_stops_the_worker_processes(embedded_backend, settings):
    app = create_app(backend=embedded_backend, settings=settings, config={"TESTING": True, "QUERY_WORKERS": 1})
    resources.executor(app).start()
    [pid] = resources.executor(app).pids()
    os.kill(pid, 0)  # running
    resources.close(app)
    assert resources.executor(app).pids() == []
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    resources.close(app)  # a second close does nothing


def test_a_value_is_computed_once_per_app(embedded_backend, settings):
    apps = [create_app(backend=embedded_backend, settings=settings, config={"TESTING": True}) for _ in range(2)]
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.05)  # long enough for the other threads to ask meanwhile
        return object()

    try:
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(resources.computed("thing", compute, apps[0])))
                   for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(calls) == 1 and len({id(answer) for answer in answers}) == 1 and len(answers) == 8
        assert resources.computed("thing", compute, apps[1]) is not answers[0] and len(calls) == 2
    finally:
        for app in apps:
            resources.close(app)


def test_an_app_on_the_build_keeps_the_data_in_its_workers_only(built_release, settings):
    """Made from the build folder, the app holds no store of its own: its pages ask a pool of workers forked, like
    the /sparql workers, from the one process that loaded the data; closing the app ends them all."""
    from r2pkg.executor import WorkerBackend
    from r2pkg.web.resources import PAGE_WORKERS

    app = create_app(settings=Settings(root=settings.root, build_dir=settings.output_dir),
                     config={"TESTING": True, "QUERY_WORKERS": 1, "SOURCES_DIR": settings.seeds_dir})
    try:
        pages = resources.backend(app)
        assert isinstance(pages, WorkerBackend)
        client = app.test_client()
        page = client.get("/id/state/ghana", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Ghana" in page.get_data(as_text=True)
        assert client.get("/readyz").get_json()["store"] == "WorkerBackend"
        answer = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert answer.get_json()["boolean"] is True
        workers = resources.executor(app).pids() + pages.pool.pids()
        assert len(workers) == 1 + PAGE_WORKERS
    finally:
        resources.close(app)
    time.sleep(0.2)
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
