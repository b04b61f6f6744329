"""Validation: the real data conforms; deliberately broken data is caught with the right message; CLI exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace

from r2pkg.cli import main
from r2pkg.config import Settings
from r2pkg.dataset import LoadError, load_data
from r2pkg.namespaces import PREFIXES, RDF, SH
from r2pkg.validation import terms_in_text, validate

ROOT = Path(__file__).resolve().parents[1]
BROKEN = Path(__file__).parent / "data" / "broken"

# A small data set that conforms: a source document, a network and a meeting, each attested by a span.
BASELINE = """\
@prefix dct: <http://purl.org/dc/terms/> .
@prefix doc: <https://w3id.org/r2pkg/id/document/> .
@prefix event: <https://w3id.org/r2pkg/id/event/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix orgn: <https://w3id.org/r2pkg/id/organisation/> .
@prefix r2p: <https://w3id.org/r2pkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

doc:test-source a r2p:SourceDocument ;
    rdfs:label "Test source"@en ;
    dct:description "A source document made up for the validation tests."@en ;
    dct:publisher orgn:test-network ;
    dct:title "Test source"@en ;
    r2p:attestedBy [ a r2p:TextSpan ;
            oa:end 11 ;
            oa:start 0 ;
            r2p:inDocument doc:test-source ;
            r2p:spanSha256 "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9" ] ;
    r2p:contentSha256 "a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e" ;
    r2p:sourceFile "test-source.txt" .

event:test-meeting a r2p:Meeting ;
    rdfs:label "Test meeting"@en ;
    dct:description "A meeting made up for the validation tests."@en ;
    r2p:attestedBy [ a r2p:TextSpan ;
            oa:end 20 ;
            oa:start 12 ;
            r2p:inDocument doc:test-source ;
            r2p:spanSha256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" ] ;
    r2p:hostedBy orgn:test-network ;
    r2p:startDate "2019-05-13"^^xsd:date .

orgn:test-network a r2p:CivilSocietyNetwork ;
    rdfs:label "Test network"@en ;
    dct:description "A network made up for the validation tests."@en ;
    r2p:attestedBy [ a r2p:TextSpan ;
            oa:end 40 ;
            oa:start 20 ;
            r2p:inDocument doc:test-source ;
            r2p:spanSha256 "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" ] .
"""


def make_root(tmp_path: Path, broken: str | None = None) -> Settings:
    """A project root with the real ontology, shapes and queries, the baseline data and, optionally, one broken file."""
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "data" / "sources").mkdir(parents=True)
    (tmp_path / "data" / "core.ttl").write_text(BASELINE, encoding="utf-8")
    if broken:
        shutil.copy(BROKEN / broken, tmp_path / "data" / "sources" / "broken.ttl")
    return Settings(root=tmp_path, build_dir=tmp_path / "build")


def violations(report) -> set[tuple[str, str]]:
    return {(r.focus, r.path) for r in report.violations}


@pytest.fixture(scope="session")
def real_report(settings):
    return validate(settings)


def test_real_data_conforms(real_report):
    assert real_report.conforms, "the data does not conform:\n" + real_report.text()


def test_real_data_uses_only_declared_terms(real_report):
    assert real_report.undeclared == [], "\n".join(f"{u.file}:{u.line} {u.term}" for u in real_report.undeclared)


def test_build_passes_a_loaded_dataset(settings, real_report):
    """The build hands over the dataset it already loaded; the report is the same as when validate loads it."""
    report = validate(settings, load_data(settings))
    assert report.results == real_report.results
    assert report.undeclared == real_report.undeclared


def test_baseline_conforms_without_warnings(tmp_path):
    report = validate(make_root(tmp_path))
    assert report.conforms, report.text()
    assert report.results == []


def test_recommendation_without_addressee(tmp_path):
    report = validate(make_root(tmp_path, "no-addressee.ttl"))
    assert not report.conforms
    assert violations(report) == {("rec:test-01", "r2p:addressedTo|r2p:interpretedAddressee")}
    [result] = report.violations
    assert result.message.startswith("A recommendation needs at least one r2p:addressedTo (named by the source) or r2p:interpretedAddressee")
    assert result.label == "Train officials in early warning"
    assert result.file == "data/sources/broken.ttl"
    # A missing theme is a gap, not an error.
    assert [(w.focus, w.path) for w in report.warnings] == [("rec:test-01", "r2p:hasTheme|r2p:interpretedTheme")]
    text = report.text()
    assert "data/sources/broken.ttl" in text
    assert "rec:test-01 (Train officials in early warning)" in text
    assert "r2p:addressedTo|r2p:interpretedAddressee: A recommendation needs at least one r2p:addressedTo" in text


def test_date_that_is_not_a_date(tmp_path):
    report = validate(make_root(tmp_path, "bad-date.ttl"))
    assert not report.conforms
    assert violations(report) == {("event:test-dialogue", "r2p:startDate"), ("event:test-workshop", "r2p:startDate")}
    for result in report.violations:
        assert result.message == 'r2p:startDate must be one xsd:date ("YYYY-MM-DD"^^xsd:date).'
        assert result.file == "data/sources/broken.ttl"
    values = {r.focus: r.value for r in report.violations}
    assert values["event:test-workshop"] == '"13 May 2019"'
    assert "2019-02-30" in values["event:test-dialogue"]


def test_undeclared_term(tmp_path):
    report = validate(make_root(tmp_path, "undeclared-term.ttl"))
    assert report.violations == []
    assert not report.conforms
    assert [(u.file, u.line, u.term) for u in report.undeclared] == [("data/sources/broken.ttl", 16, "r2p:adressedTo")]
    assert "data/sources/broken.ttl:16  r2p:adressedTo" in report.text()


def test_undeclared_term_in_a_query_but_not_in_its_comments(tmp_path):
    settings = make_root(tmp_path)
    (settings.queries_dir / "qc" / "extra-violation.rq").write_text(
        "# title: uses r2p:notInTheComment\n"
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#>\n"
        'SELECT ?x WHERE { ?x r2p:addressedTo ?y ; <https://w3id.org/r2pkg/ontology#nosuchThing> "r2p:inAString" .\n'
        "  ?y a r2p:NoSuchClass }\n",
        encoding="utf-8",
    )
    report = validate(settings)
    assert [(u.file, u.line, u.term) for u in report.undeclared] == [
        ("queries/qc/extra-violation.rq", 3, "r2p:nosuchThing"),
        ("queries/qc/extra-violation.rq", 4, "r2p:NoSuchClass"),
    ]


def test_undeclared_term_in_shapes(tmp_path):
    settings = make_root(tmp_path)
    (settings.shapes_dir / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix r2p: <https://w3id.org/r2pkg/ontology#> .\n"
        "<https://w3id.org/r2pkg/shapes#Extra> a sh:NodeShape ;\n"
        "    sh:targetClass r2p:Recomendation .\n",
        encoding="utf-8",
    )
    report = validate(settings)
    assert [(u.file, u.line, u.term) for u in report.undeclared] == [("shapes/extra.ttl", 4, "r2p:Recomendation")]


def test_terms_in_text_follows_prefixes():
    text = "@prefix o: <https://w3id.org/r2pkg/ontology#> .\n# o:Commented\n<x> o:partOf <y> ; a o:Event .\n"
    assert terms_in_text(text) == {
        "https://w3id.org/r2pkg/ontology#partOf": 3,
        "https://w3id.org/r2pkg/ontology#Event": 3,
    }


def test_syntax_error_names_file_and_line_and_loads_nothing(tmp_path):
    settings = make_root(tmp_path, "syntax-error.ttl")
    with pytest.raises(LoadError, match=r"data/sources/broken\.ttl:14: cannot parse Turtle"):
        validate(settings)
    with pytest.raises(LoadError):
        load_data(settings)


def test_span_errors_name_what_the_span_attests(tmp_path):
    settings = make_root(tmp_path)
    core = settings.data_dir / "core.ttl"
    core.write_text(core.read_text(encoding="utf-8").replace("oa:start 12", "oa:start 25"), encoding="utf-8")
    report = validate(settings)
    assert [(r.focus, r.path, r.message) for r in report.violations] == [
        ("[span of event:test-meeting]", "oa:start", "oa:start must be less than oa:end.")
    ]
    assert report.violations[0].label == "span attesting Test meeting"
    assert report.violations[0].file == "data/core.ttl"


def test_link_to_the_wrong_kind_of_thing(tmp_path):
    settings = make_root(tmp_path)
    core = settings.data_dir / "core.ttl"
    core.write_text(core.read_text(encoding="utf-8").replace(
        "r2p:hostedBy orgn:test-network", "r2p:hostedBy doc:test-source ;\n    r2p:hasTheme orgn:test-network"), encoding="utf-8")
    report = validate(settings)
    assert sorted((r.focus, r.path, r.value, r.message) for r in report.violations) == [
        ("event:test-meeting", "r2p:hasTheme", "orgn:test-network (Test network)", "r2p:hasTheme must point to an r2p:Theme."),
        ("event:test-meeting", "r2p:hostedBy", "doc:test-source (Test source)", "r2p:hostedBy must point to an r2p:Actor."),
    ]


def test_misspelt_iri_has_no_type(tmp_path):
    settings = make_root(tmp_path)
    (settings.data_dir / "sources" / "typo.ttl").write_text(
        "@prefix orgn: <https://w3id.org/r2pkg/id/organisation/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'orgn:test-netwrok skos:altLabel "TN"@en .\n', encoding="utf-8")
    report = validate(settings)
    assert [(r.focus, r.path, r.file) for r in report.violations] == [("orgn:test-netwrok", "rdf:type", "data/sources/typo.ttl")]
    assert report.violations[0].message.startswith("Has no rdf:type: check the IRI for a typo")


# --- the command ----------------------------------------------------------------------------------------------------


def run(settings: Settings, *args: str):
    return CliRunner().invoke(main, ["validate", *args], env={"R2PKG_HOME": str(settings.root)})


def test_cli_exit_0_when_the_data_conforms(tmp_path):
    result = run(make_root(tmp_path))
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output and "the data conforms" in result.output


def test_cli_exit_1_on_violations(tmp_path):
    result = run(make_root(tmp_path, "no-addressee.ttl"))
    assert result.exit_code == 1
    assert "VIOLATION rec:test-01 (Train officials in early warning)" in result.output
    assert "WARNING   rec:test-01" in result.output


def test_cli_exit_1_on_undeclared_terms_only(tmp_path):
    result = run(make_root(tmp_path, "undeclared-term.ttl"))
    assert result.exit_code == 1
    assert "r2p:adressedTo" in result.output


def test_cli_json(tmp_path):
    result = run(make_root(tmp_path, "bad-date.ttl"), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    assert report["counts"]["Violation"] == 2
    assert {r["focus"] for r in report["results"]} == {"event:test-dialogue", "event:test-workshop"}
    assert {r["file"] for r in report["results"]} == {"data/sources/broken.ttl"}


@pytest.mark.parametrize(("fmt", "rdf_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_cli_prints_the_shacl_report_graph(tmp_path, fmt, rdf_format):
    """--format ttl (nt, jsonld) prints pySHACL's own report: a sh:ValidationReport that does not conform, with one
    violation per event whose date is not a date, naming it as focus node."""
    result = run(make_root(tmp_path, "bad-date.ttl"), "--format", fmt)
    assert result.exit_code == 1, result.output
    graph = Graph().parse(data=result.stdout, format=rdf_format)
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    violations = [r for r in graph.objects(report, SH.result) if graph.value(r, SH.resultSeverity) == SH.Violation]
    event = Namespace(PREFIXES["event"])
    assert sorted(graph.value(r, SH.focusNode) for r in violations) == [event["test-dialogue"], event["test-workshop"]]
    assert {graph.value(r, SH.resultPath) for r in violations} == {Namespace(PREFIXES["r2p"])["startDate"]}


def test_the_report_graph_of_conforming_data_conforms(tmp_path):
    report = validate(make_root(tmp_path))
    [node] = report.graph.subjects(RDF.type, SH.ValidationReport)
    assert report.graph.value(node, SH.conforms) == Literal(True)
    assert list(report.graph.objects(node, SH.result)) == []


def test_build_of_data_with_violations_exits_1_with_the_report(tmp_path):
    settings = make_root(tmp_path, "no-addressee.ttl")
    result = CliRunner().invoke(main, ["build", "--quiet"],
                                env={"R2PKG_HOME": str(settings.root), "R2PKG_BUILD_DIR": str(settings.output_dir)})
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "VIOLATION rec:test-01 (Train officials in early warning)" in result.stderr
    assert result.stderr.endswith("Error: the data does not conform to the shapes; nothing was released\n")
    assert not (settings.output_dir / "current").exists()


def test_cli_exit_2_on_syntax_error(tmp_path):
    result = run(make_root(tmp_path, "syntax-error.ttl"))
    assert result.exit_code == 2
    assert "broken.ttl:14" in result.output
    assert "Validation:" not in result.output


def test_cli_data_dir(tmp_path):
    settings = make_root(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "core.ttl").write_text(BASELINE, encoding="utf-8")
    shutil.copy(BROKEN / "no-addressee.ttl", other / "broken.ttl")
    result = run(settings, "--data-dir", str(other))
    assert result.exit_code == 1
    assert "other/broken.ttl" in result.output
    missing = run(settings, "--data-dir", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert "no such data folder" in missing.output


# --- the shapes themselves ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes(settings):
    from r2pkg.validation import load_shapes

    return load_shapes(settings)


def test_every_shape_is_documented(shapes):
    from r2pkg.namespaces import SH

    own_constraints = (SH["or"], SH.pattern, SH.nodeKind, SH["class"])
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(node_shapes) >= 20 and len(property_shapes) >= 60
    undocumented = []
    for shape in node_shapes | property_shapes:
        needed = [SH.name, SH.description]
        if shape in property_shapes or any(shapes.value(shape, c) is not None for c in own_constraints):
            needed += [SH.message, SH.severity]
        undocumented += [(str(shape), str(p)) for p in needed if shapes.value(shape, p) is None]
    assert undocumented == []


def test_property_shapes_are_defined_and_used(shapes):
    from r2pkg.namespaces import SH

    referenced = set(shapes.objects(None, SH.property))
    defined = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert referenced == defined
    assert all(shapes.value(p, SH.path) is not None for p in defined)


def test_severities_are_used_on_purpose(shapes):
    from r2pkg.namespaces import SH

    used = set(shapes.objects(None, SH.severity))
    assert used == {SH.Violation, SH.Warning, SH.Info}


def test_cli_reports_a_bad_literal_without_a_traceback(tmp_path, caplog):
    result = run(make_root(tmp_path, "bad-date.ttl"))
    assert result.exit_code == 1
    assert '"13 May 2019"' in result.output
    assert "Traceback" not in result.output
    assert [record.getMessage() for record in caplog.records if record.exc_info] == []


def test_syntax_error_message_shows_the_line_and_where_it_breaks(tmp_path):
    with pytest.raises(LoadError) as failure:
        validate(make_root(tmp_path, "syntax-error.ttl"))
    message = str(failure.value)
    assert "b'" not in message and "\\n" not in message
    first, shown, caret = message.splitlines()
    assert first.endswith("broken.ttl:14: cannot parse Turtle: expected '.' or '}' or ']' at end of statement")
    assert shown.strip().startswith('dct:description "A made-up organisation')
    assert caret.strip() == "^" and len(caret) - 1 <= len(shown)
