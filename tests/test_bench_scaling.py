"""The benchmark's scaled copies (bench.scaling): renamed blank nodes, the ontology kept once, exactly N× the instances.

The old scaling copied blank nodes under their own labels and the ontology into every copy, so a join over blank
nodes grew with the square of the copies; these tests pin the counts that make growth measurable.
"""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox
import pytest

from bench.scaling import write_release, write_scaled
from r2pkg.config import DERIVATIONS_GRAPH, ID_BASE, ONTOLOGY_GRAPH, Settings
from r2pkg.namespaces import DEFAULT_BASE, OA, R2P, RDFS

CORE = Settings().graph_iri("core")
GHANA = f"{ID_BASE}state/ghana"
SPAN = f"{ID_BASE}statement/s1"

SAMPLE = f"""\
<{R2P.State}> <{RDFS.label}> "State" <{ONTOLOGY_GRAPH}> .
<{R2P.State}> <{RDFS.subClassOf}> <{R2P.Actor}> <{ONTOLOGY_GRAPH}> .
<{GHANA}> <{RDFS.label}> "Ghana" <{CORE}> .
<{GHANA}> <{OA.hasSelector}> _:span <{CORE}> .
_:span <{RDFS.comment}> "see <{GHANA}>" <{CORE}> .
<{SPAN}> <{RDFS.seeAlso}> <https://www.un.org/> <{DERIVATIONS_GRAPH}> .
"""
"""Two vocabulary quads, four instance quads, one blank node, a literal that mentions an instance IRI."""

BLANK_JOIN = f"SELECT ?s ?c WHERE {{ ?s <{OA.hasSelector}> ?b . ?b <{RDFS.comment}> ?c }}"


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "dataset.nq"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def quads_of(path):
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_copies_rename_instances_graphs_and_blank_nodes_but_not_the_ontology(sample, tmp_path):
    scaled = write_scaled(sample, 3, tmp_path / "out" / "dataset.nq")
    quads = quads_of(scaled.path)
    assert (scaled.vocabulary_quads, scaled.instance_quads, scaled.quads) == (2, 4, 2 + 3 * 4)
    assert len(quads) == len(set(quads)) == 14
    by_graph = Counter(q.graph_name.value for q in quads)
    assert by_graph[str(ONTOLOGY_GRAPH)] == 2
    assert not any(g.endswith("/graph/ontology") and g != str(ONTOLOGY_GRAPH) for g in by_graph)
    assert {g for g in by_graph if "core" in g} == {str(CORE), f"{DEFAULT_BASE}copy1/graph/core",
                                                    f"{DEFAULT_BASE}copy2/graph/core"}
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    assert {GHANA, f"{DEFAULT_BASE}copy1/id/state/ghana", f"{DEFAULT_BASE}copy2/id/state/ghana"} <= subjects
    blanks = {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    assert len(blanks) == 3
    assert {q.object for q in quads if isinstance(q.object, ox.NamedNode) and "un.org" in q.object.value} == \
        {ox.NamedNode("https://www.un.org/")}  # IRIs outside the project are shared, not renamed
    assert sum(1 for q in quads if isinstance(q.object, ox.Literal) and q.object.value == f"see <{GHANA}>") == 3


def test_a_join_over_blank_nodes_grows_n_fold(sample, tmp_path):
    store = ox.Store()
    store.bulk_load(path=str(write_scaled(sample, 4, tmp_path / "x4.nq").path), format=ox.RdfFormat.N_QUADS)
    assert len(list(store.query(BLANK_JOIN, use_default_graph_as_union=True))) == 4


def test_one_copy_is_the_file_itself(sample, tmp_path):
    scaled = write_scaled(sample, 1, tmp_path / "x1.nq")
    assert scaled.path.read_bytes() == sample.read_bytes()
    assert scaled.quads == 6


def test_graphs_left_without_stay_in_the_first_copy_only(sample, tmp_path):
    scaled = write_scaled(sample, 3, tmp_path / "x3.nq", without=["derivations"])
    quads = quads_of(scaled.path)
    assert scaled.quads == len(quads) == 2 + 4 + 2 * 3
    assert [q.graph_name for q in quads if q.predicate == ox.NamedNode(str(RDFS.seeAlso))] == \
        [ox.NamedNode(str(DERIVATIONS_GRAPH))]


def test_the_build_scales_exactly(built_release, tmp_path):
    """On the real build: N× its instance quads, the ontology once, a release folder that `r2pkg serve` can open."""
    scaled = write_release(built_release, 2, tmp_path / "scaled")
    store = ox.Store()
    store.bulk_load(path=str(scaled.path), format=ox.RdfFormat.N_QUADS)
    original = ox.Store()
    original.bulk_load(path=str(built_release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    ontology = len(list(original.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH)))))
    assert ontology > 0
    assert len(store) == scaled.quads == ontology + 2 * (len(original) - ontology)
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))))) == ontology
    def blank_subjects(dataset):  # of the instance graphs: the ontology's own (OWL lists, restrictions) stay once
        return {q.subject for q in dataset if isinstance(q.subject, ox.BlankNode) and q.graph_name != ontology_graph}

    ontology_graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    assert len(blank_subjects(store)) == 2 * len(blank_subjects(original)) > 0
    manifest = json.loads((tmp_path / "scaled" / "current" / "manifest.json").read_text())
    assert manifest["quads"] == scaled.quads and manifest["scaled"]["copies"] == 2
