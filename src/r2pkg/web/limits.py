"""Limits that keep one client from hurting the others: request sizes, the shape of a SPARQL query, a per-client
rate limit of /sparql, and caps on the queries running at once (in all and per client).

Each limit answers with a 4xx and a message that names the limit (429 with Retry-After when the server is full).
The waitress settings that bound slow and half-open clients are `SERVER_OPTIONS`, used by `r2pkg serve` and the tests.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from contextlib import contextmanager

from flask import Flask, abort, current_app, request
from flask_babel import gettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..config import Limits
from ..errors import R2pkgError

MAX_URL_BYTES = 16 * 1024
"""Longer addresses are refused with 414 (send a long query by POST)."""

MAX_HEADER_BYTES = 32 * 1024
"""The whole request head (request line and headers); waitress refuses more with 431."""

MAX_BODY_BYTES = 1024 * 1024
"""Request bodies beyond this are refused with 413 before they are read."""

MAX_QUERY_CHARS = 100_000
"""SPARQL texts beyond this are refused with 400."""

MAX_QUERY_DEPTH = 256
"""Bracket nesting beyond which a query is refused (deep nesting overflows the stack of native SPARQL parsers)."""

MAX_QUERY_TERMS = 5000
"""Lexemes beyond which a query is refused: a long flat chain (thousands of triple patterns, MINUS blocks or path
steps) overflows the stack of Oxigraph's parser and kills the worker, or the server, for every client."""

SEND_BUFFER = 256 * 1024
"""Bytes of a connection's socket send buffer: a whole page, compressed or not, in one send()."""

SERVER_OPTIONS = {
    "channel_timeout": 20,  # seconds a connection may stay idle (no bytes in or out) before it is closed
    "cleanup_interval": 5,  # how often idle connections are looked for
    "connection_limit": 4000,  # open connections; slow clients hold sockets, not threads
    "backlog": 2048,
    "max_request_header_size": MAX_HEADER_BYTES,
    "max_request_body_size": MAX_BODY_BYTES + 64 * 1024,  # Flask answers bodies a bit over the limit itself (413)
    "asyncore_use_poll": True,  # select() cannot watch more than 1024 sockets
    "outbuf_overflow": 1024 * 1024,
    "ident": "r2pkg",
}
"""waitress settings for a public service. Reading a head or body happens in the event loop, not in a request
thread, so half-open clients cost a socket each; the connection limit is high and the process's file limit is
raised to fit (`raise_file_limit`)."""


SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1), (socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)]
"""Options of every accepted connection (waitress's own default is TCP_NODELAY alone). waitress sends at most the
socket's send buffer per send() (16 KiB by default here), so a page of 80 KiB took six sends, each letting go of the
GIL and waiting for it again behind the request threads; with 256 KiB (below the kernel's own autotuning bound of
4 MiB) one send carries a page."""


def tune_server(server) -> None:
    """Set `SOCKET_OPTIONS` on a waitress server made by `create_server` (they are not one of its keyword settings)."""
    server.adj.socket_options = list(SOCKET_OPTIONS)


def server_options(app: Flask) -> dict:
    """waitress settings for this app: with a trusted proxy, waitress keeps the X-Forwarded-* headers for ProxyFix
    (it drops them otherwise)."""
    options = dict(SERVER_OPTIONS)
    if app.config.get("TRUSTED_PROXY"):
        options["clear_untrusted_proxy_headers"] = False
    return options


def raise_file_limit(wanted: int = SERVER_OPTIONS["connection_limit"] + 256) -> int:
    """Raise this process's soft limit of open files towards `wanted` (within the hard limit); the new soft limit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def query_problem(text: str, shape=None) -> str | None:
    """Why a SPARQL text is refused before it reaches any engine (None when it is within every limit); `shape` is the
    text's `analyse_query`, when the caller has it already."""
    from ..sparql_text import analyse_query

    if len(text) > MAX_QUERY_CHARS:
        return f"The query is {len(text)} characters long, more than the limit of {MAX_QUERY_CHARS}."
    shape = shape or analyse_query(text)
    if shape.depth > MAX_QUERY_DEPTH:
        return f"The query is nested {shape.depth} levels deep, more than the limit of {MAX_QUERY_DEPTH}."
    if shape.size > MAX_QUERY_TERMS:
        return (f"The query has {shape.size} terms and operators, more than the limit of {MAX_QUERY_TERMS}; "
                "split it or use VALUES sparingly.")
    return None


class Busy(R2pkgError):
    """A query cannot start now (429): this client has too many running, or the server is full."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class QueryGate:
    """Counts the SPARQL queries running or waiting for a worker: at most `total`, at most `per_client` per client.

    Without it, slow queries would wait for a worker while holding request threads, and starve the pages. A query
    that finds the server full waits up to `wait` seconds for a place (at most `total` such queries wait, each
    holding a thread) before it is refused: a burst of quick queries is served a little later, not refused.
    """

    def __init__(self, total: int, per_client: int, wait: float = Limits().admission_wait):
        self.total = total
        self.per_client = per_client
        self.wait = wait
        self._running: Counter[str] = Counter()
        self._waiting = 0
        self._free = threading.Condition()

    def _full(self) -> bool:
        return sum(self._running.values()) >= self.total

    @contextmanager
    def admit(self, client: str):
        with self._free:
            if self._running[client] >= self.per_client:
                raise Busy(f"Too many queries at once: this client already has {self._running[client]} running "
                           f"(at most {self.per_client}). Wait for one to finish.", 429)
            if self._full() and self._waiting < self.total:
                self._waiting += 1
                try:
                    self._free.wait_for(lambda: not self._full(), timeout=self.wait)
                finally:
                    self._waiting -= 1
            if self._full():
                raise Busy(f"Server busy: {self.total} queries are running, the most it runs at once. "
                           "Try again in a few seconds.", 429)
            self._running[client] += 1
        try:
            yield
        finally:
            with self._free:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]
                self._free.notify()


def client_address() -> str:
    """Who the client is: its address (the proxy's X-Forwarded-For only when TRUSTED_PROXY says so)."""
    return get_remote_address() or "-"


limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=True, storage_uri="memory://",
                  strategy="moving-window", swallow_errors=True)
"""swallow_errors: a failure of the counters' storage is logged and the request let through, never a 500 (the soak
met a race in the memory storage's expiry timer: "threads can only be started once")."""


def sparql_rate_limit() -> str:
    return current_app.config.get("SPARQL_RATE_LIMIT") or "1000000 per second"


def sparql_rate_limit_exempt() -> bool:
    return not current_app.config.get("SPARQL_RATE_LIMIT") or request.method == "OPTIONS"


def init_app(app: Flask) -> None:
    app.config.setdefault("MAX_CONTENT_LENGTH", MAX_BODY_BYTES)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)

    @app.before_request
    def refuse_oversized():
        uri = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI") or request.full_path
        if len(uri.encode("latin-1", "replace")) > MAX_URL_BYTES:
            abort(414, description=gettext("The address is %(size)s bytes long, more than the limit of %(limit)s. "
                                           "Send a long SPARQL query by POST.", size=len(uri), limit=MAX_URL_BYTES))
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            abort(413, description=gettext("The request body is %(size)s bytes, more than the limit of %(limit)s.",
                                           size=length, limit=MAX_BODY_BYTES))
