"""`r2pkg build`: parse, validate, reason and release the dataset."""

from __future__ import annotations

from . import CommandError, main  # noqa: F401
