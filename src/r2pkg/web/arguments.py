"""Query-string arguments shared by the pages: a bad value is a 400 that says what was expected."""

from __future__ import annotations

from flask import abort, request


def positive_int(name: str, default: int) -> int:
    """The argument `name` as a whole number of at least 1, or `default` when absent or empty."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"{name} must be a whole number, not {raw!r}")
    if value < 1:
        abort(400, description=f"{name} must be 1 or more")
    return value


INTERPRETED_ARG = "interpreted"
"""The switch that adds what the project's authors read into the sources: ?interpreted=include (default exclude)."""


def include_interpreted() -> bool:
    """Whether the request asks for interpreted values too; 400 for a value that is neither include nor exclude."""
    value = request.args.get(INTERPRETED_ARG, "exclude")
    if value not in ("include", "exclude"):
        abort(400, description=f"{INTERPRETED_ARG} must be include or exclude, not {value!r}")
    return value == "include"
