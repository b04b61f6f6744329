"""Materialised inferences: kept apart from the asserted graphs, and the ones the queries rely on are there."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from r2pkg.config import DERIVATIONS_GRAPH, INFERRED_GRAPH
from r2pkg.reasoning import ReasoningError, Rule, load_rules, materialise

R2P = "https://w3id.org/r2pkg/ontology#"
ID = "https://w3id.org/r2pkg/id/"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
DERIVATIONS = ox.NamedNode(str(DERIVATIONS_GRAPH))


@pytest.fixture(scope="module")
def store(built_release):
    store = ox.Store()
    store.load(path=str(built_release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def inferred(store, s, p, o) -> bool:
    return next(store.quads_for_pattern(n(s), n(p), n(o), INFERRED), None) is not None


def test_inferred_triples_are_never_also_asserted(store):
    overlap = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } GRAPH ?g { ?s ?p ?o } FILTER (?g != <%s>) }"
        % (INFERRED_GRAPH, INFERRED_GRAPH)
    )
    assert int(next(iter(overlap))["n"].value) == 0


def test_the_rules_reached_a_fixpoint(store, settings):
    """Run again over everything but the derivations (which the rules never read), nothing new follows."""
    copy = ox.Store()
    copy.extend(q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != DERIVATIONS)
    assert materialise(copy, load_rules(settings)).total == 0


def test_materialise_refuses_a_store_that_already_holds_derivations(store, settings):
    with pytest.raises(ReasoningError, match="already holds derivations"):
        materialise(store, load_rules(settings))


def test_class_hierarchy(store):
    assert inferred(store, ID + "state/ghana", str(RDF_TYPE.value), R2P + "Actor")
    assert inferred(store, ID + "organisation/ohchr", str(RDF_TYPE.value), R2P + "UNEntity")


def test_inverse_properties(store):
    assert inferred(store, ID + "organisation/un-security-council", R2P + "produced", ID + "mechanism/unscr-1325")


def test_transitive_sub_organisation(store):
    assert inferred(store, ID + "organisation/ohchr", ORG + "transitiveSubOrganizationOf", ID + "organisation/united-nations")


def test_categories_cover_the_actors_of_their_class(store):
    assert inferred(store, ID + "category/states", R2P + "coversActor", ID + "state/ghana")
    assert inferred(store, ID + "state/ghana", R2P + "inCategory", ID + "category/states")


def test_statements_are_traced_to_documents(store):
    assert inferred(store, ID + "person/edward-luck", R2P + "statedIn", ID + "document/un-perspectives-2016")


def test_tenures_make_holders(store):
    assert inferred(store, ID + "post/un-special-adviser-r2p", ORG + "heldBy", ID + "person/edward-luck")
    assert inferred(store, ID + "person/edward-luck", ORG + "holds", ID + "post/un-special-adviser-r2p")


@pytest.mark.parametrize(
    ("category", "member"),
    [("category/states", "state/ghana"), ("category/civil-society", "organisation/global-centre-r2p")],
)
def test_recommendations_to_a_category_apply_to_its_members(store, category, member):
    rows = store.query(
        f"""SELECT ?rec WHERE {{ GRAPH ?g {{ ?rec <{R2P}addressedTo> <{ID}{category}> }}
             GRAPH <{INFERRED_GRAPH}> {{ ?rec <{R2P}appliesTo> <{ID}{member}> }} }}"""
    )
    direct = store.query(f"SELECT ?rec WHERE {{ GRAPH ?g {{ ?rec <{R2P}addressedTo> <{ID}{category}> }} }}")
    assert {r["rec"].value for r in rows} == {r["rec"].value for r in direct} != set()


def test_direct_addressees_are_applied_to(store):
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?rec <{R2P}addressedTo> ?x }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?rec <{R2P}appliesTo> ?x }} }} }}")
    assert int(next(iter(rows))["n"].value) == 0


def test_a_broken_rule_is_reported_by_name():
    with pytest.raises(ReasoningError, match="broken"):
        materialise(ox.Store(), [Rule("broken", "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }")])
