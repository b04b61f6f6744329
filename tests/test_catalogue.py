"""The query catalogue: headers, parameters, syntax of every query file."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from r2pkg.catalogue import CatalogueError, load_catalogue, parse_query_file, qc_queries, resolve, term_syntax


def test_catalogue_has_at_least_25_documented_questions(settings):
    catalogue = load_catalogue(settings)
    assert len(catalogue) >= 25
    for question in catalogue:
        assert question.title and question.question.endswith("?"), question.name
        assert question.columns, question.name


@pytest.mark.parametrize("path", sorted((__import__("pathlib").Path(__file__).parents[1] / "queries").rglob("*.rq")),
                         ids=lambda p: p.stem)
def test_every_query_file_is_valid_sparql(path):
    question = parse_query_file(path)
    result = ox.Store().query(question.bind())
    if isinstance(result, ox.QuerySolutions):
        declared = list(question.columns)
        assert [v.value for v in result.variables] == declared


def test_qc_queries_exist(settings):
    names = [p.stem for p in qc_queries(settings)]
    assert "recommendation-without-addressee-violation" in names
    assert all(name.endswith("-violation") for name in names)


def test_parameters_are_bound_as_terms(settings):
    question = resolve("applies-to-actor", settings)
    assert question.params == {"actor": "https://w3id.org/r2pkg/id/state/ghana", "include_interpreted": "false",
                               "max_specificity": "4"}
    assert "<https://w3id.org/r2pkg/id/state/ghana>" in question.bind()
    bound = question.bind({"actor": "https://w3id.org/r2pkg/id/state/denmark"})
    assert "<https://w3id.org/r2pkg/id/state/denmark>" in bound and "$actor" not in bound
    # defaults of the other parameters are bound as literals, not left as variables
    assert "$include_interpreted" not in bound and "$max_specificity" not in bound
    only_named = question.bind({"actor": "state:denmark", "include_interpreted": "true", "max_specificity": "1"})
    assert '"true"' in only_named and '"1"' in only_named
    with pytest.raises(CatalogueError, match="unknown parameter 'country'"):
        question.bind({"country": "x"})


def test_term_syntax_quotes_safely():
    assert term_syntax("https://w3id.org/r2pkg/id/state/ghana") == "<https://w3id.org/r2pkg/id/state/ghana>"
    assert term_syntax('Ghana" } DROP ALL {') == '"Ghana\\" } DROP ALL {"'
    assert term_syntax("http://x/> } <y") .startswith('"')


def test_unknown_query_name_lists_known_ones(settings):
    with pytest.raises(CatalogueError, match="no query named 'nope'; known: .*steering-group"):
        resolve("nope", settings)


def test_header_without_title_is_rejected(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# question: Why?\n# columns: x\nSELECT ?x {}\n")
    with pytest.raises(CatalogueError, match="header lacks title"):
        parse_query_file(bad)


def test_an_iri_parameter_takes_a_prefixed_name_and_refuses_a_plain_word(settings):
    question = resolve("applies-to-actor", settings)
    assert "<https://w3id.org/r2pkg/id/state/denmark>" in question.bind({"actor": "state:denmark"})
    with pytest.raises(CatalogueError, match="parameter 'actor' wants an IRI .* state:ghana, got 'ghana'"):
        question.bind({"actor": "ghana"})

