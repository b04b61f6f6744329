"""The kind-specific sections of entity pages, declared in web/queries/sections.rq and read in one query per page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from rdflib import Literal, URIRef

from ..namespaces import SPARQL_PROLOGUE
from . import page_queries
from .description import Row, Section

ROW_VARIABLES = "?x ?note ?interpreted ?ws ?wp ?wo ?rank ?quantity ?qualifier ?measure"
"""What a section's pattern may bind (see sections.rq)."""
QUALIFIED = {
    "exactly": _l("%(count)s %(measure)s"), "more than": _l("more than %(count)s %(measure)s"),
    "at least": _l("at least %(count)s %(measure)s"), "about": _l("about %(count)s %(measure)s"),
    "fewer than": _l("fewer than %(count)s %(measure)s"), "up to": _l("up to %(count)s %(measure)s"),
}
"""A number the sources give (?quantity ?qualifier ?measure in sections.rq) in the page's words; the qualifiers
are those r2p:quantityQualifier allows."""


@dataclass(frozen=True)
class SectionSpec:
    """One block of sections.rq: which pages show the section (`classes`, empty for every page) and its pattern."""

    id: str
    title: str
    classes: frozenset[URIRef]
    pattern: str
    note_prefix: str = ""
    empty: str = "None recorded."
    intro: str = ""
    expected: frozenset[URIRef] | None = None
    """The classes on whose pages the section is shown with its `empty` words when it has no entry (None: none;
    empty: every page that shows the section)."""

    def fits(self, types: set[URIRef]) -> bool:
        return not self.classes or bool(self.classes & types)

    def expected_for(self, types: set[URIRef]) -> bool:
        """Whether the page of a resource of these types says that the section is empty rather than leaving it out."""
        return self.expected is not None and (not self.expected or bool(self.expected & types))


@cache
def section_table() -> tuple[SectionSpec, ...]:
    """Every section, in page order."""
    specs = []
    for block in page_queries.blocks("sections"):
        h = block.header
        classes = frozenset() if h["for"] == "any" else frozenset(page_queries.term(c) for c in h["for"].split())
        specs.append(SectionSpec(h["section"], h["title"], classes, block.pattern, h.get("note-prefix", ""),
                                 h.get("empty", "None recorded."), h.get("intro", ""), _expected(h.get("always"))))
    return tuple(specs)


def _expected(always: str | None) -> frozenset[URIRef] | None:
    """The `always` key: absent (None), "yes" (every page of the section) or the classes it is expected for."""
    if always is None:
        return None
    return frozenset() if always == "yes" else frozenset(page_queries.term(c) for c in always.split())


def sections_query(specs: list[SectionSpec], this: str, lang: str = "en") -> str:
    """One SELECT for all the sections of a page: each section's pattern in a branch binding ?section to its place;
    `$lang` is the page's language, for the words a pattern picks."""
    branches = " UNION ".join(f"{{ {spec.pattern}\nBIND({i} AS ?section) }}" for i, spec in enumerate(specs))
    body = f"SELECT DISTINCT ?section {ROW_VARIABLES} WHERE {{ {branches} }}"
    return SPARQL_PROLOGUE + page_queries.fill(body, this=this, lang=Literal(lang).n3())


def sections(specs: list[SectionSpec], rows: list[dict], types: set[URIRef] = frozenset()) -> list[Section]:
    """The sections of a page, about a resource of these types, from the rows of `sections_query`."""
    by_section: list[list[dict]] = [[] for _ in specs]
    for row in rows:
        by_section[int(row["section"])].append(row)
    return [Section(spec.id, spec.title, section_rows(found, spec.note_prefix), spec.empty, spec.intro,
                    spec.expected_for(types))
            for spec, found in zip(specs, by_section)]


def section_rows(rows: list[dict], note_prefix: str = "") -> list[Row]:
    """Entries from rows binding ?x, and optionally ?note, ?interpreted, ?rank and ?wp (the property of an inferred
    statement ?ws ?wp ?wo behind the entry, for its "why?")."""
    seen = set()
    out = []
    for row in rows:
        if row.get("quantity") is not None:
            row = {**row, "note": Literal(_quantity(row))}
        key = (row.get("x"), row.get("note"))
        if row.get("x") is None or key in seen:
            continue
        seen.add(key)
        why = (row["ws"], row["wp"], row["wo"]) if row.get("wp") is not None else None
        out.append(Row(row["x"], row.get("note"), note_prefix, interpreted=row.get("interpreted") is not None,
                       why=why, inferred=why is not None, rank=int(row.get("rank", 0))))
    noted = {r.value for r in out if r.note is not None}
    out = [r for r in out if r.note is not None or r.value not in noted]  # the noted row says more
    return _merge_literal_notes(sorted(out, key=lambda r: (r.rank, str(r.value), str(r.note))))


def _quantity(row: dict) -> str:
    """A number the sources give, qualified and counted in the page's language ("plus de 45 pays")."""
    words = QUALIFIED.get(str(row.get("qualifier")), QUALIFIED["exactly"])
    return str(words) % {"count": format_decimal(row["quantity"].toPython()), "measure": str(row.get("measure", ""))}


def _merge_literal_notes(rows: list[Row]) -> list[Row]:
    """One row per value when its notes are plain values (a post held as of two dates reads "as of D1, D2")."""
    merged: list[Row] = []
    for row in rows:
        last = merged[-1] if merged else None
        if (last is not None and last.value == row.value and isinstance(last.note, Literal)
                and isinstance(row.note, Literal)):
            last.note = Literal(f"{last.note}, {row.note}")
        else:
            merged.append(row)
    return merged
