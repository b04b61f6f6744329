"""Commands that keep the data files tidy."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..canonical import format_file
from ..config import Settings
from ..dataset import data_files
from . import main, reports_errors


@main.command("fmt")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1).")
@reports_errors
def fmt(files: tuple[Path, ...], check: bool) -> None:
    """Rewrite data files (default: all of data/) as canonical Turtle."""
    targets = list(files) or data_files(Settings.from_env())
    unformatted = []
    for path in targets:
        if not format_file(path, check=check):
            unformatted.append(path)
    verb = "would reformat" if check else "reformatted"
    for path in unformatted:
        click.echo(f"{verb} {path}")
    click.echo(f"{len(targets)} files, {len(unformatted)} {verb}")
    sys.exit(1 if check and unformatted else 0)
