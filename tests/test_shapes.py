"""Every SHACL constraint has a broken-data fixture that breaks it and nothing else.

The fixtures are tests/data/shapes/<shape name>.ttl: a few statements added to the tiny dataset
(tests/data/tiny/) that break exactly one shape, with the expected results in the header
(`# breaks: sh:minCount`, `# expect: FOCUS PATH`, `-` for a node-level result). All fixtures are validated
together, each as its own data file, with the project's validation entry point against the real ontology and
shapes; each file must then carry exactly its expected results (shape, severity, focus, path, message), and pySHACL's
own report the constraint component the header names. A new shape without a fixture fails the coverage test.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph

from r2pkg.config import Settings
from r2pkg.namespaces import RDF, SH, SHAPES_NS
from r2pkg.validation import load_shapes, validate
from tiny_project import ROOT, TINY_DATA, tiny_root

FIXTURES = Path(__file__).parent / "data" / "shapes"
CASES = sorted(path.stem for path in FIXTURES.glob("*.ttl"))

NOT_CONSTRAINTS = {SH.name, SH.description, SH.message, SH.severity, SH.property, SH.deactivated, SH.targetClass,
                   SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
"""Predicates of a node shape that describe or target it; any other sh: predicate is a constraint of its own."""


def header(case: str) -> tuple[str, list[tuple[str, str]]]:
    """The constraint a fixture breaks and the (focus, path) results it expects, from its comment header."""
    text = (FIXTURES / f"{case}.ttl").read_text(encoding="utf-8")
    [breaks] = re.findall(r"^# breaks: (\S+)$", text, re.MULTILINE)
    expect = [(focus, "" if path == "-" else path) for focus, path in re.findall(r"^# expect: (.+) (\S+)$", text, re.MULTILINE)]
    return breaks, expect


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(Settings(root=ROOT))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """One validation of the tiny dataset plus every fixture, each fixture in its own data file."""
    settings = tiny_root(tmp_path_factory.mktemp("shapes"))
    for case in CASES:
        shutil.copy(FIXTURES / f"{case}.ttl", settings.data_dir / "sources" / f"{case}.ttl")
    return validate(settings)


@pytest.fixture(scope="module")
def components(shapes) -> dict[str, set]:
    """(shape, constraint component) of every result, by the fixture that holds its focus node: pySHACL's own report,
    which the project's report does not carry, run over the same union of ontology, tiny data and fixtures."""
    union = Graph().parse(ROOT / "ontology" / "r2pkg.ttl")
    for path in sorted(TINY_DATA.rglob("*.ttl")):
        union.parse(path)
    owner = {}
    for case in CASES:
        graph = Graph().parse(FIXTURES / f"{case}.ttl")
        owner.update(dict.fromkeys(graph.subjects(), case))
        union += graph
    _, results, _ = shacl_validate(union, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True)
    found = defaultdict(set)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        found[owner.get(results.value(result, SH.focusNode))].add(
            (results.value(result, SH.sourceShape), results.value(result, SH.sourceConstraintComponent)))
    return found


def local(shape) -> str:
    return str(shape)[len(str(SHAPES_NS)):]


def test_the_tiny_dataset_conforms_without_any_result(tmp_path):
    report = validate(tiny_root(tmp_path))
    assert report.conforms, report.text()
    assert report.results == [] and report.undeclared == []


def test_every_constraint_has_a_fixture(shapes):
    """Each property shape, and each node shape with a constraint of its own (sh:or, sh:pattern, …), has exactly one fixture."""
    needed = {local(s) for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        own = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH)) and p not in NOT_CONSTRAINTS}
        if own:
            needed.add(local(shape))
    assert len(needed) > 90
    assert sorted(needed - set(CASES)) == [], "shapes without a broken-data fixture in tests/data/shapes/"
    assert sorted(set(CASES) - needed) == [], "fixtures for no shape (renamed or removed?)"


def test_fixtures_use_only_declared_terms(report):
    assert report.undeclared == []


def test_only_the_fixtures_break_anything(report):
    files = {f"data/sources/{case}.ttl" for case in CASES}
    assert [r for r in report.results if r.file not in files] == []


@pytest.mark.parametrize("case", CASES)
def test_fixture_breaks_exactly_its_shape(case, report, shapes, components):
    shape = SHAPES_NS[case]
    breaks, expect = header(case)
    assert expect, f"{case}.ttl names no expected result"
    constraint = SH[breaks.removeprefix("sh:")]
    assert shapes.value(shape, constraint) is not None, f"shape:{case} has no {breaks}"
    severity = str(shapes.value(shape, SH.severity)).rsplit("#", 1)[-1]
    message = str(shapes.value(shape, SH.message))
    found = sorted((r.shape, r.severity, r.focus, r.path, r.message)
                   for r in report.results if r.file == f"data/sources/{case}.ttl")
    assert found == sorted((f"shape:{case}", severity, focus, path, message) for focus, path in expect)
    component = SH[breaks[3].upper() + breaks[4:] + "ConstraintComponent"]  # sh:minCount: sh:MinCountConstraintComponent
    assert components[case] == {(shape, component)}


def test_the_tiny_data_breaks_no_constraint(components):
    assert components[None] == set()
