"""HermiT finds the ontology plus the asserted data consistent with every class satisfiable, and catches breakage."""

from __future__ import annotations

import pytest

from r2pkg.consistency import ConsistencyReport, check, check_graph
from r2pkg.namespaces import PREFIXES


@pytest.fixture(scope="module")
def report(settings) -> ConsistencyReport:
    return check(settings)


def test_real_data_is_consistent(report):
    assert report.consistent, report.text()
    assert report.triples > 3000


def test_every_class_is_satisfiable(report):
    assert report.unsatisfiable == []
    assert report.ok and report.text().startswith("consistent")


def test_individual_of_two_disjoint_classes_is_detected(settings, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        f"@prefix r2p: <{PREFIXES['r2p']}> .\n<{PREFIXES['state']}ghana> a r2p:Recommendation .\n", encoding="utf-8")
    result = check(settings, extra=[broken])
    assert not result.consistent and not result.ok
    ghana = PREFIXES["state"] + "ghana"
    assert (ghana, PREFIXES["r2p"] + "Actor", PREFIXES["r2p"] + "Recommendation") in result.culprits
    assert "INCONSISTENT" in result.text() and ghana in result.text()


def test_unsatisfiable_class_is_listed(settings):
    from r2pkg.dataset import parse_turtle

    graph = parse_turtle(settings.ontology_file)
    graph.parse(data=f"""
        @prefix r2p: <{PREFIXES['r2p']}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/StateTool> a owl:Class ; rdfs:subClassOf r2p:State, r2p:Tool .
    """, format="turtle")
    result = check_graph(graph)
    assert result.consistent
    assert result.unsatisfiable == ["https://example.org/StateTool"]
    assert "unsatisfiable class: https://example.org/StateTool" in result.text()


def _project_with(settings, tmp_path, extra: str):
    import shutil

    for part in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(settings.root / part, tmp_path / part)
    (tmp_path / "data" / "sources" / "zz-extra.ttl").write_text(extra, encoding="utf-8")
    return {"R2PKG_HOME": str(tmp_path)}


def test_cli_consistency_exit_1_names_the_culprit(settings, tmp_path):
    from click.testing import CliRunner

    from r2pkg.cli import main

    env = _project_with(settings, tmp_path, f"<{PREFIXES['state']}ghana> a <{PREFIXES['r2p']}Recommendation> .\n")
    result = CliRunner().invoke(main, ["consistency"], env=env)
    assert result.exit_code == 1, result.output
    assert "INCONSISTENT" in result.output and PREFIXES["state"] + "ghana" in result.output


def test_cli_consistency_exit_2_when_the_data_cannot_be_read(settings, tmp_path):
    from click.testing import CliRunner

    from r2pkg.cli import main

    env = _project_with(settings, tmp_path, "<a> <b> \"unterminated .\n")
    result = CliRunner().invoke(main, ["consistency"], env=env)
    assert result.exit_code == 2, result.output
    assert "zz-extra.ttl:1" in result.output
