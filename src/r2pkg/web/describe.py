"""What the graph says about one resource: labels, statements both ways with their provenance, kind-specific sections.

Everything goes through the backend's SELECT so pages work on the embedded store and on any SPARQL 1.1 server.
Blank nodes (the text spans) are only ever read in the same query as the resource that points at them, because
a remote endpoint does not keep blank-node labels stable across queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..config import INFERRED_GRAPH
from ..explain import Span
from ..namespaces import DCTERMS, ORG, PREFIXES, R2P, RDF, XSD, local_name
from . import language, page_queries
from .collation import by_label
from .description import APPLIES_BY_RANK, Applies, AppliesRow, Description, Group, Label, Section, SourceRef, Statement
from .sections import section_table, sections, sections_query

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GROUP_PAGE_SIZE = 50
NEIGHBOURHOOD_LIMIT = 400  # neighbours in the picture's data at most (the statement tables have every one)


def sparql_term(term: Node) -> str:
    """A term in SPARQL syntax; IRIs come from checked paths or the store, so n3() is safe."""
    return term.n3()


def values_clause(var: str, terms: Iterable[Node]) -> str:
    return f"VALUES ?{var} {{ {' '.join(sparql_term(t) for t in terms)} }}"


class Describer:
    """Reads a resource's description from a backend; one instance per request."""

    def __init__(self, backend, base: str, lang: str = "en"):
        self.backend = backend
        self.base = base
        self.lang = lang

    def select(self, name: str, **values: str):
        """Rows of page query <name> (web/queries/); xsd:string literals come back as plain literals."""
        return self.rows(page_queries.query(name, **values))

    def rows(self, text: str):
        """Rows of a SELECT text; xsd:string literals come back as plain literals."""
        return [{k: _plain(v) for k, v in row.items()} for row in self.backend.select(text).rows]

    # --- identity ---------------------------------------------------------------------------------

    def exists(self, iri: URIRef) -> bool:
        return self.backend.ask(page_queries.query("exists", this=sparql_term(iri)))

    # --- labels -----------------------------------------------------------------------------------

    def all_labels(self, iris: Iterable[Node]) -> dict[URIRef, list[Label]]:
        iris = sorted({i for i in iris if isinstance(i, URIRef)})
        found: dict[URIRef, list[Label]] = defaultdict(list)
        for chunk_start in range(0, len(iris), 400):
            chunk = iris[chunk_start:chunk_start + 400]
            rows = self.select("labels", values=values_clause("x", chunk))
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
        if fallback:
            language.note_fallback(best.lang)
        return Label(best.text, best.lang, fallback, best.source)

    def labels(self, iris: Iterable[Node]) -> dict[URIRef, Label]:
        """One label per IRI (see `pick`); IRIs without one get their local name."""
        iris = {i for i in iris if isinstance(i, URIRef)}
        found = self.all_labels(iris)
        out = {}
        for iri in iris:
            out[iri] = self.pick(found.get(iri, [])) or Label(local_name(iri), None)
        return out

    # --- provenance -------------------------------------------------------------------------------

    def graph_documents(self) -> dict[URIRef, URIRef]:
        """Each source graph and the document it was taken from."""
        rows = self.select("graph-documents")
        return {row["g"]: row["doc"] for row in rows if isinstance(row.get("doc"), URIRef)}

    def document_titles(self, documents: Iterable[URIRef]) -> dict[URIRef, str]:
        documents = {d for d in documents if isinstance(d, URIRef)}
        if not documents:
            return {}
        rows = self.select("document-titles", values=values_clause("d", documents))
        titles = {}
        for row in rows:
            title = row.get("t") or row.get("l")
            if title is not None and row["d"] not in titles:
                titles[row["d"]] = str(title)
        for doc in documents:
            titles.setdefault(doc, local_name(doc))
        return titles

    def spans_of(self, subjects: Iterable[Node]) -> dict[URIRef, list[Span]]:
        """The text spans attesting each subject (subject -> spans, sorted by document and offset)."""
        subjects = sorted({s for s in subjects if isinstance(s, URIRef)})
        spans: dict[URIRef, list[Span]] = defaultdict(list)
        for chunk_start in range(0, len(subjects), 400):
            rows = self.select("spans", values=values_clause("s", subjects[chunk_start:chunk_start + 400]))
            for row in rows:
                span = Span(row["doc"], int(row["start"]), int(row["end"]), str(row["hash"]) if "hash" in row else None)
                if span not in spans[row["s"]]:
                    spans[row["s"]].append(span)
        for values in spans.values():
            values.sort(key=lambda s: (str(s.document), s.start, s.end))
        return spans

    # --- statements -------------------------------------------------------------------------------

    def outgoing(self, iri: URIRef) -> list[tuple[URIRef, Node, URIRef]]:
        rows = self.select("outgoing", this=sparql_term(iri))
        return [(r["p"], r["o"], r["g"]) for r in rows]

    def incoming(self, iri: URIRef) -> list[tuple[URIRef, Node, URIRef]]:
        rows = self.select("incoming", this=sparql_term(iri))
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
        sections = self.sections(iri, types)
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

    def sections(self, iri: URIRef, types: list[URIRef]) -> list[Section]:
        """The sections that fit what the resource is (sections.rq), read in one query."""
        specs = [spec for spec in section_table() if spec.fits(set(types))]
        return sections(specs, self.rows(sections_query(specs, sparql_term(iri), self.lang)), set(types)) if specs else []

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
        rows = self.select("rdf-description", this=sparql_term(iri))
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

    def neighbourhood(self, description: Description, labels: dict[URIRef, Label], page_url,
                      limit: int = NEIGHBOURHOOD_LIMIT) -> dict:
        """Nodes and edges around the resource for the picture (entities under the base only): the resource first, then
        its neighbours, those the sources link before those only the build links, each in label order (the picture
        shows the first ones and more on request; the list under it has them all); one edge per neighbour and
        direction, naming every property that links them."""
        own = description.iri
        found: dict[URIRef, dict] = {}
        edges: dict[tuple[URIRef, URIRef], dict] = {}
        for group in description.outgoing + description.incoming:
            if group.prop == RDF.type:
                continue
            name = labels[group.prop].text if group.prop in labels else local_name(group.prop)
            for statement in group.statements:
                value = statement.value
                if not isinstance(value, URIRef) or not page_url(value) or value == own:
                    continue
                neighbour = found.setdefault(value, {"asserted": False})
                neighbour["asserted"] |= not statement.inferred
                ends = (own, value) if group.direction == "out" else (value, own)
                edge = edges.setdefault(ends, {"names": [], "inferred": True})
                if name not in edge["names"]:
                    edge["names"].append(name)
                edge["inferred"] &= statement.inferred
        key = by_label(labels)
        order = sorted(found, key=lambda v: (not found[v]["asserted"], key(v)))[:limit]
        place = {iri: i for i, iri in enumerate(order)}
        nodes = [{"id": str(own), "label": labels[own].text, "url": page_url(own), "focus": True}]
        nodes += [{"id": str(v), "label": labels[v].text if v in labels else local_name(v), "url": page_url(v),
                   "focus": False} for v in order]
        for (source, target), edge in list(edges.items()):
            opposite = edges.get((target, source))
            if opposite is not None and edge["inferred"] and (not opposite["inferred"] or target == own):
                del edges[(source, target)]  # an inferred inverse says the same again: one arrow per neighbour
        kept = [(ends, edge) for ends, edge in edges.items() if (ends[1] if ends[0] == own else ends[0]) in place]
        kept.sort(key=lambda item: (place[item[0][1] if item[0][0] == own else item[0][0]], item[0][0] != own))
        return {"nodes": nodes, "edges": [{"source": str(s), "target": str(t), "label": ", ".join(sorted(e["names"])),
                                           "inferred": e["inferred"]} for (s, t), e in kept]}


def _plain(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _sort_key(term: Node):
    return (0 if isinstance(term, URIRef) else 1, str(term))
