"""What an entity page shows, as plain data: labels, statements with their sources, sections, what applies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..config import INFERRED_GRAPH
from ..explain import Span
from ..namespaces import R2P, local_name
from .collation import by_label


@dataclass(frozen=True)
class Label:
    """A label in some language; `fallback` when it is not in the language asked for."""

    text: str
    lang: str | None
    fallback: bool = False
    source: int = 0  # 0 rdfs:label, 1 skos:prefLabel, 2 dct:title: preferred in that order


@dataclass
class SourceRef:
    """Where a statement comes from: a source document and the spans of its subject in that document."""

    graph: URIRef
    document: URIRef | None = None
    spans: list["Span"] = field(default_factory=list)


@dataclass
class Statement:
    """One value of a property (outgoing: the object; incoming: the subject), with the graphs that state it."""

    value: Node
    graphs: set[URIRef] = field(default_factory=set)
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def inferred(self) -> bool:
        return self.graphs == {INFERRED_GRAPH}


@dataclass
class Group:
    """All values of one property, in one direction."""

    prop: URIRef
    direction: str  # "out" or "in"
    statements: list[Statement]

    @property
    def anchor(self) -> str:
        return f"{self.direction}-{local_name(self.prop)}"


@dataclass
class Row:
    """One entry of a kind-specific section: a resource and an optional note (via category, as of date, role...).

    `interpreted` marks what the project's authors read into a source (the note then holds the rationale); `why` is
    the inferred statement (subject, predicate, object) behind the row, for its derivation."""

    value: Node
    note: Node | None = None
    note_prefix: str = ""
    inferred: bool = False
    interpreted: bool = False
    why: tuple | None = None
    rank: int = 0  # the section's own order (?rank in sections.rq) before the label


@dataclass
class Section:
    id: str
    title: str
    rows: list[Row]
    empty: str = "None recorded."
    intro: str = ""
    always: bool = False
    """Shown with its `empty` message when it has no rows, where the absence itself says something."""


APPLIES_BY_RANK = {1: R2P.appliesDirectlyTo, 2: R2P.appliesThroughAffiliationTo, 3: R2P.appliesThroughCategoryTo,
                   4: R2P.appliesThroughBroadCategoryTo}
RANK_NAMES = {1: "named directly", 2: "through a network or post", 3: "through a category", 4: "through a broad category"}


@dataclass
class AppliesRow:
    recommendation: URIRef
    specificity: int
    path: str
    via: URIRef
    interpreted: bool
    why: tuple


@dataclass
class Applies:
    """What applies to an actor, ranked: the rows and the filter that made them."""

    rows: list[AppliesRow]
    include_interpreted: bool
    max_specificity: int

    def counts(self) -> dict[int, int]:
        found: dict[int, set] = defaultdict(set)
        for row in self.rows:
            found[row.specificity].add(row.recommendation)
        return {rank: len(found.get(rank, ())) for rank in RANK_NAMES}


@dataclass
class Description:
    iri: URIRef
    kind: str
    types: list[URIRef]
    labels: list[Label]  # every label, for the "other languages" list
    description: list[Literal]
    outgoing: list[Group]
    incoming: list[Group]
    spans: list[Span]
    sections: list[Section]
    documents: dict[URIRef, str]  # document -> title
    applies: Applies | None = None

    def order_by_labels(self, labels: dict[URIRef, Label]) -> None:
        """Properties, their values and section entries in the order of their labels in the page's language, as a
        person reads them (the store gives IRIs, which are no order for a reader); resources before plain values."""

        key = by_label(labels)
        for groups in (self.outgoing, self.incoming):
            groups.sort(key=lambda g: key(g.prop))
            for group in groups:
                group.statements.sort(key=lambda s: key(s.value))
        for section in self.sections:
            section.rows.sort(key=lambda r: (r.rank, key(r.value), str(r.note)))

    @property
    def named_by_sources(self) -> bool:
        """Whether any source document names the resource (a state only the country list has is not)."""
        return bool(self.spans)
