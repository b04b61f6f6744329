"""OWL 2 DL consistency of the ontology plus the asserted data, checked by HermiT through owlready2.

The check confirms that no individual breaks an axiom (for example one typed as two disjoint classes) and that every
class can have instances. It reads only asserted statements: the build's inferences follow from them anyway.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL

from .config import Settings
from .dataset import data_files, parse_turtle
from .namespaces import SPARQL_PROLOGUE

DISJOINT_CULPRITS = SPARQL_PROLOGUE + """
SELECT DISTINCT ?individual ?a ?b WHERE {
  { ?a owl:disjointWith ?b } UNION
  { ?all a owl:AllDisjointClasses ; owl:members ?list . ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER (?a != ?b) }
  ?individual a/rdfs:subClassOf* ?a , ?b .
  FILTER (STR(?a) < STR(?b))
}
ORDER BY ?individual ?a ?b
"""
"""Individuals typed, through the class hierarchy, as two disjoint classes: the usual cause of an inconsistency."""


class ConsistencyError(Exception):
    """The reasoner could not run (no Java, a Java error, unreadable input)."""


@dataclass
class ConsistencyReport:
    """What HermiT found: consistency, unsatisfiable classes, and when inconsistent the likely culprits."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    culprits: list[tuple[str, str, str]] = field(default_factory=list)
    """(individual, class, class) for each individual typed as two disjoint classes."""
    triples: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def text(self) -> str:
        if self.ok:
            return f"consistent: {self.triples} triples, every class satisfiable ({self.seconds:.1f} s)"
        lines = []
        if not self.consistent:
            lines.append("INCONSISTENT: ontology plus data have no model")
            lines += [f"  {i} is typed as disjoint classes {a} and {b}" for i, a, b in self.culprits]
        for iri in self.unsatisfiable:
            lines.append(f"unsatisfiable class: {iri}")
        return "\n".join(lines)


def asserted_graph(settings: Settings, extra: Iterable[Path] = ()) -> Graph:
    """The ontology and every data file (plus `extra` Turtle files) in one graph."""
    graph = Graph()
    for path in [settings.ontology_file, *data_files(settings), *extra]:
        parse_turtle(path, into=graph)
    return graph


def _java() -> str:
    java = shutil.which("java") or ("/usr/bin/java" if Path("/usr/bin/java").exists() else None)
    if java is None:
        raise ConsistencyError("Java is needed for the HermiT reasoner: install a JRE (Debian: default-jre-headless)")
    return java


def _disjoint_culprits(ntriples: Path) -> list[tuple[str, str, str]]:
    store = ox.Store()
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
    return [(row["individual"].value, row["a"].value, row["b"].value) for row in store.query(DISJOINT_CULPRITS)]


def check_graph(graph: Graph) -> ConsistencyReport:
    """Run HermiT on one graph of ontology and data."""
    import owlready2

    owlready2.JAVA_EXE = _java()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="r2pkg-owl-") as tmp:
        path = Path(tmp) / "kg.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
            owlready2.sync_reasoner_hermit(ontology, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            culprits = _disjoint_culprits(path)
            return ConsistencyReport(False, culprits=culprits, triples=len(graph), seconds=time.monotonic() - started)
        except owlready2.OwlReadyJavaError as error:
            raise ConsistencyError(f"HermiT failed: {str(error).strip()[:2000]}") from error
        nothing = str(OWL.Nothing)
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if getattr(c, "iri", nothing) != nothing)
        world.close()
    return ConsistencyReport(True, unsatisfiable=unsatisfiable, triples=len(graph), seconds=time.monotonic() - started)


def check(settings: Settings | None = None, extra: Iterable[Path] = ()) -> ConsistencyReport:
    """Is the ontology plus the asserted data consistent, with every class satisfiable?"""
    return check_graph(asserted_graph(settings or Settings.from_env(), extra))
