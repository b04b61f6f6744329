"""Materialise inferences: run the CONSTRUCT rules in ontology/rules/ to a fixpoint, into the inferred graph only.

The rules read the union of every graph (asserted, ontology, inferred so far) and write only triples that no graph
holds yet, so asserted and inferred statements never mix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .config import INFERRED_GRAPH, Settings


class ReasoningError(Exception):
    """A rule could not run (syntax error in a rule file) or the rules did not reach a fixpoint."""


@dataclass(frozen=True)
class Rule:
    name: str
    query: str


@dataclass
class InferenceReport:
    """How many triples each rule added and how many rounds the fixpoint took."""

    rounds: int = 0
    added: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values())


def load_rules(settings: Settings) -> list[Rule]:
    """Every rule file, by name."""
    return [Rule(path.stem, path.read_text(encoding="utf-8")) for path in sorted(Path(settings.rules_dir).glob("*.rq"))]


def materialise(store: ox.Store, rules: list[Rule], max_rounds: int = 50, on_round=None) -> InferenceReport:
    """Apply the rules until nothing new follows; new triples go to the inferred graph."""
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    report = InferenceReport(added={rule.name: 0 for rule in rules})
    for round_number in range(1, max_rounds + 1):
        new_in_round = 0
        for rule in rules:
            try:
                triples = list(store.query(rule.query, use_default_graph_as_union=True))
            except SyntaxError as error:
                raise ReasoningError(f"rule {rule.name}: {error}") from error
            fresh = {
                ox.Quad(t.subject, t.predicate, t.object, inferred)
                for t in triples
                if next(store.quads_for_pattern(t.subject, t.predicate, t.object, None), None) is None
            }
            if fresh:
                store.extend(fresh)
                report.added[rule.name] += len(fresh)
                new_in_round += len(fresh)
        report.rounds = round_number
        if on_round:
            on_round(round_number, new_in_round)
        if not new_in_round:
            return report
    raise ReasoningError(f"no fixpoint after {max_rounds} rounds")
