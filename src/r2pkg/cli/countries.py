"""`r2pkg countries`: regenerate data/countries.ttl from hdx-python-country."""

from __future__ import annotations

from . import CommandError, main  # noqa: F401
