"""`r2pkg countries`: regenerate data/countries.ttl from hdx-python-country."""

from __future__ import annotations

import click

from . import main, report_generated, reports_errors


@main.command("countries")
@click.option("--check", is_flag=True, help="Only report whether data/countries.ttl is up to date (exit 1 if not).")
@reports_errors
def countries_command(check: bool) -> None:
    """Write ISO 3166-1 codes and UN-language names of every state in data/ to data/countries.ttl."""
    from ..config import Settings
    from ..countries import countries_file, generate

    settings = Settings.from_env()
    path = countries_file(settings)
    report_generated(path, generate(settings, check=check), check, "r2pkg countries")
