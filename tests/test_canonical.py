"""Canonical Turtle: the data files are canonical, and formatting a formatted file changes nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from r2pkg.canonical import canonical_turtle, format_file
from r2pkg.cli import main
from r2pkg.dataset import data_files

SPANS = "\n".join(
    f"<https://w3id.org/r2pkg/id/state/ghana> <https://w3id.org/r2pkg/ontology#attestedBy> "
    f'[ <http://www.w3.org/ns/oa#start> {n} ; <http://www.w3.org/ns/oa#end> {n + 5} ] .'
    for n in range(0, 240, 10)
)


def test_every_data_file_is_canonical(settings):
    assert [path.name for path in data_files(settings) if not format_file(path, check=True)] == []


def test_fmt_check_cli_passes_on_the_data():
    result = CliRunner().invoke(main, ["fmt", "--check"])
    assert result.exit_code == 0, result.output
    assert "0 would reformat" in result.output


@pytest.mark.parametrize("padding", [0, 3, 91])
def test_formatting_twice_changes_nothing_whatever_the_parse_order(tmp_path, padding):
    """Blank-node ids come from a parse counter; 9 sorting after 10 once made the order of spans change on every run."""
    path = tmp_path / "spans.ttl"
    path.write_text(SPANS, encoding="utf-8")
    filler = Graph()
    for _ in range(padding):  # shift the counter so the next parse hands out different ids
        filler.add((BNode(), URIRef("urn:p"), Literal(1)))
    assert not format_file(path)
    first = path.read_text(encoding="utf-8")
    assert format_file(path, check=True)
    assert path.read_text(encoding="utf-8") == first


def test_canonical_form_keeps_every_statement():
    graph = Graph().parse(data=SPANS, format="turtle")
    again = Graph().parse(data=canonical_turtle(graph), format="turtle")
    assert len(again) == len(graph) == 24 * 3
    assert isomorphic(graph, again)
