"""The source texts as the server may show them: a passage around a checked span, and a readable locator.

The texts are read from a folder the operator names (`r2pkg serve --sources DIR`); they are never copied into the
repository or a release. Each text is checked at start-up against the content hash the data declares, and each
span against its own hash before it is shown: a text that no longer matches is reported, never shown.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .sources import TextUnavailable, read_checked, sha256_hex

log = logging.getLogger("r2pkg.passages")

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
CONTEXT_PARAGRAPHS = 1
"""Paragraphs shown on each side of the ones a span touches."""


@dataclass(frozen=True)
class SourceRecord:
    """What the data says of one source text: its document, file name and the SHA-256 of the whole text."""

    document: str
    file_name: str
    sha256: str | None


@dataclass(frozen=True)
class Place:
    """Where a span sits in its text, as a person reads it: the section heading and the paragraph number."""

    section: str | None
    paragraph: int


@dataclass(frozen=True)
class Passage:
    """A span in its context: paragraphs, each a list of (text, cited) pieces, and the span's place."""

    paragraphs: list[list[tuple[str, bool]]]
    place: Place


def _plain(heading: str) -> str:
    """A Markdown heading without its emphasis marks."""
    return re.sub(r"[*_`]+", "", heading).strip()


@dataclass
class SourceText:
    """One verified text with an index of its paragraphs (non-empty lines) and headings."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    numbers: list[int | None] = field(default_factory=list)
    sections: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        offset, number, section = 0, 0, None
        for line in self.text.splitlines(keepends=True):
            content = line.rstrip("\r\n")
            if content.strip():
                heading = HEADING.match(content)
                if heading:
                    section = _plain(heading.group(1)) or section
                    paragraph = None
                else:
                    number += 1
                    paragraph = number
                self.starts.append(offset)
                self.ends.append(offset + len(content))
                self.numbers.append(paragraph)
                self.sections.append(section)
            offset += len(line)

    def _line(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def place(self, start: int) -> Place:
        index = self._line(start)
        number = self.numbers[index]
        while number is None and index + 1 < len(self.numbers):  # a span on a heading: the paragraph after it
            index += 1
            number = self.numbers[index]
        return Place(self.sections[index], number or 0)

    def passage(self, start: int, end: int) -> Passage:
        first, last = self._line(start), self._line(max(start, end - 1))
        lo = max(0, first - CONTEXT_PARAGRAPHS)
        hi = min(len(self.starts) - 1, last + CONTEXT_PARAGRAPHS)
        paragraphs = []
        for index in range(lo, hi + 1):
            a, b = self.starts[index], self.ends[index]
            cut = sorted({a, b, min(max(start, a), b), min(max(end, a), b)})
            pieces = [(self.text[x:y], start <= x and y <= end) for x, y in zip(cut, cut[1:]) if y > x]
            paragraphs.append(pieces)
        return Passage(paragraphs, self.place(start))


class SourceTexts:
    """The source texts this server may show, by document IRI; `problems` says why a document has none."""

    def __init__(self, folder: Path | None, records: list[SourceRecord]):
        self.folder = folder
        self.texts: dict[str, SourceText] = {}
        self.problems: dict[str, str] = {}
        for record in records:
            problem = self._load(record)
            if problem:
                self.problems[record.document] = problem
                if folder is not None:
                    log.warning("source text of %s not shown: %s", record.document, problem)

    def _load(self, record: SourceRecord) -> str | None:
        if self.folder is None:
            return "this server was started without the source texts"
        try:
            self.texts[record.document] = SourceText(read_checked(self.folder, record.file_name, record.sha256))
        except TextUnavailable as problem:
            return str(problem)
        return None

    def has(self, document: str) -> bool:
        return document in self.texts

    def place(self, document: str, start: int) -> Place | None:
        text = self.texts.get(document)
        return text.place(start) if text and 0 <= start < len(text.text) else None

    def passage(self, document: str, start: int, end: int, sha256: str | None) -> Passage:
        """The passage of a span; LookupError with the reason when it cannot be shown."""
        text = self.texts.get(document)
        if text is None:
            raise LookupError(self.problems.get(document, "the data names no source text for this document"))
        if not 0 <= start < end <= len(text.text):
            raise LookupError(f"characters {start}–{end} fall outside the text ({len(text.text)} characters)")
        if sha256 and sha256_hex(text.text[start:end]) != sha256:
            raise LookupError("the text at these characters no longer matches the locator's hash")
        return text.passage(start, end)


def folder_or_default(folder: Path | None, default: Path) -> Path | None:
    """The folder named, else the default when it exists (a server without the texts says where to find them)."""
    if folder is not None:
        return folder
    return default if default.is_dir() else None
