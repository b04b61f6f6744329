"""An in-memory index of entity labels for prefix search, tolerant of case and accents ("simonovic" finds Šimonović).

It is filled once from any query backend with SPARQL (rdfs:label, skos:prefLabel and skos:altLabel in every language),
so it works the same on the embedded store and on a remote endpoint.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from .namespaces import PREFIXES

LABELS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?property ?label WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }
  ?entity ?property ?label .
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), STR(<%(base)s>)) && isLiteral(?label))
}
"""

TYPES_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity ?type ?type_label WHERE {
  ?entity a ?type .
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), STR(<%(base)s>)))
  FILTER NOT EXISTS { ?entity a ?sub . ?sub rdfs:subClassOf ?type . FILTER(?sub != ?type) }
  OPTIONAL { ?type rdfs:label ?type_label . FILTER(langMatches(lang(?type_label), "en") || lang(?type_label) = "") }
}
"""

R2P_NS = PREFIXES["r2p"]
LABEL_PREFERENCE = {"http://www.w3.org/2000/01/rdf-schema#label": 0, "http://www.w3.org/2004/02/skos/core#prefLabel": 1}


def fold(text: str) -> str:
    """Words of a label without case or accents, in any script ('Šimonović' -> 'simonovic', 'Гана' -> 'гана').

    Like `sources.normalise`, but letters outside ASCII are kept so labels in Arabic, Chinese or Russian stay searchable.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", stripped.casefold()))


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, display label, the label that matched, its most specific type."""

    iri: str
    label: str
    matched: str
    type: str
    type_label: str
    rank: tuple

    def as_json(self, url: str) -> dict:
        return {"iri": self.iri, "label": self.label, "matched": self.matched, "type": self.type,
                "type_label": self.type_label, "url": url}


@dataclass(frozen=True)
class _Entry:
    iri: str
    text: str
    folded: str
    words: tuple[str, ...]


class LabelIndex:
    """Labels of every entity under the instance base, searchable by word prefixes after folding case and accents."""

    def __init__(self, entries: list[_Entry], display: dict[str, str], types: dict[str, tuple[str, str]]):
        self.entries = entries
        self.display = display
        self.types = types
        # (word, entry position) sorted, so a query word finds every label word it starts with by bisection
        self._words = sorted((word, position) for position, entry in enumerate(entries) for word in set(entry.words))
        self._keys = [word for word, _ in self._words]

    @classmethod
    def from_backend(cls, backend, base: str) -> "LabelIndex":
        """Read labels and types with two SELECT queries; `base` limits the index to the project's own IRIs."""
        id_base = base + "id/"
        labels = backend.select(LABELS_QUERY % {"base": id_base}).rows
        entries: list[_Entry] = []
        best: dict[str, tuple] = {}
        for row in labels:
            iri, prop, label = str(row["entity"]), str(row["property"]), row["label"]
            text = str(label).strip()
            folded = fold(text)
            if not folded:
                continue
            entries.append(_Entry(iri, text, folded, tuple(folded.split())))
            lang = (label.language or "").lower()
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
        return cls(entries, display, types)

    def __len__(self) -> int:
        return len(self.display)

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Entities one of whose labels has, for every word of the query, a word starting with it; best first, grouped by type."""
        words = fold(query).split()
        if not words or limit <= 0:
            return []
        candidates = self._prefixed(max(words, key=len))
        found: dict[str, Hit] = {}
        for position in candidates:
            entry = self.entries[position]
            if not all(any(label_word.startswith(word) for label_word in entry.words) for word in words):
                continue
            rank = self._rank(entry, words)
            type_iri, type_label = self.types.get(entry.iri, ("", "Thing"))
            label = self.display.get(entry.iri, entry.text)
            if entry.iri not in found or rank < found[entry.iri].rank:
                found[entry.iri] = Hit(entry.iri, label, entry.text, type_iri, type_label, rank)
        best = sorted(found.values(), key=lambda hit: (hit.rank, hit.label.casefold(), hit.iri))[:limit]
        return group_by_type(best)

    def _prefixed(self, word: str) -> set[int]:
        start = bisect.bisect_left(self._keys, word)
        positions = set()
        for key, position in self._words[start:]:
            if not key.startswith(word):
                break
            positions.add(position)
        return positions

    @staticmethod
    def _rank(entry: _Entry, words: list[str]) -> tuple:
        """Whole-label matches first, then labels that start with the query, then any word match; shorter labels first."""
        query = " ".join(words)
        if entry.folded == query:
            kind = 0
        elif entry.folded.startswith(query):
            kind = 1
        elif all(word in entry.words for word in words):
            kind = 2
        else:
            kind = 3
        return (kind, len(entry.folded))


def group_by_type(hits: list[Hit]) -> list[Hit]:
    """Hits of the same type next to each other, types in the order of their best hit."""
    order: dict[str, int] = {}
    for hit in hits:
        order.setdefault(hit.type, len(order))
    return sorted(hits, key=lambda hit: order[hit.type])


def local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _type_order(candidate: tuple[str, str]) -> tuple:
    """Among equally specific types prefer the project's own classes, then a stable order."""
    type_iri, _ = candidate
    return (0 if type_iri.startswith(R2P_NS) else 1, type_iri)
