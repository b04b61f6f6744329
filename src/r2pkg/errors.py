"""The root of every error r2pkg raises on purpose, with the exit code the command line gives it.

Each module keeps its own error class (StoreError, LoadError, CatalogueError, ...) under `R2pkgError`, so a caller
catches one class, and `r2pkg`'s commands map any of them to their message and exit code in one place
(`cli.reports_errors`). Exit codes: 1 the data fails a check, 2 the command could not run.
"""

from __future__ import annotations


class R2pkgError(Exception):
    """Something r2pkg could not do, said in words a user can act on; `exit_code` 2: the command could not run."""

    exit_code = 2

    def details(self) -> str:
        """Text to show before the message (a report), or ''."""
        return ""


class CheckFailed(R2pkgError):
    """The data fails a check (validation, reasoning): the command ran, its answer is no; exit code 1."""

    exit_code = 1
