"""`r2pkg countries`: regenerate data/countries.ttl from hdx-python-country."""

from __future__ import annotations

import sys

import click

from . import main, reports_errors


@main.command("countries")
@click.option("--check", is_flag=True, help="Only report whether data/countries.ttl is up to date (exit 1 if not).")
@reports_errors
def countries_command(check: bool) -> None:
    """Write ISO 3166-1 codes and UN-language names of every state in data/ to data/countries.ttl."""
    from ..config import Settings
    from ..countries import countries_file, generate

    settings = Settings.from_env()
    path = countries_file(settings)
    up_to_date = generate(settings, check=check)
    if up_to_date:
        click.echo(f"{path} is up to date")
    elif check:
        click.echo(f"{path} is out of date: run `r2pkg countries`", err=True)
        sys.exit(1)
    else:
        click.echo(f"wrote {path}")
