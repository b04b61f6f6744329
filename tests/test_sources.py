"""Locators: finding spans in the source texts, and verify-sources catching every kind of bad locator."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef

from r2pkg.cli import main
from r2pkg.dataset import load_data
from r2pkg.namespaces import OA, R2P, RDF, RDFS
from r2pkg.sources import locate, normalise, read_source, sha256_hex, verify

SEED = "000_0d30753e7e577810.txt"


def test_locate_finds_the_exact_span(settings):
    text = read_source(settings.seeds_dir / SEED)
    span = locate(text, "Ivan Šimonović")
    assert text[span.start:span.end] == "Ivan Šimonović"
    assert (span.start, span.end) == (596, 610)
    assert span.sha256 == sha256_hex("Ivan Šimonović")


def test_locate_tolerates_line_breaks_and_counts_occurrences():
    text = "the Global\nCentre met; later the Global Centre spoke"
    first, second = locate(text, "Global Centre"), locate(text, "Global Centre", occurrence=2)
    assert text[first.start:first.end] == "Global\nCentre"
    assert second.start > first.end
    with pytest.raises(LookupError):
        locate(text, "Global Centre", occurrence=3)


def test_normalise_folds_case_accents_and_markup():
    assert normalise("**Šimonović**") == "simonovic"
    assert normalise("Co-operation  in\nEurope") == "co operation in europe"


def test_every_locator_in_the_data_checks_out(settings):
    report = verify(load_data(settings), settings.seeds_dir)
    assert report.checked > 500
    assert [str(m) for m in report.misses] == []


def _one_entity(settings, start, end, digest, label="Ivan Šimonović"):
    graph = Graph()
    doc, person, span = URIRef("https://w3id.org/r2pkg/id/document/t"), URIRef("https://w3id.org/r2pkg/id/person/t"), BNode()
    graph.add((doc, R2P.sourceFile, Literal(SEED)))
    graph.add((person, RDF.type, R2P.Person))
    graph.add((person, RDFS.label, Literal(label, lang="en")))
    graph.add((person, R2P.attestedBy, span))
    graph.add((span, R2P.inDocument, doc))
    graph.add((span, OA.start, Literal(start)))
    graph.add((span, OA.end, Literal(end)))
    graph.add((span, R2P.spanSha256, Literal(digest)))
    return graph


def test_verify_accepts_a_good_span(settings):
    report = verify(_one_entity(settings, 596, 610, sha256_hex("Ivan Šimonović")), settings.seeds_dir)
    assert report.ok and report.checked == 1


@pytest.mark.parametrize(
    ("start", "end", "digest", "label", "reason"),
    [
        (596, 610, "0" * 64, "Ivan Šimonović", "does not match the span's SHA-256"),
        (596, 99999, "0" * 64, "Ivan Šimonović", "offsets outside the text"),
        (0, 14, None, "Ivan Šimonović", "does not contain the resource's label"),
    ],
)
def test_verify_reports_each_kind_of_miss(settings, start, end, digest, label, reason):
    text = read_source(settings.seeds_dir / SEED)
    digest = digest or sha256_hex(text[start:end])
    report = verify(_one_entity(settings, start, end, digest, label), settings.seeds_dir)
    assert len(report.misses) == 1
    assert reason in report.misses[0].reason
    assert SEED in str(report.misses[0])


def test_verify_reports_a_missing_or_changed_source(settings, tmp_path):
    graph = _one_entity(settings, 596, 610, sha256_hex("Ivan Šimonović"))
    assert "is not in" in verify(graph, tmp_path).misses[0].reason
    shutil.copy(settings.seeds_dir / SEED, tmp_path / SEED)
    graph.add((URIRef("https://w3id.org/r2pkg/id/document/t"), R2P.contentSha256, Literal("f" * 64)))
    assert "differs from the version" in verify(graph, tmp_path).misses[0].reason


def test_cli_verify_sources_and_locate(settings):
    runner = CliRunner()
    result = runner.invoke(main, ["verify-sources", str(settings.seeds_dir)])
    assert result.exit_code == 0, result.output
    assert "0 missed" in result.output
    missing = runner.invoke(main, ["verify-sources", "/nonexistent/seeds"])
    assert missing.exit_code == 2 and "no such folder" in missing.output
    located = runner.invoke(main, ["locate", SEED, "Ivan Šimonović"])
    assert located.exit_code == 0 and "oa:start 596 ; oa:end 610" in located.output
    absent = runner.invoke(main, ["locate", SEED, "no such phrase anywhere"])
    assert absent.exit_code == 2 and "not found" in absent.output


def test_cli_verify_sources_refuses_a_folder_without_the_texts(tmp_path):
    result = CliRunner().invoke(main, ["verify-sources", str(tmp_path)])
    assert result.exit_code == 2
    assert "none of the 5 source texts" in result.output and "MISS" not in result.output


def test_a_source_that_cannot_be_read_is_a_miss_not_a_crash(settings, tmp_path):
    for path in settings.seeds_dir.iterdir():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / SEED).write_bytes(b"\xff\xfe not UTF-8 \xc3")
    result = CliRunner().invoke(main, ["verify-sources", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert f"cannot read {SEED}" in result.output
    assert "0 missed" not in result.output
