"""`r2pkg query`: run a competency question or a .rq file and print the answer as a table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys

import click

from ..api import load
from ..catalogue import is_iri, prefixed
from ..namespaces import PREFIXES
from ..sparql_text import analyse_query
from . import CommandError, main, reports_errors


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--param wants name=value, got {pair!r}")
        params[name.strip()] = value.strip()
    return params


def _print_boolean(answer: bool, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"boolean": answer}))
    elif fmt == "csv":
        click.echo(f"boolean\n{str(answer).lower()}")
    else:
        click.echo(str(answer).lower())


@main.command()
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Fill a $parameter of the query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--endpoint", metavar="URL", help="Ask a SPARQL 1.1 endpoint instead of the embedded build.")
@click.option("--list", "list_only", is_flag=True,
              help="List the catalogue questions (name, title, parameters with defaults) instead of running a query.")
@reports_errors
def query(query: str | None, params: tuple[str, ...], fmt: str, endpoint: str | None, list_only: bool) -> None:
    """Run QUERY: a catalogue name (see queries/), a path to a .rq file, or SPARQL text (SELECT as rows; ASK prints
    true or false; CONSTRUCT and DESCRIBE print Turtle, or JSON-LD with --format json)."""
    graph = load(endpoint=endpoint)
    if list_only:
        # name, title, then the parameters with their defaults (--param NAME=VALUE; Python: keyword arguments)
        for question in graph.questions():
            params = " ".join(f"{name}={prefixed(default) if is_iri(default) else default}" for name, default in question.params.items())
            click.echo(f"{question.name}\t{question.title}" + (f"\t{params}" if params else ""))
        return
    if not query:
        raise CommandError("give a QUERY (a catalogue name, a .rq file or SPARQL text), or --list")
    form = analyse_query(query).form if not query.strip().endswith(".rq") else "SELECT"
    if form == "ASK" and not params:
        _print_boolean(graph.ask(query), fmt)
        return
    if form in ("CONSTRUCT", "DESCRIBE") and not params:
        if fmt == "csv":
            raise CommandError(f"CSV needs a SELECT query; a {form} answer prints as Turtle (table) or JSON-LD (json)")
        answer = graph.construct(query)
        for prefix, namespace in PREFIXES.items():
            answer.bind(prefix, namespace, override=True, replace=True)
        click.echo(answer.serialize(format="json-ld" if fmt == "json" else "turtle"), nl=False)
        return
    result = graph.query(query, **_parse_params(params))

    if fmt == "json":
        click.echo(json.dumps({"columns": result.columns, "rows": result.rows}, default=str, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        for row in result.tuples():
            writer.writerow(["" if value is None else value for value in row])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*result.columns, show_lines=False)
        for row in result.tuples():
            table.add_row(*("" if value is None else str(value) for value in row))
        Console().print(table)
        click.echo(f"{len(result)} rows", err=True)
