"""`r2pkg validate`: SHACL shapes and the undeclared-term check."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import CommandError, main, reports_errors

REPORT_GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
"""--format values that print pySHACL's report graph, and the rdflib serialiser of each."""


@main.command("validate")
@click.option("--data-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Validate the Turtle files under DIR instead of data/.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", *REPORT_GRAPH_FORMATS]), default="text",
              show_default=True,
              help="A report for people, JSON for programs, or the SHACL report graph (ttl, nt, jsonld; it does not "
                   "cover undeclared terms, which the exit code still counts).")
@reports_errors
def validate_command(data_dir: Path | None, fmt: str) -> None:
    """Validate the data against the shapes and the ontology.

    Exits 0 when the data conforms (warnings may be shown), 1 on violations or undeclared terms, 2 when it cannot run.
    """
    from ..config import Settings
    from ..validation import validate

    settings = Settings.from_env()
    if data_dir is not None and not data_dir.is_dir():
        raise CommandError(f"no such data folder: {data_dir}")
    try:
        report = validate(settings, data_dir=data_dir)
    except OSError as error:
        raise CommandError(str(error)) from error
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif fmt in REPORT_GRAPH_FORMATS:
        click.echo(report.graph.serialize(format=REPORT_GRAPH_FORMATS[fmt]), nl=False)
    else:
        click.echo(report.text(), nl=False)
    raise SystemExit(0 if report.conforms else 1)
