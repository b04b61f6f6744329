"""The Python API and `r2pkg query`: the same answers as rows, DataFrames, tables, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from r2pkg.catalogue import resolve
from r2pkg.cli import main

GHANA = "https://w3id.org/r2pkg/id/state/ghana"


@pytest.fixture
def cli_env(built_release, settings, monkeypatch):
    monkeypatch.setenv("R2PKG_BUILD_DIR", str(settings.output_dir))
    return CliRunner()


def test_rows_follow_the_catalogue_columns(kg, settings):
    result = kg.query("states")
    assert result.columns == list(resolve("states", settings).columns)
    ghana = [row for row in result if row["state"] == GHANA]
    assert len(ghana) == 1 and ghana[0]["en"] == "Ghana"


def test_parameters_change_the_answer(kg):
    ghana = {row["recommendation"] for row in kg.query("applies-to-actor")}
    assert ghana == {row["recommendation"] for row in kg.query("applies-to-actor", actor=GHANA)}
    un = {row["recommendation"] for row in kg.query("applies-to-actor", actor="https://w3id.org/r2pkg/id/organisation/united-nations")}
    assert ghana and un and ghana != un


def test_dataframe_has_the_same_rows(kg):
    frame = kg.dataframe("states")
    assert list(frame.columns) == kg.query("states").columns
    assert len(frame) == len(kg.query("states")) and GHANA in set(frame["state"])


def test_sparql_text_and_ask(kg):
    rows = kg.query("SELECT ?s WHERE { ?s a <https://w3id.org/r2pkg/ontology#State> } ORDER BY ?s LIMIT 1")
    assert rows.columns == ["s"] and len(rows) == 1
    assert kg.ask(f"ASK {{ <{GHANA}> a <https://w3id.org/r2pkg/ontology#State> }}")
    with pytest.raises(ValueError):
        kg.query("SELECT * WHERE { ?s ?p ?o }", actor="x")


def test_cli_csv_and_json(cli_env):
    as_csv = cli_env.invoke(main, ["query", "states", "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert any(row["state"] == GHANA and row["en"] == "Ghana" for row in rows)
    as_json = cli_env.invoke(main, ["query", "applies-to-actor", "-p", f"actor={GHANA}", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["columns"] == ["recommendation", "label", "basis", "specificity", "path", "via", "via_label",
                               "source"] and data["rows"]
    # stated only by default; the two network paths rank first (gnfp-2019-09 and -28, see test_queries)
    assert {row["basis"] for row in data["rows"]} == {"stated"}
    assert [row["specificity"] for row in data["rows"][:2]] == [2, 2]


def test_cli_table_and_list(cli_env):
    table = cli_env.invoke(main, ["query", "states"])
    assert table.exit_code == 0 and "Ghana" in table.stdout
    listing = cli_env.invoke(main, ["query", "--list"])
    assert listing.exit_code == 0 and "applies-to-actor\t" in listing.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-question"], "no-such-question"),
        (["query", "states", "-p", "novalue"], "name=value"),
        (["query", "SELECT ?x WHERE { ?x ?y }"], "syntax"),
        (["query"], "--list"),
    ],
)
def test_cli_errors_exit_2_with_a_message(cli_env, args, message):
    result = cli_env.invoke(main, args)
    assert result.exit_code == 2
    assert message.lower() in result.output.lower()


def test_values_are_plain_python():
    from datetime import date

    from rdflib import XSD, Literal

    from r2pkg.api import python_value

    assert python_value(Literal("2018", datatype=XSD.gYear)) == "2018"
    assert type(python_value(Literal("2019-05", datatype=XSD.gYearMonth))) is str
    assert python_value(Literal("2017-09-15", datatype=XSD.date)) == date(2017, 9, 15)
    assert python_value(Literal(3)) == 3


def test_cli_prefixed_parameter_gives_the_same_answer_and_a_plain_word_exits_2(cli_env):
    full = cli_env.invoke(main, ["query", "applies-to-actor", "-p", f"actor={GHANA}", "--format", "csv"])
    short = cli_env.invoke(main, ["query", "applies-to-actor", "-p", "actor=state:ghana", "--format", "csv"])
    assert full.exit_code == 0 and short.output == full.output and full.output.count("\n") > 5
    word = cli_env.invoke(main, ["query", "applies-to-actor", "-p", "actor=ghana"])
    assert word.exit_code == 2 and "wants an IRI" in word.output


def test_cli_runs_a_users_own_rq_file_without_a_header(cli_env, tmp_path):
    own = tmp_path / "mine.rq"
    own.write_text(f"SELECT ?code WHERE {{ <{GHANA}> <https://w3id.org/r2pkg/ontology#iso3166Alpha3> ?code }}\n",
                   encoding="utf-8")
    result = cli_env.invoke(main, ["query", str(own), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == ["code", "GHA"]


def test_cli_a_missing_or_unreadable_rq_file_exits_2_naming_it(cli_env, tmp_path):
    missing = cli_env.invoke(main, ["query", str(tmp_path / "nowhere.rq")])
    assert missing.exit_code == 2 and "no such query file" in missing.output and "nowhere.rq" in missing.output
    binary = tmp_path / "binary.rq"
    binary.write_bytes(b"\xff\xfe\x00")
    unreadable = cli_env.invoke(main, ["query", str(binary)])
    assert unreadable.exit_code == 2 and f"cannot read {binary}" in unreadable.output


def test_cli_ask_construct_and_describe(cli_env):
    state = "https://w3id.org/r2pkg/ontology#State"
    yes = cli_env.invoke(main, ["query", f"ASK {{ <{GHANA}> a <{state}> }}"])
    assert yes.exit_code == 0 and yes.output.strip() == "true"
    no = cli_env.invoke(main, ["query", f"ASK {{ <{GHANA}> a <{state}x> }}", "--format", "json"])
    assert no.exit_code == 0 and json.loads(no.output) == {"boolean": False}
    described = cli_env.invoke(main, ["query", f"DESCRIBE <{GHANA}>"])
    assert described.exit_code == 0 and "state:ghana a " in described.output
    from rdflib import Graph, RDF, URIRef

    assert (URIRef(GHANA), RDF.type, URIRef(state)) in Graph().parse(data=described.output, format="turtle")
    as_csv = cli_env.invoke(main, ["query", f"CONSTRUCT {{ <{GHANA}> a ?t }} WHERE {{ <{GHANA}> a ?t }}", "--format", "csv"])
    assert as_csv.exit_code == 2 and "CSV needs a SELECT query" in as_csv.output


def test_every_catalogue_question_is_a_method_with_keyword_parameters(kg, settings):
    import inspect
    import pydoc

    from r2pkg.api import python_name
    from r2pkg.catalogue import load_catalogue

    questions = load_catalogue(settings)
    assert len(kg.catalogue) == len(questions)
    listing = pydoc.render_doc(kg.catalogue, renderer=pydoc.plaintext)
    for question in questions:
        method = getattr(kg.catalogue, python_name(question.name))
        assert kg.catalogue[question.name] == method
        signature = inspect.signature(method)
        assert list(signature.parameters) == list(question.params)
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in signature.parameters.values())
        doc = pydoc.render_doc(method, renderer=pydoc.plaintext)
        assert question.title in doc and all(name in doc for name in question.params)
        assert python_name(question.name) in listing
        if not question.params:
            result = method()
            assert result.columns == list(question.columns)


def test_catalogue_method_takes_parameters_and_answers_as_query(kg):
    by_method = kg.catalogue.applies_to_actor(actor="state:nigeria")
    by_name = kg.query("applies-to-actor", actor="https://w3id.org/r2pkg/id/state/nigeria")
    assert by_method.rows == by_name.rows and by_method.rows
    with pytest.raises(Exception, match="unknown parameter"):
        kg.catalogue.states(actor="state:ghana")
    with pytest.raises(KeyError):
        kg.catalogue["no-such-question"]


def test_results_as_dicts_and_dataframe(kg):
    result = kg.catalogue.states()
    dicts = result.to_dicts()
    assert [list(row) for row in dicts] == [result.columns] * len(result)
    assert dicts == result.to_dataframe().astype(object).where(result.to_dataframe().notna(), None).to_dict("records")
    ghana = next(row for row in dicts if row["state"] == GHANA)
    assert ghana["alpha2"] == "GH" and isinstance(ghana["en"], str)


def test_cli_list_names_the_parameters(cli_env, settings):
    listing = cli_env.invoke(main, ["query", "--list"]).stdout.splitlines()
    rows = {line.split("\t")[0]: line.split("\t") for line in listing}
    assert rows["applies-to-actor"][2].split()[0] == "actor=state:ghana"
    assert all("<" not in row[2] for row in rows.values() if len(row) > 2), "literal defaults as they are"
    assert len(rows["states"]) == 2


def test_the_tutorial_runs(built_release, settings):
    """docs/tutorial.py walks through three questions of the sources; it checks its own answers."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "docs" / "tutorial.py"
    env = {**os.environ, "R2PKG_BUILD_DIR": str(settings.output_dir)}
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "recommendations apply to Ghana" in run.stdout
    assert "themes with the most recommendations" in run.stdout
    assert "addressed to the United Nations itself" in run.stdout
