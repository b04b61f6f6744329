"""Why a statement is in the graph: asserted (by which graph, with the source spans of its subject or the outside
source it names) or inferred (by which rule, from which premises, each explained in turn down to the sources).

Everything is read with SPARQL from the derivations graph the build writes (r2p:Derivation), so the same tree comes
from the embedded store and from any SPARQL 1.1 endpoint. Premises that involve a blank node (a text span) are
leaves: blank nodes cannot be named again in a later query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .config import DERIVATIONS_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .namespaces import PREFIXES, SPARQL_PROLOGUE

MAX_NODES = 400
"""How many statements one explanation visits at most; a tree cut there says so."""


class ExplainError(Exception):
    """The statement to explain is not usable (not in the graph, malformed term)."""


@dataclass(frozen=True)
class Span:
    """A checked locator: characters start–end of a source document, with the SHA-256 of that range."""

    document: URIRef
    start: int
    end: int
    sha256: str | None

    @property
    def short_hash(self) -> str:
        return (self.sha256 or "")[:12]


@dataclass
class Support:
    """One graph that asserts the statement, and what backs that graph for this statement."""

    graph: URIRef
    document: URIRef | None = None
    spans: list[Span] = field(default_factory=list)
    outside_sources: list[URIRef] = field(default_factory=list)


@dataclass
class Explanation:
    """One statement with why it holds; `premises` are explanations of the statements the rule matched."""

    subject: Node
    predicate: URIRef
    object: Node
    asserted: list[Support] = field(default_factory=list)
    inferred: bool = False
    rule: URIRef | None = None
    rule_label: str | None = None
    rule_description: str | None = None
    premises: list["Explanation"] = field(default_factory=list)
    truncated: bool = False
    about_span: bool = False
    """The statement involves a blank node (a text span, an RDF list of the ontology): shown as the data gives it."""

    @property
    def found(self) -> bool:
        return bool(self.asserted) or self.inferred or self.about_span

    def as_dict(self) -> dict:
        """A JSON-friendly form (terms in N-Triples syntax), for the web API."""
        return {
            "subject": self.subject.n3(), "predicate": self.predicate.n3(), "object": self.object.n3(),
            "asserted": [
                {"graph": str(s.graph), "document": str(s.document) if s.document else None,
                 "spans": [{"document": str(x.document), "start": x.start, "end": x.end, "sha256": x.sha256} for x in s.spans],
                 "outside_sources": [str(o) for o in s.outside_sources]}
                for s in self.asserted
            ],
            "inferred": self.inferred,
            "rule": str(self.rule) if self.rule else None,
            "rule_label": self.rule_label,
            "rule_description": self.rule_description,
            "premises": [p.as_dict() for p in self.premises],
            "truncated": self.truncated,
            "about_span": self.about_span,
        }


def _term(node: Node) -> str:
    return node.n3()


class Explainer:
    """Builds explanations from a backend (`select` returning rows of rdflib terms)."""

    def __init__(self, backend, max_nodes: int = MAX_NODES):
        self.backend = backend
        self.max_nodes = max_nodes
        self.visited = 0
        self._graph_documents: dict[URIRef, URIRef] | None = None

    def _select(self, body: str) -> list[dict]:
        return self.backend.select(SPARQL_PROLOGUE + body).rows

    def graph_documents(self) -> dict[URIRef, URIRef]:
        """Each source graph and the source document it was taken from."""
        if self._graph_documents is None:
            rows = self._select("SELECT ?g ?doc WHERE { ?g prov:wasDerivedFrom ?doc . ?doc a r2p:SourceDocument }")
            self._graph_documents = {}
            for row in rows:
                self._graph_documents.setdefault(row["g"], row["doc"])
        return self._graph_documents

    def explain(self, subject: Node, predicate: URIRef, obj: Node) -> Explanation:
        """The explanation tree of one statement; `found` is False when the graph does not hold it."""
        self.visited = 0
        return self._explain(subject, predicate, obj, set())

    def _explain(self, subject, predicate, obj, path: set) -> Explanation:
        node = Explanation(subject, predicate, obj)
        self.visited += 1
        if any(isinstance(t, BNode) for t in (subject, obj)):
            node.about_span = True
            return node
        triple = f"{_term(subject)} {_term(predicate)} {_term(obj)}"
        graphs = [row["g"] for row in self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {triple} }} }}")]
        for graph in sorted(graphs):
            if graph in (INFERRED_GRAPH, DERIVATIONS_GRAPH):
                continue
            node.asserted.append(self._support(graph, subject))
        if INFERRED_GRAPH in graphs:
            node.inferred = True
            self._derivation(node, path | {(subject, predicate, obj)})
        return node

    def _support(self, graph: URIRef, subject: Node) -> Support:
        support = Support(graph)
        document = self.graph_documents().get(graph)
        if document is not None:
            support.document = document
            rows = self._select(
                f"SELECT DISTINCT ?start ?end ?hash WHERE {{ GRAPH {_term(graph)} {{ {_term(subject)} r2p:attestedBy ?span . "
                f"?span r2p:inDocument {_term(document)} ; oa:start ?start ; oa:end ?end . OPTIONAL {{ ?span r2p:spanSha256 ?hash }} }} }} "
                "ORDER BY ?start ?end"
            )
            support.spans = [Span(document, int(r["start"]), int(r["end"]), str(r["hash"]) if r.get("hash") else None) for r in rows]
        else:
            rows = self._select(f"SELECT DISTINCT ?source WHERE {{ {_term(subject)} dct:source ?source }}")
            support.outside_sources = sorted(r["source"] for r in rows)
            if not support.outside_sources and graph != ONTOLOGY_GRAPH:
                rows = self._select(f"SELECT DISTINCT ?source WHERE {{ {_term(graph)} prov:wasDerivedFrom ?source }}")
                support.outside_sources = sorted(r["source"] for r in rows)
            if not support.outside_sources and graph != ONTOLOGY_GRAPH:
                # the registry (data/core.ttl) states types and labels; the sources that name the subject back it
                rows = self._select(
                    f"SELECT DISTINCT ?doc ?start ?end ?hash WHERE {{ {_term(subject)} r2p:attestedBy ?span . "
                    "?span r2p:inDocument ?doc ; oa:start ?start ; oa:end ?end . OPTIONAL { ?span r2p:spanSha256 ?hash } } "
                    "ORDER BY ?doc ?start ?end"
                )
                support.spans = [Span(r["doc"], int(r["start"]), int(r["end"]), str(r["hash"]) if r.get("hash") else None) for r in rows]
        return support

    def _derivation(self, node: Explanation, path: set) -> None:
        rows = self._select(
            "SELECT ?rule ?label ?description ?ps ?pp ?po WHERE { "
            f"GRAPH {_term(DERIVATIONS_GRAPH)} {{ ?derivation r2p:derives ?statement ; r2p:byRule ?rule ; r2p:premise ?premise . "
            f"?statement rdf:subject {_term(node.subject)} ; rdf:predicate {_term(node.predicate)} ; rdf:object {_term(node.object)} . "
            "?premise rdf:subject ?ps ; rdf:predicate ?pp ; rdf:object ?po . "
            "OPTIONAL { ?rule rdfs:label ?label } OPTIONAL { ?rule dct:description ?description } } }"
        )
        if not rows:
            return
        first = rows[0]
        node.rule = first["rule"]
        node.rule_label = str(first["label"]) if first.get("label") is not None else None
        node.rule_description = str(first["description"]) if first.get("description") is not None else None
        premises = sorted({(r["ps"], r["pp"], r["po"]) for r in rows}, key=lambda t: tuple(str(x) for x in t))
        for premise in premises:
            if premise in path:
                continue  # a premise never needs itself; guards against a malformed derivations graph
            if self.visited >= self.max_nodes:
                node.truncated = True
                break
            node.premises.append(self._explain(*premise, path))


def parse_term(text: str, position: str) -> Node:
    """A statement's term from the command line or a URL: a full IRI, <IRI>, a prefixed name (state:ghana,
    r2p:appliesTo, rdf:type) or, for the object, a literal in N-Triples syntax ("Ghana"@en)."""
    from rdflib.util import from_n3

    value = text.strip()
    if not value:
        raise ExplainError(f"the {position} is empty")
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if value.startswith('"'):
        if position != "object":
            raise ExplainError(f"the {position} must be an IRI, got a literal {text!r}")
        try:
            term = from_n3(value)
        except Exception as error:
            raise ExplainError(f"not a literal in N-Triples syntax: {text!r} ({error})") from error
        if not isinstance(term, Literal):
            raise ExplainError(f"not a literal in N-Triples syntax: {text!r}")
        return term
    if "://" in value:
        if any(c in value for c in ' <>"{}|\\^`'):
            raise ExplainError(f"not an IRI: {text!r}")
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and local and not any(c in local for c in ' <>"{}|\\^`'):
        return URIRef(PREFIXES[prefix] + local)
    known = ", ".join(sorted(PREFIXES))
    raise ExplainError(f"the {position} {text!r} is neither a full IRI nor a prefixed name (prefixes: {known})")
