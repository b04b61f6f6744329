"""Quality control: every queries/qc/*-violation.rq returns no rows on the built graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from r2pkg.catalogue import qc_queries

QC = qc_queries()


@pytest.mark.parametrize("path", QC, ids=[p.stem for p in QC])
def test_quality_control_query_finds_nothing(kg, path: Path):
    rows = kg.query(str(path)).rows
    assert rows == [], f"{path.name} found {len(rows)} problem(s): {rows[:10]}"


def test_a_qc_query_does_catch_a_problem(tmp_path, settings):
    """The recommendation-without-addressee check is not vacuous: it reports a recommendation that has none."""
    import pyoxigraph as ox

    from r2pkg.api import KnowledgeGraph
    from r2pkg.store import EmbeddedBackend

    store = ox.Store()
    rec = ox.NamedNode("https://w3id.org/r2pkg/id/recommendation/zz-01")
    graph = ox.NamedNode("https://w3id.org/r2pkg/graph/zz")
    store.add(ox.Quad(rec, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode("https://w3id.org/r2pkg/ontology#Recommendation"), graph))
    path = settings.queries_dir / "qc" / "recommendation-without-addressee-violation.rq"
    rows = KnowledgeGraph(EmbeddedBackend(store), settings).query(str(path)).rows
    assert [row for row in rows if rec.value in row.values()]



def _kg_of(settings, turtle: str, inferred: str = "", derivations: str = ""):
    """A graph of a few statements (the ontology beside them), as the QC queries see a build."""
    import pyoxigraph as ox

    from r2pkg.api import KnowledgeGraph
    from r2pkg.namespaces import PREFIXES
    from r2pkg.store import EmbeddedBackend

    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    store = ox.Store()
    for name, text in (("zz", turtle), ("inferred", inferred), ("derivations", derivations)):
        if text:
            store.load((prefixes + text).encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(PREFIXES["graph"] + name))
    store.load(settings.ontology_file.read_bytes(), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(PREFIXES["graph"] + "ontology"))
    return KnowledgeGraph(EmbeddedBackend(store), settings)


def _found(settings, query: str, turtle: str, **graphs) -> list[dict]:
    return _kg_of(settings, turtle, **graphs).query(str(settings.queries_dir / "qc" / f"{query}-violation.rq")).rows


def test_qc_catches_a_secretariat_counted_as_member(settings):
    rows = _found(settings, "non-member-role-as-membership", """
        mship:a a org:Membership ; org:member orgn:centre ; org:organization orgn:net ; org:role role:secretariat .
        orgn:centre org:memberOf orgn:net .""")
    assert [(r["member"], r["organisation"]) for r in rows] == [(PREFIX_ORGN + "centre", PREFIX_ORGN + "net")]


def test_qc_catches_a_category_covering_what_it_excludes(settings):
    rows = _found(settings, "category-covers-excluded-actor", """
        cat:c r2p:excludesClass r2p:UNEntity ; r2p:coversActor orgn:office . orgn:office a r2p:UNEntity .
        cat:m r2p:coversMembersOf orgn:un ; r2p:coversActor state:observer .""")
    assert {(r["category"].rsplit("/", 1)[1], r["actor"].rsplit("/", 1)[1]) for r in rows} == {("c", "office"), ("m", "observer")}


def test_qc_catches_interpretations_without_rationale_or_without_value(settings):
    rows = _found(settings, "interpretation-without-rationale", """
        rec:a r2p:interpretedAddressee orgn:eu .
        rec:b r2p:hasInterpretation [ a r2p:PillarInterpretation ; r2p:interpretedAs pillar:pillar-1 ;
            r2p:rationale "why"@en ] .""")
    assert {(r["recommendation"].rsplit("/", 1)[1], r["problem"]) for r in rows} == {
        ("a", "no interpretation with rationale and span"),
        ("b", "interpretation of a value the recommendation does not carry"),
    }


def test_qc_catches_a_value_both_stated_and_interpreted(settings):
    rows = _found(settings, "stated-and-interpreted-alike", "rec:a r2p:addressedTo orgn:eu ; r2p:interpretedAddressee orgn:eu .")
    assert [r["value"] for r in rows] == [PREFIX_ORGN + "eu"]


def test_qc_catches_an_inferred_statement_without_derivation(settings):
    rows = _found(settings, "inferred-without-derivation", "rec:a a r2p:Recommendation .",
                  inferred="rec:a r2p:appliesTo state:x . rec:b r2p:appliesTo state:y .",
                  derivations="""drv:1 r2p:derives stmt:1 ; r2p:byRule rule:r .
                                 stmt:1 rdf:subject rec:b ; rdf:predicate r2p:appliesTo ; rdf:object state:y .""")
    assert [(r["subject"].rsplit("/", 1)[1], r["object"].rsplit("/", 1)[1]) for r in rows] == [("a", "x")]


PREFIX_ORGN = "https://w3id.org/r2pkg/id/organisation/"
