"""data/countries.ttl: ISO 3166-1 codes and UN-language names of every state, from hdx-python-country's bundled data."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDFS, SKOS

from r2pkg.canonical import canonical_turtle
from r2pkg.countries import PACKAGE, CountryError, countries_file, countries_graph, lookup, states
from r2pkg.dataset import parse_turtle
from r2pkg.namespaces import PREFIXES, R2P

STATE = PREFIXES["state"]


@pytest.fixture(scope="module")
def generated(settings) -> Graph:
    return countries_graph(settings)


@pytest.fixture(scope="module")
def committed(settings) -> Graph:
    return parse_turtle(countries_file(settings))


def names(graph: Graph, state: str, predicate=RDFS.label) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for label in graph.objects(URIRef(STATE + state), predicate):
        found.setdefault(label.language, set()).add(str(label))
    return found


def codes(graph: Graph, state: str) -> tuple[str, str, str]:
    subject = URIRef(STATE + state)
    return tuple(str(graph.value(subject, p)) for p in (R2P.iso3166Alpha2, R2P.iso3166Alpha3, R2P.iso3166Numeric))


def test_ghana_codes_and_names(committed):
    assert codes(committed, "ghana") == ("GH", "GHA", "288")
    assert names(committed, "ghana") == {
        "fr": {"Ghana"}, "es": {"Ghana"}, "zh": {"加纳"}, "ar": {"غانا"}, "ru": {"Гана"},
    }
    assert names(committed, "ghana", SKOS.altLabel) == {"en": {"Republic of Ghana"}}


def test_states_whose_names_differ(committed):
    assert codes(committed, "syria") == ("SY", "SYR", "760")
    assert names(committed, "syria")["fr"] == {"République arabe syrienne"}
    assert names(committed, "syria")["ru"] == {"Сирийская Арабская Республика"}
    assert "Syrian Arab Republic" in names(committed, "syria", SKOS.altLabel)["en"]
    assert codes(committed, "the-gambia") == ("GM", "GMB", "270")
    assert names(committed, "the-gambia")["es"] == {"Gambia"}
    assert codes(committed, "myanmar") == ("MM", "MMR", "104")
    assert names(committed, "myanmar")["zh"] == {"缅甸"}


def test_numeric_codes_keep_leading_zeros(committed):
    assert codes(committed, "argentina") == ("AR", "ARG", "032")


def test_no_second_english_label_and_no_org_identifier(settings, committed):
    """States the sources name have their English label in data/core.ttl; only the others get theirs here."""
    named = set(states(settings))
    english = [s for s, label in committed.subject_objects(RDFS.label) if str(s).startswith(STATE) and label.language == "en"]
    assert english and not named & set(english)
    assert len(named) + len(english) == 195
    assert not list(committed.triples((None, ORG.identifier, None)))


def test_every_state_has_codes_and_six_languages(settings, committed):
    found = states(settings)
    assert len(found) >= 30
    for state in found:
        assert committed.value(state, R2P.iso3166Alpha2) is not None, state
        assert len(str(committed.value(state, R2P.iso3166Alpha3))) == 3, state
        assert len(str(committed.value(state, R2P.iso3166Numeric))) == 3, state
        assert {label.language for label in committed.objects(state, RDFS.label)} == {"ar", "es", "fr", "ru", "zh"}, state
        assert (state, DCTERMS.source, PACKAGE) in committed


def test_codes_are_unique(committed):
    for prop in (R2P.iso3166Alpha2, R2P.iso3166Alpha3, R2P.iso3166Numeric):
        values = [str(v) for v in committed.objects(None, prop)]
        assert len(values) == len(set(values)), prop


def test_package_is_described_as_software(committed):
    assert committed.value(PACKAGE, RDFS.label) == Literal("hdx-python-country", lang="en")
    assert (None, DCTERMS.source, PACKAGE) in committed


def test_file_is_up_to_date(settings, generated):
    assert countries_file(settings).read_text(encoding="utf-8") == canonical_turtle(generated)


def test_unknown_state_name_is_an_error():
    with pytest.raises(CountryError, match="Atlantis"):
        lookup("Atlantis")


def test_check_flag_reports_a_stale_file(tmp_path, monkeypatch):
    from r2pkg.cli import main

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "core.ttl").write_text(
        f"@prefix r2p: <{R2P._NS}> . @prefix rdfs: <{RDFS}> .\n"
        f"<{STATE}peru> a r2p:State ; rdfs:label \"Peru\"@en .\n", encoding="utf-8")
    monkeypatch.setenv("R2PKG_HOME", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(main, ["countries", "--check"]).exit_code == 1
    result = runner.invoke(main, ["countries"])
    assert result.exit_code == 0, result.output
    assert codes(parse_turtle(tmp_path / "data" / "countries.ttl"), "peru") == ("PE", "PER", "604")
    assert runner.invoke(main, ["countries", "--check"]).exit_code == 0
    (tmp_path / "data" / "core.ttl").write_text(
        f"@prefix r2p: <{R2P._NS}> . @prefix rdfs: <{RDFS}> .\n"
        f"<{STATE}atlantis> a r2p:State ; rdfs:label \"Atlantis\"@en .\n", encoding="utf-8")
    result = runner.invoke(main, ["countries"])
    assert result.exit_code == 2 and "Atlantis" in result.output
