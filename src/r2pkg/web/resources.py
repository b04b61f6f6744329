"""What a running app holds, in one place: its settings, the query backend, the worker pool, the query gate and the
values it computes once (search index, entity list, ...).

Like the database module of Flask's tutorial: `init_app` creates them, the accessors below are how blueprints reach
them (never `current_app.extensions`), and `close` is the one way they end: called by `r2pkg serve` when it stops,
by whoever made the app (tests), and at interpreter exit for an app nobody closed.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app

from ..config import Limits, Settings
from ..executor import BackendSpec, InProcessExecutor, QueryExecutor, WorkerBackend
from ..store import RemoteBackend, StoreError, dataset_path
from .limits import QueryGate

KEY = "r2pkg"
"""The app.extensions key of the app's `Resources`."""

PAGE_WORKERS = 2
"""Workers that answer the pages' own queries (apart from the users' /sparql queries, so a slow user query never
holds up a page); forks of the same zygote, so they share its one copy of the data."""

T = TypeVar("T")


@dataclass(eq=False)
class Resources:
    """Everything one app owns and must release; the data of a running app never changes, so computed values stay."""

    settings: Settings
    backend: Any
    """A WorkerBackend (the current build, in the workers), an EmbeddedBackend, a RemoteBackend or a test double."""
    executor: QueryExecutor | InProcessExecutor
    gate: QueryGate
    computed: dict[str, Any] = field(default_factory=dict)
    draining: bool = False
    """Set when the server stops accepting: /readyz answers 503 so a load balancer takes the instance out."""
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _locks_lock: threading.Lock = field(default_factory=threading.Lock)

    def lock(self, name: str) -> threading.Lock:
        """The lock of one computed value: a slow one (the search index) holds back only the requests that need it."""
        with self._locks_lock:
            return self._locks.setdefault(name, threading.Lock())

    def close(self) -> None:
        """Stop the worker processes; safe to call twice."""
        if isinstance(self.backend, WorkerBackend):
            self.backend.close()
        self.executor.close()


def init_app(app: Flask, backend=None, settings: Settings | None = None) -> Resources:
    """Create the app's resources from its config: the given backend, else the endpoint (ENDPOINT), else the current
    build; a worker pool and a query gate sized by the limits of the config (`config.Limits`).

    The current build is loaded once, by the workers' zygote (`executor`), and the pages query it through a second
    pool of its workers (`WorkerBackend`): this process holds no copy of the store."""
    settings = settings or Settings.from_env()
    limits = Limits.from_config(app.config)
    if backend is None and app.config.get("ENDPOINT"):
        backend = RemoteBackend(app.config["ENDPOINT"], timeout=limits.query_timeout)
    if backend is None:
        path = dataset_path(settings)
        if not path.is_file():
            raise StoreError(f"no built dataset at {path}: run `r2pkg build` first")
        executor = QueryExecutor(BackendSpec("embedded", str(path.resolve()), limits.query_timeout),
                                 workers=limits.workers, timeout=limits.query_timeout, row_limit=limits.row_limit)
        backend = WorkerBackend(executor.sharing(PAGE_WORKERS, row_limit=None))
    else:
        executor = QueryExecutor.for_backend(backend, workers=limits.workers, timeout=limits.query_timeout,
                                             row_limit=limits.row_limit)
    resources = Resources(
        settings=settings,
        backend=backend,
        executor=executor,
        gate=QueryGate(limits.running_total, limits.running_per_client, limits.admission_wait),
    )
    app.extensions[KEY] = resources
    atexit.register(_close_at_exit, weakref.ref(resources))
    return resources


def _close_at_exit(ref: weakref.ref) -> None:
    resources = ref()
    if resources is not None:
        resources.close()


def of(app: Flask | None = None) -> Resources:
    """The resources of `app`, or of the app handling the current request."""
    return (app or current_app).extensions[KEY]


def close(app: Flask) -> None:
    """Release what the app holds (the worker processes): the one shutdown path."""
    of(app).close()


def settings(app: Flask | None = None) -> Settings:
    """The Settings of the running app."""
    return of(app).settings


def backend(app: Flask | None = None):
    """The query backend of the running app (embedded store or remote endpoint)."""
    return of(app).backend


def executor(app: Flask | None = None) -> QueryExecutor | InProcessExecutor:
    """The pool of worker processes that runs the users' SPARQL queries (started on first use)."""
    return of(app).executor


def query_gate(app: Flask | None = None) -> QueryGate:
    """What caps the SPARQL queries running at once, in all and per client."""
    return of(app).gate


def computed(name: str, compute: Callable[[], T], app: Flask | None = None) -> T:
    """The value `compute()` gives, computed once per app (under a lock, so concurrent first requests wait for it)."""
    resources = of(app)
    if name not in resources.computed:
        with resources.lock(name):
            if name not in resources.computed:
                resources.computed[name] = compute()
    return resources.computed[name]


def cache(name: str, app: Flask | None = None) -> dict:
    """A per-app dict for values computed key by key (parsed files, static fingerprints)."""
    return computed(name, dict, app)


def start_draining(app: Flask) -> None:
    of(app).draining = True


def draining(app: Flask | None = None) -> bool:
    return of(app).draining
