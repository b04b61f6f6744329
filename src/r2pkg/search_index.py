"""Full-text search over the entities' labels, alternative labels and descriptions, in every language.

The engine is SQLite's FTS5 with its trigram tokenizer (Python's standard library): every label, altLabel and
description is one row, indexed after folding case, accents and punctuation (`fold`), so any part of a word matches
("ghan", "simonovic", "vetting" inside a description; "Гана", "غانا" and "加纳" in their scripts). A query word that
occurs nowhere is replaced by the closest words of the index by edit distance (rapidfuzz), so a typo ("Gahna") still
finds its entity. Hits are ranked (whole label, label start, word start in a label, alternative label, description,
each before the same inside a word, typo-corrected matches last; then FTS5's bm25), grouped by type, and carry a snippet of the text that matched.

The index is filled once from any query backend with SPARQL, so it works the same on the embedded store and on a
remote endpoint.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from .namespaces import DCTERMS, PREFIXES, RDFS, SPARQL_PROLOGUE, local_name
from .namespaces import SKOS as SKOS_NS

RDFS_LABEL = str(RDFS.label)
SKOS = str(SKOS_NS)
FIELDS = {
    RDFS_LABEL: "label",
    SKOS + "prefLabel": "label",
    SKOS + "altLabel": "altLabel",
    str(DCTERMS.description): "description",
    str(RDFS.comment): "description",
    SKOS + "definition": "description",
}
"""Which properties are searched, and as which field. Memberships are left out: "Kenya as member of the United
Nations" is one of 195 such records and would bury the state itself; they are listed on the actors' pages."""

TEXTS_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?entity ?property ?text WHERE {
  VALUES ?property { %(properties)s }
  ?entity ?property ?text .
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), STR(<%(base)s>)) && isLiteral(?text))
  FILTER NOT EXISTS { ?entity a org:Membership }
}
"""

TYPES_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?entity ?type ?type_label WHERE {
  ?entity a ?type .
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), STR(<%(base)s>)))
  FILTER NOT EXISTS { ?entity a ?sub . ?sub rdfs:subClassOf ?type . FILTER(?sub != ?type) }
  OPTIONAL { ?type rdfs:label ?type_label . FILTER(langMatches(lang(?type_label), "en") || lang(?type_label) = "") }
}
"""

TYPE_LABELS_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?type ?label WHERE {
  { SELECT DISTINCT ?type WHERE { ?entity a ?type . FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), STR(<%(base)s>))) } }
  ?type rdfs:label ?label .
}
"""
"""The labels of the entities' types in every language: the pages name a type in their own language."""

R2P_NS = PREFIXES["r2p"]
LABEL_PREFERENCE = {RDFS_LABEL: 0, SKOS + "prefLabel": 1}
FIELD_ORDER = {"label": 0, "altLabel": 1, "description": 2}
SNIPPET_CONTEXT = 60
FUZZY_MIN_LENGTH = 4
FUZZY_CUTOFF = 75
FUZZY_ALTERNATIVES = 5


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c if c.isalnum() else " " for c in stripped)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`text` without case, accents and punctuation, and for each folded character the index of its original one."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        part = _fold_char(char)
        folded.append(part)
        origin.extend([index] * len(part))
    return "".join(folded), origin


def fold(text: str) -> str:
    """Words of a text without case or accents, in any script ('Šimonović' -> 'simonovic', 'Гана' -> 'гана')."""
    return " ".join(fold_with_map(text)[0].split())


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, display label, the text that matched and its field (label, altLabel, description),
    its most specific type, a snippet of the matched text as (text, is_match) parts, and its rank (lower is better)."""

    iri: str
    label: str
    matched: str
    field: str
    type: str
    type_label: str
    rank: tuple
    snippet: tuple = ()

    def as_json(self, url: str) -> dict:
        return {"iri": self.iri, "label": self.label, "matched": self.matched, "field": self.field,
                "type": self.type, "type_label": self.type_label, "url": url,
                "snippet": [{"text": text, "match": match} for text, match in self.snippet]}


@dataclass
class Page:
    """One page of hits and how many there are in all."""

    hits: list[Hit]
    total: int
    corrections: dict[str, list[str]] = field(default_factory=dict)


class SearchIndex:
    """An in-memory SQLite FTS5 (trigram) index of the texts of every entity under the instance base."""

    def __init__(self, texts: list[tuple[str, str, str]], display: dict[str, str], types: dict[str, tuple[str, str]],
                 labels: dict[str, list[tuple[str, str | None, int]]] | None = None,
                 type_labels: dict[str, list[tuple[str, str | None]]] | None = None):
        """`texts`: (entity IRI, field, text) rows; `display`: the English (or only) name of each entity, which hits
        carry and are ranked by; `types`: each entity's type and its English label; `labels` and `type_labels`: the
        names of the entities ((text, language, 0 for rdfs:label or 1 for skos:prefLabel)) and of the types ((text,
        language)) in every language, from which a page takes those of its language."""
        self.display = display
        self.types = types
        self.labels = labels or {}
        self.type_labels = type_labels or {}
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE docs USING fts5(folded, tokenize='trigram')")
        self._rows: list[tuple[str, str, str]] = []
        self._folded: list[tuple[str, list[int]]] = []
        vocabulary: set[str] = set()
        for iri, field_name, text in texts:
            folded, origin = fold_with_map(text)
            if not folded.strip():
                continue
            self._rows.append((iri, field_name, text))
            self._folded.append((folded, origin))
            self._db.execute("INSERT INTO docs(rowid, folded) VALUES (?, ?)", (len(self._rows) - 1, " " + folded + " "))
            vocabulary.update(folded.split())
        self._db.commit()
        self.vocabulary = sorted(vocabulary)

    @classmethod
    def from_backend(cls, backend, base: str) -> "SearchIndex":
        """Read texts, types and the types' labels with three SELECT queries; `base` limits the index to the project's
        own IRIs."""
        id_base = base + "id/"
        properties = " ".join(f"<{iri}>" for iri in FIELDS)
        rows = backend.select(TEXTS_QUERY % {"base": id_base, "properties": properties}).rows
        texts: list[tuple[str, str, str]] = []
        best: dict[str, tuple] = {}
        labels: dict[str, list[tuple[str, str | None, int]]] = {}
        for row in rows:
            iri, prop, literal = str(row["entity"]), str(row["property"]), row["text"]
            text = str(literal).strip()
            if not text:
                continue
            texts.append((iri, FIELDS[prop], text))
            if FIELDS[prop] == "description":
                continue
            if prop in LABEL_PREFERENCE:
                labels.setdefault(iri, []).append((text, getattr(literal, "language", None), LABEL_PREFERENCE[prop]))
            lang = (getattr(literal, "language", None) or "").lower()
            preference = (LABEL_PREFERENCE.get(prop, 2), 0 if lang in ("en", "") else 1 if lang.startswith("en") else 2, text)
            if iri not in best or preference < best[iri]:
                best[iri] = preference
        display = {iri: preference[2] for iri, preference in best.items()}
        types: dict[str, tuple[str, str]] = {}
        for row in backend.select(TYPES_QUERY % {"base": id_base}).rows:
            iri, type_iri = str(row["entity"]), str(row["type"])
            type_label = str(row.get("type_label") or local_name(type_iri))
            candidate = (type_iri, type_label)
            current = types.get(iri)
            if current is None or _type_order(candidate) < _type_order(current):
                types[iri] = candidate
        type_labels: dict[str, list[tuple[str, str | None]]] = {}
        for row in backend.select(TYPE_LABELS_QUERY % {"base": id_base}).rows:
            type_labels.setdefault(str(row["type"]), []).append((str(row["label"]), getattr(row["label"], "language", None)))
        texts.sort(key=lambda item: (FIELD_ORDER[item[1]], item[0], item[2]))
        for names in (*labels.values(), *type_labels.values()):
            names.sort(key=lambda name: (name[1] or "", name[0]))
        return cls(texts, display, types, labels, type_labels)

    def __len__(self) -> int:
        return len({iri for iri, _, _ in self._rows})

    # --- searching ---

    def _matching_rows(self, alternatives: list[list[str]]) -> dict[int, float]:
        """Rows whose folded text contains, for every query word, one of its alternatives: rowid -> bm25 score.

        Words of three characters or more go through the trigram index (one MATCH expression); shorter ones, which
        a trigram cannot hold, by a scan of the folded texts."""
        match_terms, like_clauses, like_values = [], [], []
        for words in alternatives:
            if all(len(word) >= 3 for word in words):
                match_terms.append("(" + " OR ".join('"' + word + '"' for word in words) + ")")
            else:
                # (LIKE through the trigram table misses short patterns outside ASCII, such as 加纳: use instr)
                # A word this short is matched at the start of a word only (the texts are indexed with spaces round).
                like_clauses.append("(" + " OR ".join("instr(folded, ?) > 0" for _ in words) + ")")
                like_values.extend(" " + word for word in words)
        if match_terms:
            sql = "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ?"
            values = [" AND ".join(match_terms), *like_values]
            sql += "".join(" AND " + clause for clause in like_clauses)
        else:
            sql = "SELECT rowid, 0 FROM docs WHERE " + " AND ".join(like_clauses)
            values = like_values
        with self._lock:
            return {rowid: score for rowid, score in self._db.execute(sql, values)}

    def _corrections(self, word: str) -> list[str]:
        """Words of the index within a small edit distance of a word that occurs nowhere."""
        if len(word) < FUZZY_MIN_LENGTH:
            return []
        found = process.extract(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                limit=FUZZY_ALTERNATIVES)
        return [choice for choice, _, _ in found if abs(len(choice) - len(word)) <= 2]

    def search_page(self, query: str, offset: int = 0, limit: int = 10) -> Page:
        """One page of the entities that match every word of the query, best first and grouped by type."""
        words = list(dict.fromkeys(fold(query).split()))
        if not words or limit <= 0:
            return Page([], 0)
        alternatives: list[list[str]] = []
        corrections: dict[str, list[str]] = {}
        for word in words:
            if self._matching_rows([[word]]):
                alternatives.append([word])
                continue
            close = self._corrections(word)
            if not close:
                return Page([], 0)
            corrections[word] = close
            alternatives.append(close)
        rows = self._matching_rows(alternatives)
        found: dict[str, Hit] = {}
        best: dict[str, int] = {}
        for rowid, score in rows.items():
            iri, field_name, text = self._rows[rowid]
            hit = self._hit(rowid, alternatives, score, bool(corrections))
            if iri not in found or hit.rank < found[iri].rank:
                found[iri], best[iri] = hit, rowid
        ranked = group_by_type(sorted(found.values(), key=lambda hit: (hit.rank, hit.label.casefold(), hit.iri)))
        words = [w for alternative in alternatives for w in alternative]
        page = [replace(hit, snippet=self._snippet(best[hit.iri], words)) for hit in ranked[offset:offset + limit]]
        return Page(page, len(ranked), corrections)

    def _snippet(self, rowid: int, words: list[str]) -> tuple:
        folded, origin = self._folded[rowid]
        return _snippet(self._rows[rowid][2], _spans(folded, origin, words))

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The first `limit` hits of `search_page`."""
        return self.search_page(query, 0, limit).hits

    def _hit(self, rowid: int, alternatives: list[list[str]], score: float, corrected: bool) -> Hit:
        """A hit for one matching row, ranked, without its snippet (made for the hits of the page only)."""
        iri, field_name, text = self._rows[rowid]
        folded, _ = self._folded[rowid]
        spaced = " " + folded + " "
        query = " ".join(words[0] for words in alternatives)
        compact = " ".join(folded.split())
        at_word_start = all(any(f" {w}" in spaced for w in words) for words in alternatives)
        if field_name == "description":
            kind = 8 if at_word_start else 9
        elif compact == query:
            kind = FIELD_ORDER[field_name]                    # the whole label (0) or alternative label (1)
        elif compact.startswith(query):
            kind = 2 + FIELD_ORDER[field_name]                # starts with the query: 2, 3
        else:
            kind = 4 + 2 * FIELD_ORDER[field_name] + (0 if at_word_start else 1)   # word start 4, 6; inside 5, 7
        if corrected:
            kind += 10
        type_iri, type_label = self.types.get(iri, ("", "Thing"))
        label = self.display.get(iri, text)
        return Hit(iri, label, text, field_name, type_iri, type_label, (kind, score, len(compact)))


LabelIndex = SearchIndex
"""The former name of the index (label prefix search), kept for callers."""


def _spans(folded: str, origin: list[int], words: list[str]) -> list[tuple[int, int]]:
    """Character ranges of the original text where a query word occurs (merged, in order)."""
    spans = []
    for word in words:
        start = folded.find(word)
        while start >= 0:
            end = start + len(word)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippet(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """A window of the text around its first match, as (text, is_match) parts, with … where it was cut."""
    if not spans:
        return ((text[: 2 * SNIPPET_CONTEXT] + ("…" if len(text) > 2 * SNIPPET_CONTEXT else ""), False),)
    first = spans[0][0]
    start = max(0, first - SNIPPET_CONTEXT)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), spans[0][1] + 2 * SNIPPET_CONTEXT)
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space > spans[0][1] else end
    parts: list[tuple[str, bool]] = []
    if start:
        parts.append(("…", False))
    position = start
    for span_start, span_end in spans:
        if span_start >= end:
            break
        if span_start > position:
            parts.append((text[position:span_start], False))
        parts.append((text[max(span_start, position):min(span_end, end)], True))
        position = min(span_end, end)
    if position < end:
        parts.append((text[position:end], False))
    if end < len(text):
        parts.append(("…", False))
    return tuple(parts)


def group_by_type(hits: list[Hit]) -> list[Hit]:
    """Hits of the same type next to each other, types in the order of their best hit."""
    order: dict[str, int] = {}
    for hit in hits:
        order.setdefault(hit.type, len(order))
    return sorted(hits, key=lambda hit: order[hit.type])


def _type_order(candidate: tuple[str, str]) -> tuple:
    """Among equally specific types prefer the project's own classes, then a stable order."""
    type_iri, _ = candidate
    return (0 if type_iri.startswith(R2P_NS) else 1, type_iri)
