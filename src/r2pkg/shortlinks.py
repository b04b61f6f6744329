"""Short links for long queries: the query text stored under its content hash, so one text always has one link.

Nothing but the query text is kept (no user, no time, no address), in the build folder's `state/short-links/`
(outside every release, so a new build keeps the links). A text longer than `MAX_BYTES` is refused, and so is a new
link once `MAX_LINKS` are stored.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from .errors import R2pkgError

MAX_BYTES = 64 * 1024
MAX_LINKS = 100_000
ID_LENGTH = 16
ID_PATTERN = re.compile(r"^[0-9a-f]{%d}$" % ID_LENGTH)


class ShortLinkError(R2pkgError):
    """A text that cannot be stored (empty, too long, not UTF-8, store full) or an unknown id."""


def link_id(text: str) -> str:
    """The id of a query text: the first hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


class ShortLinks:
    """Query texts in a folder, one file per id."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES, max_links: int = MAX_LINKS):
        self.folder = folder
        self.max_bytes = max_bytes
        self.max_links = max_links

    def save(self, text: str) -> str:
        """Store a query text (idempotent) and return its id."""
        if not text.strip():
            raise ShortLinkError("the query is empty")
        data = text.encode("utf-8")
        if len(data) > self.max_bytes:
            raise ShortLinkError(f"the query has {len(data)} bytes; short links hold at most {self.max_bytes}")
        identifier = link_id(text)
        path = self.folder / f"{identifier}.rq"
        if path.is_file():
            return identifier
        self.folder.mkdir(parents=True, exist_ok=True)
        if sum(1 for _ in self.folder.glob("*.rq")) >= self.max_links:
            raise ShortLinkError("the short-link store is full")
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".partial")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return identifier

    def load(self, identifier: str) -> str:
        """The query text of an id; ShortLinkError when there is none."""
        if not ID_PATTERN.match(identifier or ""):
            raise ShortLinkError(f"{identifier!r} is not a short-link id")
        try:
            return (self.folder / f"{identifier}.rq").read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise ShortLinkError(f"no query is stored under {identifier}") from error
