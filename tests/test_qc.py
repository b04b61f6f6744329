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
