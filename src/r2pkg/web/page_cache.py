"""Pages answered once per release: a bounded cache of rendered answers, and a WSGI layer that sends them again.

The data a running app serves does not change (a new build is served by a new app; see `http.release_key`), so an
entity page, an index, the recommendations browser, the statistics or a search are the same for the same address and
request headers until the release changes. Two levels keep them:

- `cached_page` keeps a view's own answer (before the site's headers and compression), so the view's queries, the
  conversion of their terms and the templates run once per page;
- `PageReplay`, a WSGI middleware in front of Flask, keeps the finished answer as it was sent — compressed in the
  encoding the client chose, with its validators and every header of `http.py` — and sends it again to the next
  request with the same key and encoding: a dict lookup, a new request id, a log line, the bytes. A conditional GET
  whose validators still match gets its 304 the same way. Requests it cannot answer exactly (other methods, ranges,
  If-Match, a body) go to Flask, as does every first request of a key.

`page_key` says what makes two requests the same page; it is the one place to extend (e.g. with the interface
language), and the replayed answer carries the `Vary` header the view and `http.py` gave it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from flask import Flask, current_app, make_response, request
from flask_compress.flask_compress import _choose_algorithm
from werkzeug.http import is_resource_modified, parse_date
from werkzeug.wrappers import Request

from .http import log_request, request_id
from .language import language_of
from .limits import MAX_URL_BYTES
from .resources import computed

MAX_ENTRIES = 8192
MAX_BYTES = 64 * 1024 * 1024
"""Bounds of one app's cache: answers kept (a page may be kept once as its view made it and once per encoding sent),
and their total size (the least recently used go first)."""

ENCODINGS = ("br", "gzip")
"""The encodings `http.py` compresses with, in its order of preference (Flask-Compress's COMPRESS_ALGORITHM)."""

KEPT = "r2pkg.page_kept"
"""The WSGI environ key `cached_page` sets when its answer is one that may be sent again as it is."""

BYPASS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_TRANSFER_ENCODING")
"""Request headers under which Flask answers (a precondition that may fail, a range, a body)."""

PER_REQUEST_HEADERS = {"x-request-id", "date"}
"""Headers of a finished answer that are not kept: made anew for every request (waitress adds the date)."""


def page_key(request: Request) -> tuple:
    """What makes two requests the same page: the site's root (scheme, host, path prefix), the path, the query string
    and the Accept header, as the client sent them, and the page's language (from the address, the switcher's cookie
    or Accept-Language; the views say which in `Vary`). The release is constant for an app (and so for its cache).

    Works on Flask's request and on a werkzeug Request made from the WSGI environ (the replay layer, before Flask).
    """
    environ = request.environ
    return (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT", ""),
            language_of(request)[0])


@dataclass(frozen=True)
class Answer:
    """A finished 200 answer as the view made it (the site's own headers are added to every answer on the way out)."""

    body: bytes
    headers: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers)


@dataclass
class Sent:
    """A 200 answer as it was sent (compressed, with the site's headers), and the 304 sent for it, once known."""

    body: bytes
    headers: list[tuple[str, str]]
    etag: str | None
    last_modified: datetime | None
    not_modified: list[tuple[str, str]] | None = None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers)


class PageCache:
    """A least-recently-used map of answers bounded in number and in bytes; safe across the server's threads."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple, Answer | Sent] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def size(self) -> int:
        """The bytes of the answers kept."""
        return self._bytes

    def get(self, key: tuple) -> Answer | Sent | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def clear(self) -> None:
        """Forget every answer (tests that must see a page computed afresh)."""
        with self._lock:
            self._answers.clear()
            self._bytes = 0

    def put(self, key: tuple, answer: Answer | Sent) -> None:
        size = answer.size
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._answers[key] = answer
            self._bytes += size
            while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._answers.popitem(last=False)
                self._bytes -= evicted.size


def page_cache(app: Flask | None = None) -> PageCache:
    """The app's cache of pages (the running app's without an argument)."""
    return computed("page_cache", PageCache, app)


def cached_page(view):
    """A view whose 200 answers are kept per release and `page_key`, and may be sent again by `PageReplay`."""

    @wraps(view)
    def answer(*args, **kwargs):
        cache = page_cache()
        key = ("view", *page_key(request))
        hit = cache.get(key)
        if hit is not None:
            request.environ[KEPT] = True
            return current_app.response_class(hit.body, 200, list(hit.headers))
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough and not response.is_streamed:
            cache.put(key, Answer(response.get_data(), tuple(response.headers.items())))
            request.environ[KEPT] = True
        return response

    return answer


class PageReplay:
    """WSGI middleware: a GET of a page already sent in the same encoding is answered from the cache, without Flask.

    The answer is the one Flask sent the first time, byte for byte and header for header, with a new request id (and
    the server's date); it is logged like any other request. A conditional GET is answered 304 when the validators
    still match (the 304 Flask sent for it the first time, likewise).
    """

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("CONTENT_LENGTH") not in (None, "", "0") \
                or any(name in environ for name in BYPASS) \
                or len(environ.get("REQUEST_URI") or environ.get("RAW_URI") or "") > MAX_URL_BYTES:
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        encoding = _choose_algorithm(ENCODINGS, environ.get("HTTP_ACCEPT_ENCODING", ""))
        key = ("sent", encoding, *page_key(request))
        cache = page_cache(self.app)
        sent = cache.get(key)
        if sent is None:
            return self._record(cache, key, None, environ, start_response)
        status, headers, body = "200 OK", sent.headers, sent.body
        if ("HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ) and not is_resource_modified(
                environ, etag=sent.etag, last_modified=sent.last_modified):
            if sent.not_modified is None:
                return self._record(cache, key, sent, environ, start_response)
            status, headers, body = "304 Not Modified", sent.not_modified, b""
        rid = request_id(environ, bool(self.app.config.get("TRUSTED_PROXY")))
        start_response(status, [*headers, ("X-Request-Id", rid)])
        log_request(request, int(status[:3]), len(body) if body or status[0] == "2" else None, rid,
                    (time.perf_counter() - started) * 1000)
        return [body]

    def _record(self, cache: PageCache, key: tuple, sent: Sent | None, environ, start_response):
        """Let Flask answer, and keep what it sent: a page's 200 (when its view said it may be kept), or the 304 for
        a page already kept."""
        captured: list = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        if not captured:
            return body
        status, headers = captured
        kept = [(name, value) for name, value in headers if name.lower() not in PER_REQUEST_HEADERS]
        if sent is None and status.startswith("200 ") and environ.get(KEPT):
            try:
                data = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
            found = dict((name.lower(), value) for name, value in kept)
            modified = found.get("last-modified")
            cache.put(key, Sent(data, kept, found.get("etag"), parse_date(modified) if modified else None))
            return [data]
        if sent is not None and status.startswith("304 "):
            sent.not_modified = kept
        return body


def init_app(app: Flask) -> None:
    """Put the replay layer directly in front of Flask (inside the middleware that fixes the request's address)."""
    app.wsgi_app = PageReplay(app, app.wsgi_app)
