"""`r2pkg validate`: SHACL shapes and the undeclared-term check."""

from __future__ import annotations

from . import CommandError, main  # noqa: F401
