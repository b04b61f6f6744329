"""Run user queries in worker processes, so a slow query can be killed and a crash of the native engine costs one answer.

Each worker holds its own backend (a pyoxigraph store loaded from the release's dataset.nq, or a client of a remote
endpoint) and answers one query at a time over a pipe. The web server asks `QueryExecutor.run` from its threads; a
query past the time limit gets its worker killed and replaced, a worker that dies takes only its own query with it.
"""

from __future__ import annotations

import logging
import json
import os
import subprocess
import sys
import queue
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from .config import Limits
from .store import EmbeddedBackend, QueryError, QueryTimeout, RawResult, RemoteBackend, StoreError

log = logging.getLogger("r2pkg.executor")

WORKER_START_TIMEOUT = 120.0
WORKER_RESTART_ALLOWANCE = 30.0


class EngineCrash(StoreError):
    """The worker running the query died (the native engine crashed on it)."""


class ServerBusy(StoreError):
    """No worker became free within the time limit."""


@dataclass(frozen=True)
class BackendSpec:
    """How a worker builds its own backend: from a dataset file, or as a client of an endpoint."""

    kind: str  # "embedded" or "remote"
    location: str
    timeout: float = 30.0
    temporary: bool = False  # location is a dump made for the workers, removed when the pool closes

    @classmethod
    def of(cls, backend, timeout: float) -> "BackendSpec":
        if isinstance(backend, RemoteBackend):
            return cls("remote", backend.endpoint, timeout)
        if isinstance(backend, EmbeddedBackend):
            source = backend.source
            if source is None:
                handle = tempfile.NamedTemporaryFile(prefix="r2pkg-", suffix=".nq", delete=False)
                handle.close()
                backend.store.dump(handle.name, format=ox.RdfFormat.N_QUADS)
                return cls("embedded", handle.name, timeout, temporary=True)
            return cls("embedded", str(source), timeout)
        raise TypeError(f"cannot run queries of {backend!r} in a worker")

    def open(self):
        if self.kind == "remote":
            return RemoteBackend(self.location, timeout=self.timeout)
        return EmbeddedBackend.from_file(Path(self.location))


def _worker_main(reader, writer, spec: BackendSpec) -> None:
    """The worker loop: build the backend, say ready, then answer (query, format, graphs, limit) jobs until told to stop."""
    try:
        backend = spec.open()
    except Exception as error:  # reported to the parent, which cannot start the pool without it
        writer.send(("failed", f"{type(error).__name__}: {error}"))
        return
    writer.send(("ready", None))
    while True:
        try:
            job = reader.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        query, fmt, default_graphs, named_graphs, row_limit = job
        try:
            result = backend.run(query, fmt, default_graphs, named_graphs, row_limit)
            writer.send(("ok", (result.body, result.media_type, result.truncated, result.rows)))
        except QueryError as error:
            writer.send(("query-error", str(error)))
        except QueryTimeout as error:  # a remote store's client gave up: the same limit as the pool's own
            writer.send(("timeout", str(error)))
        except Exception as error:  # any other failure is the engine's or the endpoint's, not the client's
            writer.send(("error", f"{type(error).__name__}: {error}"))


def _exit_with_parent(parent: int) -> None:
    """End this worker when the server that started it is gone, even in the middle of a long query."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


class _Worker:
    """One worker process (`python -m r2pkg.executor`) and the parent's ends of its two pipes.

    A fresh interpreter rather than multiprocessing's spawn: it never re-imports the server's main module.
    """

    def __init__(self, spec: BackendSpec):
        from multiprocessing.connection import Connection

        parent_read, child_write = os.pipe()
        child_read, parent_write = os.pipe()
        arguments = [json.dumps(asdict(spec)), str(child_read), str(child_write), str(os.getpid())]
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "r2pkg.executor", *arguments],
                pass_fds=(child_read, child_write), stdin=subprocess.DEVNULL, close_fds=True,
            )
        finally:
            os.close(child_read)
            os.close(child_write)
        self.reader = Connection(parent_read, writable=False)
        self.writer = Connection(parent_write, readable=False)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float) -> None:
        if not self.reader.poll(timeout):
            self.kill()
            raise StoreError(f"a query worker did not start within {timeout:.0f} s")
        try:
            status, message = self.reader.recv()
        except (EOFError, OSError):
            self.kill()
            raise StoreError("a query worker died while starting") from None
        if status != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open the data: {message}")

    def kill(self) -> None:
        if self.alive:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            log.error("query worker %s did not end after SIGKILL", self.process.pid)
        self.reader.close()
        self.writer.close()

    def stop(self) -> None:
        try:
            self.writer.send(None)
            self.process.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()


class QueryExecutor:
    """A small pool of query workers with a time limit and a row limit; thread-safe, started on first use.

    Its owner stops it with `close()` (the web app's is closed by `web.resources.close`); workers also end with this
    process."""

    def __init__(self, spec: BackendSpec, workers: int = Limits.workers, timeout: float = Limits.query_timeout,
                 row_limit: int | None = Limits.row_limit):
        self.spec = spec
        self.size = max(1, workers)
        self.timeout = timeout
        self.row_limit = row_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    @classmethod
    def for_backend(cls, backend, **options) -> "QueryExecutor | InProcessExecutor":
        """A worker pool for the embedded or remote backend; any other backend (a test double) runs in-process."""
        if not isinstance(backend, (EmbeddedBackend, RemoteBackend)):
            return InProcessExecutor(backend, row_limit=options.get("row_limit", Limits.row_limit))
        timeout = options.get("timeout", Limits.query_timeout)
        return cls(BackendSpec.of(backend, timeout), **options)

    def start(self) -> None:
        """Start the workers and wait until each has loaded its data."""
        with self._lock:
            if self._started:
                return
            if self._closed:
                raise StoreError("the query executor is shut down")
            workers = [_Worker(self.spec) for _ in range(self.size)]
            self._all.update(workers)
            try:
                for worker in workers:
                    worker.wait_ready(WORKER_START_TIMEOUT)
            except StoreError:
                for worker in workers:
                    worker.kill()
                self._all.clear()
                raise
            for worker in workers:
                self._idle.put(worker)
            self._started = True

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background, so the answer to the client does not wait for it."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
            fresh = _Worker(self.spec)
            self._all.add(fresh)

        def await_ready():
            try:
                fresh.wait_ready(WORKER_START_TIMEOUT)
            except StoreError as error:
                log.error("could not replace a query worker: %s", error)
                with self._lock:
                    self._all.discard(fresh)
                return
            if self._closed:
                fresh.stop()
            else:
                self._idle.put(fresh)

        threading.Thread(target=await_ready, name="r2pkg-worker-start", daemon=True).start()

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None) -> RawResult:
        """Answer a query in `fmt` within the time limit, cut after the row limit."""
        self.start()
        # Busy workers free up within the time limit (or are killed); a replaced one needs its start-up time too.
        wait = self.timeout + WORKER_RESTART_ALLOWANCE
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise ServerBusy(f"every query worker stayed busy for {wait:g} s; try again later") from None
        deadline = time.monotonic() + self.timeout
        if not worker.alive:
            self._replace(worker)
            raise EngineCrash("the query worker had stopped; try again")
        try:
            worker.writer.send((query, fmt, default_graphs, named_graphs, self.row_limit))
            if not worker.reader.poll(max(0.0, deadline - time.monotonic())):
                log.warning("query stopped after %.1f s; replacing its worker", self.timeout)
                self._replace(worker)
                raise QueryTimeout.after(self.timeout)
            status, payload = worker.reader.recv()
        except (EOFError, OSError, BrokenPipeError):
            try:
                code = worker.process.wait(2)
            except subprocess.TimeoutExpired:
                code = None
            log.error("a query worker died (exit code %s); replacing it", code)
            self._replace(worker)
            raise EngineCrash(f"the query engine crashed on this query (worker exit code {code})") from None
        self._idle.put(worker)
        if status == "ok":
            body, media_type, truncated, rows = payload
            return RawResult(body, media_type, truncated, rows)
        if status == "query-error":
            raise QueryError(payload)
        if status == "timeout":
            raise QueryTimeout(payload)
        raise StoreError(payload)

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.alive]

    def close(self) -> None:
        """Stop every worker; safe to call twice."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        while not self._idle.empty():
            self._idle.get_nowait()
        if self.spec.temporary:
            Path(self.spec.location).unlink(missing_ok=True)


class InProcessExecutor:
    """The executor's interface without isolation, for a backend object that cannot be rebuilt in a worker."""

    def __init__(self, backend, row_limit: int | None = Limits.row_limit):
        self.backend = backend
        self.row_limit = row_limit

    def start(self) -> None:
        pass

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None) -> RawResult:
        return self.backend.run(query, fmt, default_graphs, named_graphs, self.row_limit)

    def pids(self) -> list[int]:
        return []

    def close(self) -> None:
        pass


if __name__ == "__main__":
    from multiprocessing.connection import Connection

    _spec, _read, _write, _parent = sys.argv[1:5]
    threading.Thread(target=_exit_with_parent, args=(int(_parent),), daemon=True).start()
    _worker_main(Connection(int(_read), writable=False), Connection(int(_write), readable=False),
                 BackendSpec(**json.loads(_spec)))
