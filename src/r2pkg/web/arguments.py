"""Query-string arguments shared by the pages: a bad value is a 400 that says, in the page's language, what was
expected."""

from __future__ import annotations

import re
from typing import Iterable, NoReturn

from flask import abort, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from rdflib import URIRef

IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
"""An absolute http(s) IRI, as the facets and filters take them."""

AN_IRI = _l("an IRI")


def refuse(expected: str, name: str, raw: str) -> NoReturn:
    """Stop with a 400 saying that argument `name` must be `expected` (translated words), not `raw`."""
    abort(400, description=gettext("%(name)s must be %(expected)s, not %(value)s", name=name, expected=expected,
                                   value=repr(raw)))


def checked(name: str, pattern: re.Pattern, expected: str) -> str | None:
    """The argument `name` when it matches `pattern`, None when absent; a 400 saying `expected` otherwise."""
    raw = request.args.get(name)
    if raw is not None and not pattern.match(raw):
        refuse(expected, name, raw)
    return raw


def iris(name: str) -> set[URIRef]:
    """Every value of the repeatable argument `name` as an IRI; a 400 for a value that is not one."""
    values = set()
    for raw in request.args.getlist(name):
        if not IRI_RE.match(raw):
            refuse(AN_IRI, name, raw)
        values.add(URIRef(raw))
    return values


def one_of(name: str, allowed: Iterable[str], default: str | None) -> str | None:
    """The argument `name`, which must be one of `allowed`; `default` when absent."""
    allowed = list(allowed)
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw not in allowed:
        refuse(gettext("one of: %(choices)s", choices=", ".join(allowed)), name, raw)
    return raw


def positive_int(name: str, default: int) -> int:
    """The argument `name` as a whole number of at least 1, or `default` when absent or empty."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        refuse(_l("a whole number of 1 or more"), name, raw)
    return int(raw)


INTERPRETED_ARG = "interpreted"
"""The switch that adds what the project's authors read into the sources: ?interpreted=include (default exclude)."""


def include_interpreted() -> bool:
    """Whether the request asks for interpreted values too; 400 for a value that is neither include nor exclude."""
    return one_of(INTERPRETED_ARG, ("include", "exclude"), "exclude") == "include"
