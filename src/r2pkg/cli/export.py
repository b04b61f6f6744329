"""`r2pkg export`: write the full dataset in one RDF format; `r2pkg export-context`: refresh the JSON-LD context."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..formats import DOWNLOADS
from . import main, report_generated, reports_errors


def _listing(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


@main.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(DOWNLOADS)), default="nq", show_default=True,
              help=f"{_listing([k for k, f in DOWNLOADS.items() if f.quads])} keep the named graphs; "
                   f"{_listing([k for k, f in DOWNLOADS.items() if not f.quads])} merge them into one graph.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--release", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A release folder to export instead of build/current.")
@reports_errors
def export_command(fmt: str, output: Path | None, release: Path | None) -> None:
    """Write the full dataset (asserted, ontology and inferred graphs) of the current build."""
    from ..config import Settings
    from ..export import export

    settings = Settings.from_env()
    if output is None:
        export(settings, fmt, sys.stdout.buffer, release)
        sys.stdout.buffer.flush()
    else:
        export(settings, fmt, output, release)
        size = f", {output.stat().st_size} bytes" if output.is_file() else ""
        click.echo(f"wrote {output} ({DOWNLOADS[fmt].label}{size})", err=True)


@main.command("export-context")
@click.option("--check", is_flag=True, help="Only report whether ontology/context.jsonld is up to date (exit 1 if not).")
@reports_errors
def export_context_command(check: bool) -> None:
    """Regenerate the JSON-LD context (ontology/context.jsonld) from the ontology's properties."""
    from ..config import Settings
    from ..export import context_file, write_context

    settings = Settings.from_env()
    report_generated(context_file(settings), write_context(settings, check=check), check, "r2pkg export-context")
