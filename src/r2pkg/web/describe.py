"""What the graph says about one resource: labels, statements both ways with their provenance, kind-specific sections.

Everything goes through the backend's SELECT so pages work on the embedded store and on any SPARQL 1.1 server.
Blank nodes (the text spans) are only ever read in the same query as the resource that points at them, because
a remote endpoint does not keep blank-node labels stable across queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..config import DERIVATIONS_GRAPH, INFERRED_GRAPH
from ..explain import Span
from ..namespaces import DCTERMS, ORG, PREFIXES, R2P, RDF, XSD

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GROUP_PAGE_SIZE = 50


def sparql_term(term: Node) -> str:
    """A term in SPARQL syntax; IRIs come from checked paths or the store, so n3() is safe."""
    return term.n3()


def values_clause(var: str, terms: Iterable[Node]) -> str:
    return f"VALUES ?{var} {{ {' '.join(sparql_term(t) for t in terms)} }}"


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
        return f"{self.direction}-{_local_name(self.prop)}"


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


@dataclass
class Section:
    id: str
    title: str
    rows: list[Row]
    empty: str = "None recorded."
    intro: str = ""
    always: bool = False
    """Shown with its `empty` message when it has no rows, where the absence itself says something."""


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
    applies: "Applies | None" = None

    @property
    def named_by_sources(self) -> bool:
        """Whether any source document names the resource (a state only the country list has is not)."""
        return bool(self.spans)


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    return re.split(r"[#/]", text.rstrip("/#"))[-1] or text


class Describer:
    """Reads a resource's description from a backend; one instance per request."""

    def __init__(self, backend, base: str, lang: str = "en"):
        self.backend = backend
        self.base = base
        self.lang = lang

    def select(self, body: str):
        """Rows of a SELECT (with the project's prefixes); xsd:string literals come back as plain literals."""
        return [{k: _plain(v) for k, v in row.items()} for row in self.backend.select(SPARQL_PREFIXES + body).rows]

    # --- identity ---------------------------------------------------------------------------------

    def exists(self, iri: URIRef) -> bool:
        t = sparql_term(iri)
        return self.backend.ask(SPARQL_PREFIXES + f"ASK {{ {{ {t} ?p ?o }} UNION {{ ?s ?p {t} }} }}")

    # --- labels -----------------------------------------------------------------------------------

    def all_labels(self, iris: Iterable[Node]) -> dict[URIRef, list[Label]]:
        iris = sorted({i for i in iris if isinstance(i, URIRef)})
        found: dict[URIRef, list[Label]] = defaultdict(list)
        for chunk_start in range(0, len(iris), 400):
            chunk = iris[chunk_start:chunk_start + 400]
            rows = self.select(
                f"SELECT DISTINCT ?x ?l ?k WHERE {{ {values_clause('x', chunk)} "
                "{ ?x rdfs:label ?l BIND(0 AS ?k) } UNION { ?x skos:prefLabel ?l BIND(1 AS ?k) } "
                "UNION { ?x dct:title ?l BIND(2 AS ?k) } }"
            )
            for row in rows:
                lit = row["l"]
                label = Label(str(lit), getattr(lit, "language", None), source=int(row["k"]))
                if not any(l.text == label.text and l.lang == label.lang for l in found[row["x"]]):
                    found[row["x"]].append(label)
        return found

    def pick(self, labels: list[Label]) -> Label | None:
        """The label in the language asked for, else English, else one without language, else any (marked)."""
        if not labels:
            return None
        wanted = self.lang.lower()

        def rank(label: Label):
            lang = (label.lang or "").lower()
            if lang == wanted or lang.split("-")[0] == wanted:
                return 0
            if lang in ("en", "en-gb", "en-us"):
                return 1
            if not lang:
                return 2
            return 3

        best = sorted(labels, key=lambda l: (rank(l), l.source, l.lang or "", l.text))[0]
        lang = (best.lang or "").lower()
        fallback = bool(lang) and lang != wanted and lang.split("-")[0] != wanted
        return Label(best.text, best.lang, fallback, best.source)

    def labels(self, iris: Iterable[Node]) -> dict[URIRef, Label]:
        """One label per IRI (see `pick`); IRIs without one get their local name."""
        iris = {i for i in iris if isinstance(i, URIRef)}
        found = self.all_labels(iris)
        out = {}
        for iri in iris:
            out[iri] = self.pick(found.get(iri, [])) or Label(_local_name(iri), None)
        return out

    # --- provenance -------------------------------------------------------------------------------

    def graph_documents(self) -> dict[URIRef, URIRef]:
        """Each source graph and the document it was taken from."""
        rows = self.select("SELECT ?g ?doc WHERE { ?g prov:wasDerivedFrom ?doc }")
        return {row["g"]: row["doc"] for row in rows if isinstance(row.get("doc"), URIRef)}

    def document_titles(self, documents: Iterable[URIRef]) -> dict[URIRef, str]:
        documents = {d for d in documents if isinstance(d, URIRef)}
        if not documents:
            return {}
        rows = self.select(
            f"SELECT ?d ?t ?l WHERE {{ {values_clause('d', documents)} OPTIONAL {{ ?d dct:title ?t }} OPTIONAL {{ ?d rdfs:label ?l }} }}"
        )
        titles = {}
        for row in rows:
            title = row.get("t") or row.get("l")
            if title is not None and row["d"] not in titles:
                titles[row["d"]] = str(title)
        for doc in documents:
            titles.setdefault(doc, _local_name(doc))
        return titles

    def spans_of(self, subjects: Iterable[Node]) -> dict[URIRef, list[Span]]:
        """The text spans attesting each subject (subject -> spans, sorted by document and offset)."""
        subjects = sorted({s for s in subjects if isinstance(s, URIRef)})
        spans: dict[URIRef, list[Span]] = defaultdict(list)
        for chunk_start in range(0, len(subjects), 400):
            rows = self.select(
                f"SELECT ?s ?doc ?start ?end ?hash WHERE {{ {values_clause('s', subjects[chunk_start:chunk_start + 400])} "
                "?s r2p:attestedBy ?span . ?span r2p:inDocument ?doc ; oa:start ?start ; oa:end ?end . "
                "OPTIONAL { ?span r2p:spanSha256 ?hash } }"
            )
            for row in rows:
                span = Span(row["doc"], int(row["start"]), int(row["end"]), str(row["hash"]) if "hash" in row else None)
                if span not in spans[row["s"]]:
                    spans[row["s"]].append(span)
        for values in spans.values():
            values.sort(key=lambda s: (str(s.document), s.start, s.end))
        return spans

    # --- statements -------------------------------------------------------------------------------

    def outgoing(self, iri: URIRef) -> list[tuple[URIRef, Node, URIRef]]:
        rows = self.select(
            f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {sparql_term(iri)} ?p ?o }} FILTER(?p != r2p:attestedBy) }}"
        )
        return [(r["p"], r["o"], r["g"]) for r in rows]

    def incoming(self, iri: URIRef) -> list[tuple[URIRef, Node, URIRef]]:
        rows = self.select(
            f"SELECT ?p ?s ?g WHERE {{ GRAPH ?g {{ ?s ?p {sparql_term(iri)} }} FILTER(isIRI(?s)) "
            f"FILTER(?g != {sparql_term(DERIVATIONS_GRAPH)}) }}"
        )
        return [(r["p"], r["s"], r["g"]) for r in rows]

    def _groups(self, triples, direction: str, subject_spans, graph_docs, subject_of) -> list[Group]:
        by_prop: dict[URIRef, dict[Node, Statement]] = defaultdict(dict)
        for prop, value, graph in triples:
            statement = by_prop[prop].setdefault(value, Statement(value))
            statement.graphs.add(graph)
        groups = []
        for prop, statements in by_prop.items():
            for statement in statements.values():
                subject = subject_of(statement.value)
                for graph in sorted(statement.graphs):
                    if graph == INFERRED_GRAPH:
                        continue
                    doc = graph_docs.get(graph)
                    spans = [s for s in subject_spans.get(subject, []) if s.document == doc] if doc else []
                    statement.sources.append(SourceRef(graph, doc, spans))
            groups.append(Group(prop, direction, sorted(statements.values(), key=lambda s: _sort_key(s.value))))
        return groups

    def describe(self, iri: URIRef, kind: str) -> Description:
        out_triples = self.outgoing(iri)
        in_triples = self.incoming(iri)
        graph_docs = self.graph_documents()
        subjects = {iri} | {s for _, s, _ in in_triples}
        subject_spans = self.spans_of(subjects)
        outgoing = self._groups(out_triples, "out", subject_spans, graph_docs, lambda value: iri)
        incoming = self._groups(in_triples, "in", subject_spans, graph_docs, lambda value: value)
        types = sorted({o for p, o, _ in out_triples if p == RDF.type and isinstance(o, URIRef)})
        sections = kind_sections(self, iri, kind, types)
        own_labels = self.all_labels([iri]).get(iri, [])
        descriptions = sorted({o for p, o, _ in out_triples if p == DCTERMS.description and isinstance(o, Literal)})
        spans = subject_spans.get(iri, [])
        documents = set(graph_docs.values()) | {s.document for s in spans}
        for group in outgoing + incoming:
            for statement in group.statements:
                documents |= {src.document for src in statement.sources if src.document}
        return Description(
            applies=self.applies(iri) if (set(types) & {R2P.Actor, ORG.Post, R2P.ActorCategory}) else None,
            iri=iri, kind=kind, types=types, labels=sorted(own_labels, key=lambda l: (l.lang or "", l.text)),
            description=descriptions, outgoing=sorted(outgoing, key=lambda g: str(g.prop)),
            incoming=sorted(incoming, key=lambda g: str(g.prop)), spans=spans, sections=sections,
            documents=self.document_titles(documents),
        )

    def applies(self, iri: URIRef, include_interpreted: bool = False, max_specificity: int = 4) -> "Applies":
        """What applies to an actor, post or category, ranked by specificity, with the path and its basis."""
        from ..catalogue import resolve

        question = resolve("applies-to-actor")
        text = question.bind({"actor": str(iri), "include_interpreted": "true" if include_interpreted else "false",
                              "max_specificity": str(max_specificity)})
        rows = []
        seen = set()
        for row in self.backend.select(text).rows:
            key = (row["recommendation"], row["via"], str(row["path"]))
            if key in seen:
                continue
            seen.add(key)
            rank = int(row["specificity"])
            interpreted = str(row["basis"]) == "interpreted"
            prop = R2P.appliesByInterpretationTo if interpreted else APPLIES_BY_RANK[rank]
            rows.append(AppliesRow(row["recommendation"], rank, str(row["path"]), row["via"], interpreted,
                                   (row["recommendation"], prop, iri)))
        return Applies(rows, include_interpreted, max_specificity)

    def rdf_graph(self, iri: URIRef) -> Graph:
        """The resource's RDF description: its outgoing statements (asserted and inferred) and its spans."""
        rows = self.select(
            f"SELECT ?p ?o ?sp ?so WHERE {{ {sparql_term(iri)} ?p ?o . OPTIONAL {{ FILTER(isBlank(?o)) ?o ?sp ?so }} }}"
        )
        graph = Graph()
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        blank: dict[str, BNode] = {}

        def local(term: Node) -> Node:
            if isinstance(term, BNode):
                return blank.setdefault(str(term), BNode())
            return term

        for row in rows:
            obj = local(row["o"])
            graph.add((iri, row["p"], obj))
            if "sp" in row and isinstance(obj, BNode):
                graph.add((obj, row["sp"], local(row["so"])))
        return graph

    # --- neighbourhood ------------------------------------------------------------------------------

    def neighbourhood(self, description: Description, labels: dict[URIRef, Label], page_url, limit: int = 40) -> dict:
        """Nodes and edges around the resource for the interactive picture (entities under the base only)."""
        nodes = {description.iri: {"id": str(description.iri), "label": labels[description.iri].text,
                                   "url": page_url(description.iri), "focus": True}}
        edges = []
        for group in description.outgoing + description.incoming:
            if group.prop == RDF.type:
                continue
            for statement in group.statements:
                value = statement.value
                if not isinstance(value, URIRef) or not page_url(value) or value == description.iri:
                    continue
                if value not in nodes:
                    if len(nodes) >= limit:
                        continue
                    nodes[value] = {"id": str(value), "label": labels[value].text if value in labels else _local_name(value),
                                    "url": page_url(value), "focus": False}
                source, target = (description.iri, value) if group.direction == "out" else (value, description.iri)
                edges.append({"source": str(source), "target": str(target),
                              "label": labels[group.prop].text if group.prop in labels else _local_name(group.prop),
                              "inferred": statement.inferred})
        seen = set()
        unique_edges = []
        for edge in edges:
            key = (edge["source"], edge["target"], edge["label"])
            if key not in seen:
                seen.add(key)
                unique_edges.append(edge)
        return {"nodes": list(nodes.values()), "edges": unique_edges}


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


def _plain(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _sort_key(term: Node):
    return (0 if isinstance(term, URIRef) else 1, str(term))


# --- kind-specific sections ---------------------------------------------------------------------------


def _rows(describer: Describer, body: str) -> list[Row]:
    """Rows from a query binding ?x (the resource), and optionally ?note, ?interpreted and ?wp (the property of an
    inferred statement ?s ?wp ?wo behind the row, for its "why?")."""
    rows = describer.select(f"SELECT DISTINCT ?x ?note ?interpreted ?ws ?wp ?wo WHERE {{ {body} }}")
    seen = set()
    out = []
    for row in rows:
        key = (row.get("x"), row.get("note"))
        if row.get("x") is None or key in seen:
            continue
        seen.add(key)
        why = (row["ws"], row["wp"], row["wo"]) if row.get("wp") is not None else None
        out.append(Row(row["x"], row.get("note"), interpreted=row.get("interpreted") is not None, why=why,
                       inferred=why is not None))
    noted = {r.value for r in out if r.note is not None}
    out = [r for r in out if r.note is not None or r.value not in noted]  # the noted row says more
    return _merge_literal_notes(sorted(out, key=lambda r: (str(r.value), str(r.note))))


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


def _section(describer, id_, title, body, note_prefix="", empty="None recorded.", intro="") -> Section:
    rows = _rows(describer, body)
    for row in rows:
        row.note_prefix = note_prefix
    return Section(id_, title, rows, empty, intro)


def _interpreted(t: str, kind: str, value: str = "?x", subject: str | None = None) -> str:
    """A pattern binding the project's interpretations of kind (AddresseeInterpretation …) with their rationale."""
    subject = subject or t
    return (f"{subject} r2p:hasInterpretation ?i . ?i a r2p:{kind} ; r2p:interpretedAs {value} ; r2p:rationale ?note . "
            "BIND(true AS ?interpreted)")


def kind_sections(describer: Describer, iri: URIRef, kind: str, types: list[URIRef]) -> list[Section]:
    """The sections that fit what the resource is (recommendation, actor, post, mechanism, state, ...)."""
    t = sparql_term(iri)
    type_set = set(types)
    sections: list[Section] = []
    if R2P.Recommendation in type_set:
        sections += [
            replace(_section(describer, "addressees", "Addressees the source names", f"{t} r2p:addressedTo ?x .",
                             empty="The source's words name no addressee for this recommendation; see the "
                                   "interpreted addressees below."), always=True),
            _section(describer, "interpreted-addressees", "Addressees read from context (interpreted)",
                     _interpreted(t, "AddresseeInterpretation"), note_prefix="why:",
                     intro="The source's words name no one here; the project's authors read these addressees from "
                           "the context, for the reason given."),
            _section(describer, "concerns", "About (not asked to act)", f"{t} r2p:concernsActor ?x ."),
            _section(describer, "applies-to", "Applies to, by specificity",
                     f"{t} ?wp ?x . ?wp rdfs:subPropertyOf r2p:appliesTo ; r2p:specificityRank ?rank ; rdfs:label ?note . "
                     f"FILTER(langMatches(lang(?note), \"en\")) BIND({t} AS ?ws) BIND(?x AS ?wo)",
                     note_prefix="rank:"),
            _section(describer, "applies-by-interpretation", "May apply to, through an interpreted addressee",
                     f"{t} r2p:appliesByInterpretationTo ?x . BIND(true AS ?interpreted) "
                     f"BIND({t} AS ?ws) BIND(r2p:appliesByInterpretationTo AS ?wp) BIND(?x AS ?wo)"),
            _section(describer, "mechanisms", "Concerned mechanisms and tools", f"{t} r2p:concernsMechanism ?x ."),
            _section(describer, "situations", "Concerned situations", f"{t} r2p:concernsSituation ?x ."),
            _section(describer, "themes", "Themes the source names", f"{t} r2p:hasTheme ?x ."),
            _section(describer, "interpreted-themes", "Themes read from context (interpreted)",
                     _interpreted(t, "ThemeInterpretation"), note_prefix="why:"),
            _section(describer, "pillar", "Pillar the source names", f"{t} r2p:relatesToPillar ?x ."),
            _section(describer, "interpreted-pillar", "Pillar by interpretation",
                     _interpreted(t, "PillarInterpretation"), note_prefix="why:"),
            _section(describer, "source", "Source", f"{t} r2p:attestedBy/r2p:inDocument ?x ."),
            _section(describer, "event", "Issued at", f"{t} r2p:issuedAt ?x ."),
        ]
    is_actor = R2P.Actor in type_set or ORG.Organization in type_set
    is_post = ORG.Post in type_set
    if is_actor or is_post or R2P.ActorCategory in type_set:
        sections += [
            _section(describer, "recommendations", "Recommendations the sources address to it", f"?x r2p:addressedTo {t} ."),
            _section(describer, "recommendations-interpreted", "Recommendations read as addressed to it (interpreted)",
                     _interpreted(t, "AddresseeInterpretation", value=t, subject="?x"), note_prefix="why:"),
            _section(describer, "recommendations-about", "Recommendations about it (not asking it to act)",
                     f"?x r2p:concernsActor {t} ."),
        ]
    sections.append(_section(describer, "facts", "Numbers the sources give",
                             f"?x r2p:quantityOf {t} ; r2p:quantity ?q ; r2p:quantityQualifier ?qual ; r2p:measure ?m . "
                             "?m rdfs:label ?ml FILTER(langMatches(lang(?ml), \"en\")) "
                             "BIND(CONCAT(?qual, \" \", STR(?q), \" \", LCASE(?ml)) AS ?note)"))
    if R2P.State in type_set:
        sections.append(_section(describer, "focal-point", "National R2P focal point",
                                 f"?x org:postIn {t} ; a r2p:NationalFocalPointPost . OPTIONAL {{ ?x org:heldBy ?note }}",
                                 note_prefix="held by"))
        sections.append(_codes_section(describer, iri))
    if is_actor:
        sections += [
            _section(describer, "memberships", "Member of",
                     f"{{ {t} org:memberOf ?x }} UNION {{ ?m org:member {t} ; org:organization ?x ; org:role ?note . ?note a r2p:MemberRole }}",
                     note_prefix="role"),
            _section(describer, "roles", "Other roles in organisations (not membership)",
                     f"?m org:member {t} ; org:organization ?x ; org:role ?note . FILTER NOT EXISTS {{ ?note a r2p:MemberRole }}",
                     note_prefix="role"),
            _section(describer, "members", "Members",
                     f"{{ ?x org:memberOf {t} }} UNION {{ ?m org:organization {t} ; org:member ?x ; org:role ?note . ?note a r2p:MemberRole }}",
                     note_prefix="role"),
            _section(describer, "other-roles", "Others with a role in it (not members)",
                     f"?m org:organization {t} ; org:member ?x ; org:role ?note . FILTER NOT EXISTS {{ ?note a r2p:MemberRole }}",
                     note_prefix="role"),
            _section(describer, "posts", "Posts in it, and their holders",
                     f"?x org:postIn {t} . OPTIONAL {{ ?x org:heldBy ?note }}", note_prefix="held by"),
            _section(describer, "holds", "Posts it holds or held",
                     f"{{ ?ten r2p:tenureHolder {t} ; r2p:tenurePost ?x . OPTIONAL {{ ?ten r2p:heldAsOf ?note }} }} UNION "
                     f"{{ ?x org:heldBy {t} FILTER NOT EXISTS {{ ?other r2p:tenureHolder {t} ; r2p:tenurePost ?x }} }}",
                     note_prefix="as of"),
            _section(describer, "produced", "Tools and mechanisms it produced", f"?x r2p:producedBy {t} ."),
            _section(describer, "uses", "Tools and mechanisms it uses or operates",
                     f"{{ ?x r2p:usedBy {t} }} UNION {{ ?x r2p:operatedBy {t} }}"),
            _section(describer, "commitments", "Commitments",
                     f"{{ ?x r2p:committedBy {t} }} UNION {{ ?x r2p:committedBy ?note . ?note r2p:coversActor {t} }}",
                     note_prefix="via"),
            _section(describer, "events", "Events it took part in or hosted",
                     f"{{ ?x r2p:participant {t} }} UNION {{ ?x r2p:hostedBy {t} BIND(\"host\"@en AS ?note) }}"),
        ]
    if is_post:
        sections += [
            _section(describer, "post-in", "Post in", f"{t} org:postIn ?x ."),
            _section(describer, "holders", "Holders",
                     f"{{ ?ten r2p:tenurePost {t} ; r2p:tenureHolder ?x . OPTIONAL {{ ?ten r2p:heldAsOf ?note }} }} UNION "
                     f"{{ {t} org:heldBy ?x FILTER NOT EXISTS {{ ?other r2p:tenurePost {t} ; r2p:tenureHolder ?x }} }}",
                     note_prefix="as of"),
        ]
    if R2P.Mechanism in type_set:
        sections += [
            _section(describer, "produced-by", "Produced by", f"{t} r2p:producedBy ?x ."),
            _section(describer, "used-by", "Used by", f"{t} r2p:usedBy ?x ."),
            _section(describer, "operated-by", "Operated by", f"{t} r2p:operatedBy ?x ."),
            _section(describer, "recommendations", "Recommendations about it", f"?x r2p:concernsMechanism {t} ."),
            _section(describer, "commitments", "Commitments to it", f"?x r2p:committedTo {t} ."),
            _section(describer, "events", "Events that discussed it", f"?x r2p:discussedMechanism {t} ."),
        ]
    if R2P.Situation in type_set:
        sections += [
            _section(describer, "recommendations", "Recommendations about it", f"?x r2p:concernsSituation {t} ."),
            _section(describer, "events", "Events that discussed it", f"?x r2p:discussedSituation {t} ."),
        ]
    if R2P.Event in type_set:
        sections += [
            _section(describer, "recommendations", "Recommendations issued at it", f"?x r2p:issuedAt {t} ."),
            _section(describer, "participants", "Participants and hosts",
                     f"{{ {t} r2p:participant ?x }} UNION {{ {t} r2p:hostedBy ?x BIND(\"host\"@en AS ?note) }}"),
        ]
    if R2P.Commitment in type_set:
        sections += [
            _section(describer, "committed-by", "Committed by", f"{t} r2p:committedBy ?x ."),
            _section(describer, "committed-to", "Committed to", f"{t} r2p:committedTo ?x ."),
            _section(describer, "instrument", "Through", f"{t} r2p:viaInstrument ?x ."),
        ]
    if R2P.Theme in type_set or R2P.Pillar in type_set:
        prop = "r2p:hasTheme" if R2P.Theme in type_set else "r2p:relatesToPillar"
        sections.append(_section(describer, "recommendations", "Recommendations", f"?x a r2p:Recommendation ; {prop} {t} ."))
    return sections


def _codes_section(describer: Describer, iri: URIRef) -> Section:
    t = sparql_term(iri)
    rows = describer.select(
        f"SELECT ?p ?code WHERE {{ VALUES ?p {{ r2p:iso3166Alpha2 r2p:iso3166Alpha3 r2p:iso3166Numeric }} {t} ?p ?code }}"
    )
    order = {R2P.iso3166Alpha2: 0, R2P.iso3166Alpha3: 1, R2P.iso3166Numeric: 2}
    names = {R2P.iso3166Alpha2: "ISO 3166-1 alpha-2", R2P.iso3166Alpha3: "ISO 3166-1 alpha-3", R2P.iso3166Numeric: "ISO 3166-1 numeric"}
    result = sorted(rows, key=lambda r: order.get(r["p"], 9))
    return Section("codes", "Country codes",
                   [Row(r["code"], Literal(names.get(r["p"], str(r["p"])))) for r in result], "No codes recorded.")
