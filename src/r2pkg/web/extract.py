"""Babel extractors for the words the pages take from files rather than from templates: the section, index and facet
titles in the `# key: value` headers of the page tables (web/queries/*.rq), the figures of /stats (figures.toml), and
the competency questions of the query editor (queries/*.rq and the topic headings of queries/topics.toml). See
babel.cfg."""

from __future__ import annotations

import tomllib
from itertools import takewhile

from ..catalogue import HEADER_LINE, OTHER_TOPIC
from .page_queries import HEADER

HEADER_WORDS = {"title", "singular", "description", "header", "empty", "intro", "note-prefix", "caption", "none"}
"""Header keys whose values a page shows (the others name keys, classes and modes)."""
FIGURE_WORDS = ("title", "description", "label_heading", "value_heading")
QUESTION_WORDS = {"title", "question"}
"""Header keys of a competency question that the editor shows (columns and parameters are names in the query)."""


def _header_values(lines, pattern, keys, what):
    """The values of the `# key: value` lines among `lines` whose key is one of `keys`, as Babel expects them."""
    for number, line in enumerate(lines, start=1):
        match = pattern.match(line)
        if match and match["key"] in keys and match["value"].strip():
            yield number, "gettext", match["value"].strip(), [f"{what}: {match['key']}"]


def page_tables(fileobj, keywords, comment_tags, options):
    """The shown header values of a page table (.rq): (line, funcname, message, comments) as Babel expects."""
    yield from _header_values(fileobj.read().decode("utf-8").splitlines(), HEADER, HEADER_WORDS, "queries header")


def figures(fileobj, keywords, comment_tags, options):
    """The shown words of each figure of /stats (figures.toml)."""
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for figure in data.get("figure", []):
        for key in FIGURE_WORDS:
            if figure.get(key):
                yield 0, "gettext", figure[key], [f"figure {figure.get('key')}: {key}"]


def competency_questions(fileobj, keywords, comment_tags, options):
    """The title and question of a competency question (queries/*.rq), from its header (the comment lines that open
    the file, as catalogue.parse_query_file reads them)."""
    header = takewhile(lambda line: line.startswith("#"), fileobj.read().decode("utf-8").splitlines())
    yield from _header_values(header, HEADER_LINE, QUESTION_WORDS, "competency question")


def question_topics(fileobj, keywords, comment_tags, options):
    """The topic headings of the editor's catalogue (queries/topics.toml), and the heading of questions it leaves out."""
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for topic in data.get("topic", []):
        yield 0, "gettext", topic["name"], ["topic of the example questions"]
    yield 0, "gettext", OTHER_TOPIC, ["topic of the example questions not listed in topics.toml"]
