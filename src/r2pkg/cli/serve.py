"""`r2pkg serve`: the web application under a production WSGI server."""

from __future__ import annotations

from . import CommandError, main  # noqa: F401
