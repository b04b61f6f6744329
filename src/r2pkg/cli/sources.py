"""Commands about the source texts: locate a phrase's span, verify every locator in the data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..config import Settings
from . import CommandError, main, reports_errors


@main.command("verify-sources")
@click.argument("seeds", type=click.Path(path_type=Path), required=False)
@reports_errors
def verify_sources(seeds: Path | None) -> None:
    """Check every locator in data/ against the source texts in SEEDS (default: ../shared/seeds)."""
    from ..dataset import load_data
    from ..sources import verify

    settings = Settings.from_env()
    seeds = seeds or settings.seeds_dir
    if not seeds.is_dir():
        raise CommandError(f"no such folder of source texts: {seeds}")
    if not os.access(seeds, os.R_OK | os.X_OK):
        raise CommandError(f"cannot read the folder of source texts {seeds}: permission denied")
    dataset = load_data(settings)
    report = verify(dataset, seeds)
    if report.expected and not report.found:
        raise CommandError(
            f"none of the {len(report.expected)} source texts the data cites ({', '.join(report.expected)}) "
            f"can be read in {seeds}; is it the folder of source texts?"
        )
    for miss in report.misses:
        click.echo(f"MISS {miss}", err=True)
    click.echo(f"{report.checked} locators checked, {len(report.misses)} missed")
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("source")
@click.argument("phrase")
@click.option("--occurrence", "-n", default=1, show_default=True, help="Which occurrence of PHRASE to take.")
@reports_errors
def locate(source: str, phrase: str, occurrence: int) -> None:
    """Print the Turtle span of PHRASE in SOURCE (a file in the seeds folder, or a path)."""
    from ..sources import locate as find, read_source

    settings = Settings.from_env()
    path = Path(source)
    if not path.is_file():
        path = settings.seeds_dir / source
    if not path.is_file():
        raise CommandError(f"no such source text: {source}")
    span = find(read_source(path), phrase, occurrence)
    click.echo(span.turtle("doc:SLUG"))
