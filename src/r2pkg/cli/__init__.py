"""The `r2pkg` command: build, validate, verify sources, query, export and serve the knowledge graph.

Each submodule adds the commands of one concern to the `main` group.

Exit codes: 0 success, 1 the data fails a check (violations, missed locators), 2 the command could not run. Every
command is wrapped in `reports_errors`, which ends it on any `R2pkgError` with the error's message and exit code.
"""

from __future__ import annotations

import functools
import logging
import sys

import click

from .. import __version__
from ..errors import R2pkgError


class CommandError(R2pkgError):
    """A command cannot do its job as asked (a missing folder, a malformed option): exit 2."""


class _Failed(click.ClickException):
    """How click shows an R2pkgError: "Error: message" on stderr, and the error's exit code."""

    def __init__(self, error: R2pkgError):
        super().__init__(str(error))
        self.exit_code = error.exit_code


def reports_errors(command):
    """Wrap a command so that any R2pkgError ends it with its details and message on stderr and its exit code."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except R2pkgError as error:
            if details := error.details():
                click.echo(details, err=True)
            raise _Failed(error) from error

    run.reports_errors = True
    return run


def report_generated(path, up_to_date: bool, check: bool, command: str) -> None:
    """What a command that writes one generated file says: up to date, written, or (with --check) out of date: exit 1."""
    if up_to_date:
        click.echo(f"{path} is up to date")
    elif check:
        click.echo(f"{path} is out of date: run `{command}`", err=True)
        sys.exit(1)
    else:
        click.echo(f"wrote {path}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="r2pkg")
def main() -> None:
    """The Responsibility to Protect knowledge graph."""
    # rdflib logs a literal that does not fit its datatype ("16 Feb 2017"^^xsd:date) with a traceback; validation
    # already reports it with file, node and value, so the command line shows only that.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


from . import sources as _sources  # noqa: E402,F401  (registers its commands)

from . import data as _data  # noqa: E402,F401
from . import query as _query  # noqa: E402,F401
from . import validate as _validate  # noqa: E402,F401
from . import build as _build  # noqa: E402,F401
from . import export as _export  # noqa: E402,F401
from . import countries as _countries  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
from . import consistency as _consistency  # noqa: E402,F401
from . import explain as _explain  # noqa: E402,F401
