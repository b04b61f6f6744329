"""The `r2pkg` command: build, validate, verify sources, query, export and serve the knowledge graph.

Each submodule adds the commands of one concern to the `main` group.

Exit codes: 0 success, 1 the data fails a check (violations, missed locators), 2 the command could not run.
"""

from __future__ import annotations

import logging

import click

from .. import __version__


class CommandError(click.ClickException):
    """An error that stops a command before it could do its job (exit 2)."""

    exit_code = 2


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
