"""`r2pkg consistency`: the OWL 2 DL check of ontology plus data with HermiT (owlready2, needs Java)."""

from __future__ import annotations

import click

from . import main, reports_errors


@main.command("consistency")
@reports_errors
def consistency_command() -> None:
    """Check with HermiT that the ontology plus the asserted data are consistent and every class is satisfiable.

    Exits 0 when they are, 1 when not (the report names the culprits), 2 when the reasoner cannot run.
    """
    from ..config import Settings
    from ..consistency import check

    report = check(Settings.from_env())
    click.echo(report.text())
    raise SystemExit(0 if report.ok else 1)
