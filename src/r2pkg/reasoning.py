"""Materialise inferences: run the rules in ontology/rules/ to a fixpoint, into the inferred graph only, and record
for every inferred statement how it was derived (rule and premises) in the derivations graph.

A rule is a SPARQL CONSTRUCT with one template triple whose WHERE is plain triple patterns plus FILTERs; its plain
triple patterns, filled with a solution, are the premises of the conclusion. The rules read the union of every graph
(the derivations are added once the fixpoint is reached) and write only triples that no graph holds yet, so asserted and inferred statements
never mix. Each round runs only the rules that can match something the previous round added.

Evaluation is semi-naive: a rule's first run reads the whole store; every later run joins only against what was
added since its previous run (once per premise, that premise bound to the new triples), which finds exactly the
new solutions a full re-run would find, because the store only grows and the rules' negations (FILTER NOT EXISTS,
OPTIONAL … !BOUND) only ever reject more as it does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Literal, URIRef, Variable

from .config import DERIVATIONS_GRAPH, INFERRED_GRAPH, Settings
from .errors import R2pkgError
from .namespaces import DCTERMS, PREFIXES, R2P, RDF, RDFS

RULE_BASE = PREFIXES["rule"]
STATEMENT_BASE = PREFIXES["stmt"]
DERIVATION_BASE = PREFIXES["drv"]


class ReasoningError(R2pkgError):
    """A rule could not run (syntax error, unsupported pattern) or the rules did not reach a fixpoint."""


@dataclass(frozen=True)
class Rule:
    """One rule file: its name, SPARQL text, and what it says it does (the file's leading comment)."""

    name: str
    query: str
    description: str = ""

    @property
    def iri(self) -> str:
        return RULE_BASE + self.name


@dataclass
class InferenceReport:
    """How many triples each rule added and how many rounds the fixpoint took."""

    rounds: int = 0
    added: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values())


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    select: str
    template: tuple
    premises: tuple[tuple, ...]
    predicates: frozenset | None
    """The IRIs of the premises' predicates, or None when a premise has a variable predicate (matches anything)."""
    fillers: tuple = ()
    """The template, then each premise, as (variable name or None, constant ox term) per position."""
    incremental: tuple[tuple[str, str], ...] = ()
    """Per premise, the SELECT with that premise also matched in a graph of new triples, split where that graph's IRI
    goes (a constant graph: Oxigraph plans `GRAPH ?g` with `VALUES ?g` a thousand times slower)."""

    def premise_predicate(self, index: int) -> str | None:
        predicate = self.premises[index][1]
        return str(predicate) if isinstance(predicate, URIRef) else None


def load_rules(settings: Settings) -> list[Rule]:
    """Every rule file, by name."""
    rules = []
    for path in sorted(Path(settings.rules_dir).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comment = " ".join(line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#"))
        rules.append(Rule(path.stem, text, comment))
    return rules


def _bgp_triples(node) -> list:
    """The plain triple patterns of a rule's WHERE (FILTER expressions, NOT EXISTS included, are not premises)."""
    name = getattr(node, "name", None)
    if name == "BGP":
        return list(node["triples"])
    if name in ("Project", "Filter", "ToMultiSet"):
        return _bgp_triples(node["p"])
    if name == "Join":
        return _bgp_triples(node["p1"]) + _bgp_triples(node["p2"])
    if name == "LeftJoin":  # OPTIONAL parts only ever exclude (FILTER !BOUND): they are conditions, not premises
        return _bgp_triples(node["p1"])
    raise ReasoningError(f"unsupported pattern {name}: a rule's WHERE is triple patterns and FILTERs only")


def _compile(rule: Rule) -> _Compiled:
    try:
        algebra = translateQuery(parseQuery(rule.query)).algebra
    except Exception as error:  # pyparsing raises its own exception types
        raise ReasoningError(f"rule {rule.name}: {error}") from error
    if algebra.name != "ConstructQuery" or len(algebra.template) != 1:
        raise ReasoningError(f"rule {rule.name}: must be a CONSTRUCT of exactly one triple")
    premises = tuple(_bgp_triples(algebra["p"]))
    for triple in premises:
        if not all(isinstance(term, (URIRef, Literal, Variable)) for term in triple):
            raise ReasoningError(f"rule {rule.name}: premises must be plain triple patterns (no property paths)")
    where = rule.query[rule.query.upper().index("WHERE"):]
    prologue = rule.query[: rule.query.upper().index("CONSTRUCT")]
    predicates = frozenset(str(p) for _, p, _ in premises if isinstance(p, URIRef))
    has_variable_predicate = any(isinstance(p, Variable) for _, p, _ in premises)
    group = where.index("{") + 1
    incremental = tuple(
        (f"{prologue}SELECT * {where[:group]} GRAPH <", f"> {{ {' '.join(term.n3() for term in triple)} }} {where[group:]}")
        for triple in premises
    )
    fillers = tuple(tuple((str(term), None) if isinstance(term, Variable) else (None, _to_ox(term, None)) for term in triple)
                    for triple in (tuple(algebra.template[0]), *premises))
    return _Compiled(rule, f"{prologue}SELECT * {where}", tuple(algebra.template[0]), premises,
                     None if has_variable_predicate else predicates, fillers, incremental)


BATCH_BASE = "urn:x-r2pkg:inference-batch:"
"""While materialising, the triples each run of a rule adds wait in a graph of their own (moved to the inferred graph
at the end), so a later run can join against exactly what is new to it."""


def _to_ox(term, row) -> ox.NamedNode | ox.Literal | ox.BlankNode | None:
    if isinstance(term, Variable):
        return row[str(term)]
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))
    raise ReasoningError(f"unsupported term {term!r}")


def statement_key(s, p, o) -> str:
    """A short, stable key of a triple (its N-Triples form hashed), used for statement and derivation IRIs."""
    return hashlib.sha256(f"{s} {p} {o}".encode("utf-8")).hexdigest()[:20]


class _Recorder:
    """Writes derivations, their statements and the rules into the derivations graph."""

    def __init__(self, rules: list[Rule]):
        self.graph = ox.NamedNode(str(DERIVATIONS_GRAPH))
        self._statement_nodes: dict[tuple, ox.NamedNode] = {}  # triple -> stmt:<key>, each statement described once
        self.quads: list[ox.Quad] = []
        for rule in rules:
            node = ox.NamedNode(rule.iri)
            self.quads += [
                ox.Quad(node, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(R2P.InferenceRule)), self.graph),
                ox.Quad(node, ox.NamedNode(str(RDFS.label)), ox.Literal(rule.name.replace("-", " "), language="en"), self.graph),
                ox.Quad(node, ox.NamedNode(str(R2P.ruleFile)), ox.Literal(f"ontology/rules/{rule.name}.rq"), self.graph),
            ]
            if rule.description:
                self.quads.append(ox.Quad(node, ox.NamedNode(str(DCTERMS.description)), ox.Literal(rule.description, language="en"), self.graph))

        self._terms = {name: ox.NamedNode(str(term)) for name, term in (
            ("subject", RDF.subject), ("predicate", RDF.predicate), ("object", RDF.object), ("type", RDF.type),
            ("Derivation", R2P.Derivation), ("derives", R2P.derives), ("byRule", R2P.byRule), ("premise", R2P.premise))}
        self._rules = {rule.name: ox.NamedNode(rule.iri) for rule in rules}

    def _statement(self, triple) -> ox.NamedNode:
        node = self._statement_nodes.get(triple)
        if node is None:
            node = self._statement_nodes[triple] = ox.NamedNode(STATEMENT_BASE + statement_key(*triple))
            s, p, o = triple
            terms, graph = self._terms, self.graph
            self.quads += [
                ox.Quad(node, terms["subject"], s, graph),
                ox.Quad(node, terms["predicate"], p, graph),
                ox.Quad(node, terms["object"], o, graph),
            ]
        return node

    def record(self, rule: Rule, conclusion, premises) -> None:
        statement = self._statement(conclusion)
        derivation = ox.NamedNode(DERIVATION_BASE + statement.value[len(STATEMENT_BASE):])
        terms, graph = self._terms, self.graph
        self.quads += [
            ox.Quad(derivation, terms["type"], terms["Derivation"], graph),
            ox.Quad(derivation, terms["derives"], statement, graph),
            ox.Quad(derivation, terms["byRule"], self._rules[rule.name], graph),
        ]
        for premise in premises:
            self.quads.append(ox.Quad(derivation, terms["premise"], self._statement(premise), graph))


def _solutions(store: ox.Store, rule: _Compiled, batches: list[tuple[ox.NamedNode, frozenset]], since: int | None):
    """The rule's solutions over the whole store (`since` None), or those that use at least one triple of the batches
    added since its last run: one query per premise that can match them, restricted to those batch graphs."""
    try:
        if since is None:
            yield from store.query(rule.select, use_default_graph_as_union=True)
            return
        new = batches[since:]
        for index, (head, tail) in enumerate(rule.incremental):
            predicate = rule.premise_predicate(index)
            for graph, predicates in new:
                if predicate is None or predicate in predicates:
                    yield from store.query(head + graph.value + tail, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise ReasoningError(f"rule {rule.rule.name}: {error}") from error


def materialise(store: ox.Store, rules: list[Rule], max_rounds: int = 50, on_round=None) -> InferenceReport:
    """Apply the rules until nothing new follows; new triples go to the inferred graph, their derivations beside it."""
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    compiled = [_compile(rule) for rule in rules]
    if next(store.quads_for_pattern(None, None, None, ox.NamedNode(str(DERIVATIONS_GRAPH))), None) is not None:
        raise ReasoningError("the store already holds derivations: materialise runs once, on asserted data")
    recorder = _Recorder(rules)
    report = InferenceReport(added={rule.name: 0 for rule in rules})
    batches: list[tuple[ox.NamedNode, frozenset]] = []  # the graph of each run's new triples, and their predicates
    last_run: dict[str, int] = {}  # per rule: how many batches existed when it last ran
    changed: set[str] | None = None  # predicates added by the last round; None: everything is new
    try:
        for round_number in range(1, max_rounds + 1):
            new_predicates: set[str] = set()
            new_in_round = 0
            for rule in compiled:
                if changed is not None and rule.predicates is not None and not (rule.predicates & changed):
                    continue
                since = last_run.get(rule.rule.name)
                last_run[rule.rule.name] = len(batches)
                fresh: dict = {}
                template, *premise_fillers = rule.fillers
                for row in _solutions(store, rule, batches, since):
                    conclusion = tuple(row[name] if name else constant for name, constant in template)
                    if conclusion in fresh or isinstance(conclusion[0], ox.Literal) or not isinstance(conclusion[1], ox.NamedNode):
                        continue
                    if next(store.quads_for_pattern(*conclusion, None), None) is not None:
                        continue
                    fresh[conclusion] = [tuple(row[name] if name else constant for name, constant in premise)
                                         for premise in premise_fillers]
                if fresh:
                    for conclusion, premises in fresh.items():
                        recorder.record(rule.rule, conclusion, premises)
                    batch = ox.NamedNode(f"{BATCH_BASE}{len(batches)}")
                    store.extend([ox.Quad(s, p, o, batch) for s, p, o in fresh])
                    added = frozenset(p.value for _, p, _ in fresh)
                    batches.append((batch, added))
                    report.added[rule.rule.name] += len(fresh)
                    new_in_round += len(fresh)
                    new_predicates |= added
            report.rounds = round_number
            if on_round:
                on_round(round_number, new_in_round)
            if not new_in_round:
                _settle(store, batches, inferred)
                store.extend(recorder.quads)
                return report
            changed = new_predicates
    except BaseException:
        _settle(store, batches, None)
        raise
    _settle(store, batches, None)
    raise ReasoningError(f"no fixpoint after {max_rounds} rounds")


def _settle(store: ox.Store, batches: list[tuple[ox.NamedNode, frozenset]], inferred: ox.NamedNode | None) -> None:
    """Move the batches' triples into the inferred graph (or, on failure, drop them) and remove the batch graphs."""
    for batch, _ in batches:
        if inferred is not None:
            store.update(f"ADD <{batch.value}> TO <{inferred.value}>")  # copied inside the engine, not through Python
        store.remove_graph(batch)
