"""Pages answered once per release: a bounded cache of rendered answers, keyed by the release and the request.

The data a running app serves does not change (a new build is served by a new app; see `http.release_key`), so an
entity page, an index, the recommendations browser or the statistics are the same for the same address and Accept
header until the release changes. Caching the finished answer keeps the queries, the conversion of their terms and
the templates off the path of every request but the first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from flask import current_app, make_response, request

from .http import release_key
from .language import current_language
from .resources import computed

MAX_ENTRIES = 2048
MAX_BYTES = 64 * 1024 * 1024
"""Bounds of one app's cache: answers kept, and their total size (the least recently used go first)."""


@dataclass(frozen=True)
class Answer:
    """A finished 200 answer as the view made it (the site's own headers are added to every answer on the way out)."""

    body: bytes
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """A least-recently-used map of answers bounded in number and in bytes; safe across the server's threads."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def size(self) -> int:
        """The bytes of the answers kept."""
        return self._bytes

    def get(self, key: tuple) -> Answer | None:
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

    def put(self, key: tuple, answer: Answer) -> None:
        if len(answer.body) > self.max_bytes:
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._answers.popitem(last=False)
                self._bytes -= len(evicted.body)


def page_cache() -> PageCache:
    """The running app's cache of pages."""
    return computed("page_cache", PageCache)


def cached_page(view):
    """A view whose 200 answers are kept per release, address (path and query), Accept header and language."""

    @wraps(view)
    def answer(*args, **kwargs):
        cache = page_cache()
        key = (release_key(current_app)[0], request.host_url, request.full_path, request.headers.get("Accept", ""),
               current_language())
        hit = cache.get(key)
        if hit is not None:
            return current_app.response_class(hit.body, 200, list(hit.headers))
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough and not response.is_streamed:
            cache.put(key, Answer(response.get_data(), tuple(response.headers.items())))
        return response

    return answer
