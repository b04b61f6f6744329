"""Checked locators into the source texts: find a phrase's span, and verify every span the data declares."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.term import Node

from .errors import R2pkgError
from .namespaces import OA, ORG, R2P, RDF, RDFS, SKOS


class LocateError(R2pkgError, ValueError):
    """A phrase that cannot be located: empty, or an occurrence below 1."""


class PhraseNotFound(LocateError, LookupError):
    """The text does not hold the phrase (that many times)."""


def read_source(path: Path) -> str:
    """The text of a source file exactly as offsets count it: UTF-8, newlines untranslated."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    """Fold case, accents, markup and spacing, so that 'Šimonović' and '**simonovic**' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).strip()


@dataclass(frozen=True)
class Span:
    """A range of code points [start, end) in one source text, with the SHA-256 of what it covers."""

    start: int
    end: int
    sha256: str

    def turtle(self, document_curie: str) -> str:
        """The span as a Turtle blank node, ready to paste after `r2p:attestedBy`."""
        return (
            f'[ a r2p:TextSpan ; r2p:inDocument {document_curie} ; oa:start {self.start} ; '
            f'oa:end {self.end} ; r2p:spanSha256 "{self.sha256}" ]'
        )


def locate(text: str, phrase: str, occurrence: int = 1) -> Span:
    """The span of the n-th occurrence of `phrase` in `text`; spacing differences (line breaks) are tolerated."""
    if occurrence < 1:
        raise LocateError("occurrence counts from 1")
    pattern = r"\s+".join(re.escape(part) for part in phrase.split())
    if not pattern:
        raise LocateError("empty phrase")
    for index, match in enumerate(re.finditer(pattern, text), start=1):
        if index == occurrence:
            return Span(match.start(), match.end(), sha256_hex(match.group(0)))
    raise PhraseNotFound(f"phrase not found (occurrence {occurrence}): {phrase!r}")


@dataclass(frozen=True)
class Miss:
    """One locator that failed its check, with what a person needs to fix it."""

    subject: str
    label: str
    document: str
    start: int | None
    end: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.document}[{self.start}:{self.end}]"
        return f"{where} for {self.label or self.subject}: {self.reason}"


@dataclass
class VerifyReport:
    checked: int
    misses: list[Miss]
    expected: list[str] = field(default_factory=list)
    """The source files the data's documents name."""
    found: list[str] = field(default_factory=list)
    """Those of them that were in the folder and readable."""

    @property
    def ok(self) -> bool:
        return not self.misses


def _names(graph: Graph, subject: Node) -> list[str]:
    labels = [str(o) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(subject, p)]
    return [n for n in (normalise(label) for label in labels) if n]


NAMED_TYPES_EXEMPT = {R2P.Recommendation, R2P.SuggestedAction, R2P.Commitment, R2P.Tenure, R2P.Event,
                      R2P.Meeting, R2P.Workshop, R2P.Conference, R2P.DialogueSession, R2P.TrainingEvent,
                      R2P.WorldSummit, R2P.SourceDocument, R2P.MeetingReport, R2P.PolicyMemo, R2P.EducationalTool,
                      R2P.Theme, R2P.Pillar, ORG.Membership, R2P.Interpretation,
                      R2P.AddresseeInterpretation, R2P.PillarInterpretation, R2P.ThemeInterpretation,
                      R2P.QuantitativeFact}
"""Resources whose spans state a fact rather than a name: the span is checked by hash, not for the label."""


def _must_name(graph: Graph, subject: Node) -> bool:
    return not (set(graph.objects(subject, RDF.type)) & NAMED_TYPES_EXEMPT)


class TextUnavailable(R2pkgError, LookupError):
    """A source text that cannot be used: missing, unreadable, or not the version the locators were made for."""


class TextChanged(TextUnavailable):
    """The source text is there but is not the version the locators were made for."""


def read_checked(folder: Path, file_name: str, sha256: str | None) -> str:
    """The text of `file_name` in `folder`, if it is there, readable and (when `sha256` is given) the version the
    locators were made for; TextUnavailable says why not."""
    path = folder / file_name
    if not path.is_file():
        raise TextUnavailable(f"source file {file_name} is not in {folder}")
    try:
        text = read_source(path)
    except (OSError, UnicodeDecodeError) as error:
        raise TextUnavailable(f"cannot read {file_name}: {getattr(error, 'strerror', None) or error}") from error
    if sha256 is not None and sha256_hex(text) != sha256:
        raise TextChanged(f"{file_name} differs from the version the locators were made for (content hash)")
    return text


def _merged(graph: Graph | Dataset) -> Graph:
    if not isinstance(graph, Dataset):
        return graph
    merged = Graph()
    for quad in graph.quads((None, None, None, None)):
        merged.add(quad[:3])
    return merged


def _document_texts(graph: Graph, seeds_dir: Path) -> tuple[dict[Node, str], dict[Node, str], list[str], list[str]]:
    """The text of every document a span names, or why it has none; and the files expected and found."""
    texts: dict[Node, str] = {}
    problems: dict[Node, str] = {}
    expected: list[str] = []
    found: list[str] = []
    for document in set(graph.objects(None, R2P.inDocument)):
        file_name = graph.value(document, R2P.sourceFile)
        if file_name is None:
            problems[document] = "the document declares no r2p:sourceFile"
            continue
        expected.append(str(file_name))
        declared = graph.value(document, R2P.contentSha256)
        try:
            texts[document] = read_checked(seeds_dir, str(file_name), str(declared) if declared is not None else None)
            found.append(str(file_name))
        except TextUnavailable as problem:
            problems[document] = str(problem)
            if isinstance(problem, TextChanged):
                found.append(str(file_name))
    return texts, problems, expected, found


def _span_problem(graph: Graph, subject: Node, span: Node, text: str, start: int | None, end: int | None) -> str | None:
    """Why one span fails its check against its document's text, or None."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return f"offsets outside the text (length {len(text)})"
    piece = text[start:end]
    digest = graph.value(span, R2P.spanSha256)
    if digest is None or str(digest) != sha256_hex(piece):
        return "the text at these offsets does not match the span's SHA-256"
    if _must_name(graph, subject):
        folded = normalise(piece)
        if not any(name in folded for name in _names(graph, subject)):
            return "the span does not contain the resource's label or any alternative label"
    return None


def verify(graph: Graph | Dataset, seeds_dir: Path) -> VerifyReport:
    """Check every r2p:attestedBy span against the texts in `seeds_dir`.

    A span passes when its document's file is there with the declared content hash, the offsets fall inside
    the text, the text's SHA-256 over the range matches, and, for a named resource, the range contains one of
    the resource's labels or alternative labels (compared after `normalise`).
    """
    graph = _merged(graph)
    texts, problems, expected, found = _document_texts(graph, seeds_dir)
    misses: list[Miss] = []
    checked = 0
    for subject, span in graph.subject_objects(R2P.attestedBy):
        checked += 1
        document = graph.value(span, R2P.inDocument)
        start_lit, end_lit = graph.value(span, OA.start), graph.value(span, OA.end)
        start = int(start_lit) if isinstance(start_lit, Literal) else None
        end = int(end_lit) if isinstance(end_lit, Literal) else None
        if document is None:
            reason = "the span names no r2p:inDocument"
        elif document in problems:
            reason = problems[document]
        else:
            reason = _span_problem(graph, subject, span, texts[document], start, end)
        if reason:
            label = str(graph.value(subject, RDFS.label) or "")
            doc_name = str(graph.value(document, R2P.sourceFile) or document)
            misses.append(Miss(str(subject), label, doc_name, start, end, reason))
    return VerifyReport(checked, misses, sorted(expected), sorted(found))
