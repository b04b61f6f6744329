"""Babel extractors for the words the pages take from their tables (web/queries/): section, index and facet titles
in the `# key: value` headers of the .rq files, and the figures of /stats in figures.toml. See babel.cfg."""

from __future__ import annotations

import tomllib

from .page_queries import HEADER

HEADER_WORDS = {"title", "singular", "description", "header", "empty", "intro", "note-prefix", "caption", "none"}
"""Header keys whose values a page shows (the others name keys, classes and modes)."""
FIGURE_WORDS = ("title", "description", "label_heading", "value_heading")


def page_tables(fileobj, keywords, comment_tags, options):
    """The shown header values of a page table (.rq): (line, funcname, message, comments) as Babel expects."""
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        match = HEADER.match(line)
        if match and match["key"] in HEADER_WORDS and match["value"].strip():
            yield number, "gettext", match["value"].strip(), [f"queries header: {match['key']}"]


def figures(fileobj, keywords, comment_tags, options):
    """The shown words of each figure of /stats (figures.toml)."""
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for figure in data.get("figure", []):
        for key in FIGURE_WORDS:
            if figure.get(key):
                yield 0, "gettext", figure[key], [f"figure {figure.get('key')}: {key}"]
