"""`r2pkg export`: write the full dataset in one RDF format."""

from __future__ import annotations

from . import CommandError, main  # noqa: F401
