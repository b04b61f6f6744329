"""`r2pkg build`: parse, validate, reason and release the dataset."""

from __future__ import annotations

import click

from . import CommandError, main, reports_errors


@main.command("build")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only the summary.")
@reports_errors
def build_command(quiet: bool) -> None:
    """Build a new release of the graph (build/current); a failed build keeps the previous one."""
    from ..build import build, read_manifest
    from ..config import Settings

    settings = Settings.from_env()
    try:
        release = build(settings, progress=not quiet)
    except OSError as error:
        where = error.filename or settings.output_dir
        raise CommandError(f"cannot build: {where}: {error.strerror or error}") from error
    manifest = read_manifest(release)
    click.echo(f"Release {release.name}: {manifest['quads']} quads in {len(manifest['graphs'])} graphs")
    for graph, count in manifest["graphs"].items():
        click.echo(f"  {count:>7}  {graph}")
    click.echo(f"Inferred in {manifest['inferred']['rounds']} rounds; dataset at {release / 'dataset.nq'}")
