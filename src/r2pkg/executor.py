"""Run queries in worker processes, so a slow query can be killed and a crash of the native engine costs one answer.

One "zygote" process (`python -m r2pkg.executor`) opens the backend once (a pyoxigraph store loaded from the
release's dataset.nq, or a client of a remote endpoint) and then only forks: each worker is a fork of it, so every
worker shares the zygote's copy of the data page by page (copy-on-write) and starts in milliseconds. The zygote stays
single-threaded and never queries its store, so its copy stays the one clean copy; a worker whose reads have made a
large part of the store its own (the engine's reads write reference counts) retires after its answer and a fresh fork
takes its place. Workers answer one query at a time over a socket: a small answer in one message, a large one as its
head and then the bytes of the engine's writer in chunks, which the server passes to the client as they come
(`Answer.chunks`). The web server asks `QueryExecutor.run` from its threads; a query past the time limit gets its
worker killed and replaced, a worker that dies takes only its own query with it.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import results
from .config import Limits
from .sparql_text import QueryShape
from .store import EmbeddedBackend, QueryError, QueryTimeout, RawResult, RemoteBackend, SelectResult, StoreError

log = logging.getLogger("r2pkg.executor")

WORKER_START_TIMEOUT = 120.0
WORKER_RESTART_ALLOWANCE = 30.0
FIRST_MESSAGE_BYTES = 64 * 1024
"""An answer up to this size goes to the server in one message; a longer one is streamed after its first part."""
RETIRE_CHECK_SECONDS = 0.02
"""A query that ran longer than this may have touched much of the store: the worker then measures what it owns."""
RETIRE_SHARE = 0.25
"""A worker retires once the memory it no longer shares with the zygote exceeds this share of the zygote's own."""
RETIRE_MIN_BYTES = 32 * 2 ** 20


class EngineCrash(StoreError):
    """The worker running the query died (the native engine crashed on it)."""


class ServerBusy(StoreError):
    """No worker became free within the time limit."""


@dataclass(frozen=True)
class BackendSpec:
    """How the zygote builds the backend its workers share: from a dataset file, or as a client of an endpoint."""

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


# --- the worker's side ---


def _private_bytes() -> int:
    """Memory this process owns alone (Private_Clean + Private_Dirty of /proc/self/smaps_rollup)."""
    owned = 0
    try:
        with open("/proc/self/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith((b"Private_Dirty:", b"Private_Clean:")):
                    owned += int(line.split()[1]) * 1024
    except OSError:
        return 0
    return owned


class _AnswerStream:
    """The worker's end of one answer: the engine's writer writes here; up to FIRST_MESSAGE_BYTES are sent with the
    answer's head in one message, anything beyond in chunks (b"c" + bytes), then an end mark (b"e", or b"r": this
    worker retires)."""

    def __init__(self, connection: Connection, result: RawResult):
        self.connection = connection
        self.result = result
        self.parts: list[bytes] = []
        self.size = 0
        self.streaming = False

    def write(self, data: bytes) -> int:
        if self.streaming:
            self.connection.send_bytes(b"c" + data)
        else:
            self.parts.append(bytes(data))
            self.size += len(data)
            if self.size >= FIRST_MESSAGE_BYTES:
                self._head(complete=False, retire=False)
                self.streaming = True
        return len(data)

    def flush(self) -> None:
        pass

    def _head(self, complete: bool, retire: bool) -> None:
        result = self.result
        self.connection.send(("ok", (result.media_type, result.truncated, result.rows, b"".join(self.parts),
                                     complete, retire)))
        self.parts = []

    def finish(self, retire: bool) -> None:
        if self.streaming:
            self.connection.send_bytes(b"r" if retire else b"e")
        else:
            self._head(complete=True, retire=retire)


def _worker_main(connection: Connection, backend, owned_limit: int) -> None:
    """The worker loop: answer (query, format, graphs, limit, shape) jobs until told to stop or the server is gone."""
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        query, fmt, default_graphs, named_graphs, row_limit, shape = job
        started = time.monotonic()
        try:
            result = backend.run(query, fmt, default_graphs, named_graphs, row_limit, shape)
        except QueryError as error:
            connection.send(("query-error", str(error)))
            continue
        except QueryTimeout as error:  # a remote store's client gave up: the same limit as the pool's own
            connection.send(("timeout", str(error)))
            continue
        except Exception as error:  # any other failure is the engine's or the endpoint's, not the client's
            connection.send(("error", f"{type(error).__name__}: {error}"))
            continue
        stream = _AnswerStream(connection, result)
        try:
            result.write(stream)
        except (OSError, EOFError):
            return  # the server is gone
        except Exception as error:  # the writer failed half-way: the server sees the stream end without its mark
            log.error("writing an answer failed: %s: %s", type(error).__name__, error)
            return
        retire = time.monotonic() - started > RETIRE_CHECK_SECONDS and _private_bytes() > owned_limit
        stream.finish(retire)
        if retire:
            return


def _exit_with_parent(parent: int) -> None:
    """End this worker when the zygote that forked it is gone (the zygote ends with the server), even mid-query."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _zygote_main(control: socket.socket, spec: BackendSpec) -> None:
    """Open the backend, say ready, then fork one worker per request: the request carries the worker's socket.

    Single-threaded on purpose (a fork copies only the calling thread); children are reaped by the kernel."""
    channel = Connection(os.dup(control.fileno()))
    try:
        backend = spec.open()
    except Exception as error:  # reported to the server, which cannot start the pool without it
        channel.send(("failed", f"{type(error).__name__}: {error}"))
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    owned_limit = max(RETIRE_MIN_BYTES, int(RETIRE_SHARE * _private_bytes()))
    channel.send(("ready", None))
    me = os.getpid()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not message or not fds:
            return  # the server closed its end (or is gone)
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                channel.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                threading.Thread(target=_exit_with_parent, args=(me,), daemon=True).start()
                _worker_main(Connection(fds[0]), backend, owned_limit)
            finally:
                os._exit(0)
        os.close(fds[0])
        channel.send(pid)


# --- the server's side ---


class _Zygote:
    """The server's handle on the zygote process: start it, ask it for workers, stop it."""

    def __init__(self, spec: BackendSpec):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "r2pkg.executor", json.dumps(asdict(spec)), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            theirs.close()
        self.control = ours
        self.channel = Connection(os.dup(ours.fileno()))
        self.lock = threading.Lock()

    def wait_ready(self, timeout: float) -> None:
        if not self.channel.poll(timeout):
            self.close()
            raise StoreError(f"the query workers' process did not load the data within {timeout:.0f} s")
        try:
            status, message = self.channel.recv()
        except (EOFError, OSError):
            self.close()
            raise StoreError("the query workers' process died while loading the data") from None
        if status != "ready":
            self.close()
            raise StoreError(f"the query workers' process could not open the data: {message}")

    def fork_worker(self) -> "_Worker":
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with self.lock:
                socket.send_fds(self.control, [b"w"], [theirs.fileno()])
                if not self.channel.poll(WORKER_START_TIMEOUT):
                    raise StoreError("the query workers' process did not fork a worker")
                pid = self.channel.recv()
        except (OSError, EOFError, StoreError) as error:
            ours.close()
            raise StoreError(f"the query workers' process is gone or stuck: {error}") from None
        finally:
            theirs.close()
        return _Worker(pid, ours, self)

    def close(self) -> None:
        for end in (self.channel, self.control):
            try:
                end.close()
            except OSError:
                pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class _Worker:
    """One worker (a fork of the zygote, so not this process's child) and the server's end of its socket."""

    def __init__(self, pid: int, sock: socket.socket, zygote: _Zygote):
        self.pid = pid
        self.zygote = zygote  # the process it was forked from: when that ends, so does this worker
        self.socket = sock
        self.connection = Connection(os.dup(sock.fileno()))
        sock.close()

    @property
    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while self.alive and time.monotonic() < deadline:  # the zygote reaps it
            time.sleep(0.005)
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except (OSError, ValueError):
            pass
        deadline = time.monotonic() + 2
        while self.alive and time.monotonic() < deadline:
            time.sleep(0.005)
        self.kill()


class Answer:
    """An answer from a worker: its head (media type, truncation, rows) at once, its bytes as `chunks()` yields them.

    The worker stays with the answer until its last chunk; `close()` (called when the response ends, read or not)
    gives it back, or replaces it when the answer was left half-read."""

    def __init__(self, pool: "QueryExecutor", worker: _Worker | None, media_type: str, truncated: bool, rows: int,
                 first: bytes):
        self.pool = pool
        self.worker = worker
        self.media_type = media_type
        self.truncated = truncated
        self.rows = rows
        self.first = first

    @property
    def complete(self) -> bool:
        return self.worker is None

    def chunks(self) -> Iterator[bytes]:
        if self.first:
            yield self.first
        worker = self.worker
        if worker is None:
            return
        deadline = time.monotonic() + self.pool.timeout
        while True:
            try:
                if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                    log.warning("an answer was still streaming after %.1f s; replacing its worker", self.pool.timeout)
                    break
                data = worker.connection.recv_bytes()
            except (EOFError, OSError):
                log.error("a query worker died while sending an answer; replacing it")
                break
            if data[:1] == b"c":
                yield data[1:]
                continue
            self.worker = None
            self.pool._release(worker, retire=data == b"r")
            return
        self.worker = None
        self.pool._replace(worker)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks())

    def close(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            self.pool._replace(worker)


class QueryExecutor:
    """A small pool of query workers with a time limit and a row limit; thread-safe, started on first use.

    Pools made with `sharing` fork their workers from the same zygote (one copy of the data for all of them). Its
    owner stops it with `close()` (the web app's are closed by `web.resources.close`); workers also end with this
    process."""

    def __init__(self, spec: BackendSpec, workers: int = Limits.workers, timeout: float = Limits.query_timeout,
                 row_limit: int | None = Limits.row_limit):
        self.spec = spec
        self.size = max(1, workers)
        self.timeout = timeout
        self.row_limit = row_limit
        # Last in, first out: the worker used last is the warmest (the store pages it has copied already, its caches),
        # so a lone client keeps to one worker and the others stay clean copies of the zygote.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._zygote: _Zygote | None = None
        self._zygote_lock = threading.Lock()
        self._owner: QueryExecutor | None = None

    @classmethod
    def for_backend(cls, backend, **options) -> "QueryExecutor | InProcessExecutor":
        """A worker pool for the embedded or remote backend; any other backend (a test double) runs in-process."""
        if not isinstance(backend, (EmbeddedBackend, RemoteBackend)):
            return InProcessExecutor(backend, row_limit=options.get("row_limit", Limits.row_limit))
        timeout = options.get("timeout", Limits.query_timeout)
        return cls(BackendSpec.of(backend, timeout), **options)

    def sharing(self, workers: int, row_limit: int | None = None) -> "QueryExecutor":
        """Another pool whose workers fork from this pool's zygote (for the pages' own queries, say)."""
        pool = QueryExecutor(self.spec, workers=workers, timeout=self.timeout, row_limit=row_limit)
        pool._owner = self
        return pool

    def _zygote_of_pool(self) -> _Zygote:
        """The zygote this pool forks from (its owner's, or its own), started on first use and again if it died."""
        if self._owner is not None:
            self._owner.start()
            return self._owner._zygote_of_pool()
        with self._zygote_lock:
            if self._closed:
                raise StoreError("the query executor is shut down")
            if self._zygote is not None and self._zygote.process.poll() is not None:
                log.error("the query workers' process ended (exit status %s); loading the data in a new one",
                          self._zygote.process.returncode)
                self._zygote.close()
                self._zygote = None
            if self._zygote is None:
                zygote = _Zygote(self.spec)
                zygote.wait_ready(WORKER_START_TIMEOUT)
                self._zygote = zygote
            return self._zygote

    def start(self) -> None:
        """Start the zygote (it loads the data) and fork the workers."""
        with self._lock:
            if self._started:
                return
            if self._closed:
                raise StoreError("the query executor is shut down")
            zygote = self._zygote_of_pool()
            workers = []
            try:
                for _ in range(self.size):
                    workers.append(zygote.fork_worker())
            except StoreError:
                for worker in workers:
                    worker.kill()
                raise
            self._all.update(workers)
            for worker in workers:
                self._idle.put(worker)
            self._started = True

    def _release(self, worker: _Worker, retire: bool = False) -> None:
        if retire:
            self._replace(worker, gently=True)
        else:
            self._idle.put(worker)

    def _replace(self, worker: _Worker, gently: bool = False) -> None:
        """End a worker (kill it, or let it finish when it retires) and fork another in the background, so the answer
        to the client does not wait for it."""
        if not gently:
            worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return

        def fork():
            if gently:
                worker.stop()
            if self._closed:
                return
            try:
                fresh = self._zygote_of_pool().fork_worker()
            except StoreError as error:
                if not self._closed:
                    log.error("could not replace a query worker: %s", error)
                return
            with self._lock:
                closed = self._closed
                if not closed:
                    self._all.add(fresh)
            if closed:
                fresh.stop()
            else:
                self._idle.put(fresh)

        threading.Thread(target=fork, name="r2pkg-worker-start", daemon=True).start()

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None,
            shape: QueryShape | None = None) -> Answer:
        """Answer a query in `fmt` within the time limit, cut after the row limit; `shape` is its analysis, if made."""
        self.start()
        # Busy workers free up within the time limit (or are killed); a replaced one needs its start-up time too.
        wait = self.timeout + WORKER_RESTART_ALLOWANCE
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise ServerBusy(f"every query worker stayed busy for {wait:g} s; try again later") from None
        deadline = time.monotonic() + self.timeout
        try:
            worker.connection.send((query, fmt, default_graphs, named_graphs, self.row_limit, shape))
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                log.warning("query stopped after %.1f s; replacing its worker", self.timeout)
                self._replace(worker)
                raise QueryTimeout.after(self.timeout)
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            log.error("a query worker died; replacing it")
            orphaned = worker.zygote.process.poll() is not None  # asked before _replace's thread may reap it
            self._replace(worker)
            if orphaned:  # not this query's doing: the worker ended with the process it was forked from
                raise StoreError("the query workers' process ended; a new one is loading the data") from None
            raise EngineCrash("the query engine crashed on this query (its worker process died)") from None
        if status == "ok":
            media_type, truncated, rows, first, complete, retire = payload
            if complete:
                self._release(worker, retire)
                return Answer(self, None, media_type, truncated, rows, first)
            return Answer(self, worker, media_type, truncated, rows, first)
        self._idle.put(worker)
        if status == "query-error":
            raise QueryError(payload)
        if status == "timeout":
            raise QueryTimeout(payload)
        raise StoreError(payload)

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return [w.pid for w in self._all if w.alive]

    def close(self) -> None:
        """Stop every worker, and the zygote of a pool that owns it; safe to call twice."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        with self._zygote_lock:
            zygote, self._zygote = self._zygote, None
        for worker in workers:
            worker.stop()
        while not self._idle.empty():
            self._idle.get_nowait()
        if zygote is not None:
            zygote.close()
        if self.spec.temporary and self._owner is None:
            Path(self.spec.location).unlink(missing_ok=True)


class WorkerBackend:
    """The backend of the pages when the data lives only in the zygote: `select`, `ask` and `construct` answered by
    a pool of its workers (the engine's JSON or N-Triples, read back as rdflib terms), so the server process holds no
    copy of the store."""

    def __init__(self, pool: QueryExecutor):
        self.pool = pool

    def _json(self, query: str) -> dict:
        return json.loads(self.pool.run(query, "json").body)

    def select(self, query: str) -> SelectResult:
        data = self._json(query)
        if "results" not in data:
            raise StoreError("not a SELECT query")
        rows = [{name: results.from_json_binding(value) for name, value in binding.items()}
                for binding in data["results"]["bindings"]]
        return SelectResult(data["head"].get("vars", []), rows)

    def ask(self, query: str) -> bool:
        data = self._json(query)
        if "boolean" not in data:
            raise StoreError("not an ASK query")
        return bool(data["boolean"])

    def construct(self, query: str) -> Graph:
        """A CONSTRUCT or DESCRIBE answer as an rdflib Graph."""
        graph = Graph()
        for triple in ox.parse(self.pool.run(query, "nt").body, format=ox.RdfFormat.N_TRIPLES):
            graph.add((results.from_ox(triple.subject), results.from_ox(triple.predicate),
                       results.from_ox(triple.object)))
        return graph

    def close(self) -> None:
        self.pool.close()


class InProcessExecutor:
    """The executor's interface without isolation, for a backend object that cannot be rebuilt in a worker."""

    def __init__(self, backend, row_limit: int | None = Limits.row_limit):
        self.backend = backend
        self.row_limit = row_limit

    def start(self) -> None:
        pass

    def run(self, query: str, fmt: str, default_graphs=None, named_graphs=None,
            shape: QueryShape | None = None) -> RawResult:
        return self.backend.run(query, fmt, default_graphs, named_graphs, self.row_limit, shape)

    def pids(self) -> list[int]:
        return []

    def close(self) -> None:
        pass


if __name__ == "__main__":
    _spec, _fd = sys.argv[1:3]
    _zygote_main(socket.socket(fileno=int(_fd)), BackendSpec(**json.loads(_spec)))
