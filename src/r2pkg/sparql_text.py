"""SPARQL (and Turtle) text read as tokens without the native parser, which a hostile text can crash.

One lexer serves the endpoint's analysis of a query (`analyse_query`: its form, SERVICE, FROM clauses, depth, size,
the order of its variables) and the check that every project term a query or data file names is declared
(`validation.terms_in_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urljoin

# Name runs are matched possessively and whole (a failed prefixed name is still one word), so the scan stays linear.
# A local name may hold dots but not end with one: the dot of `?s a r2p:Event.` closes the triple.
_NAME_CHAR = r"[\w\-:%\u00c0-\uffff]"
_LEXEMES = re.compile(
    rf"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{{}}|^`\\\s]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      | (?P<bnode>_:(?:{_NAME_CHAR}|\.(?={_NAME_CHAR}))*+)
      | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*+)?:(?:{_NAME_CHAR}|\\.|\.(?={_NAME_CHAR}))*+)
      | (?P<word>[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*+)
      | (?P<open>[{{(\[])
      | (?P<close>[}})\]])
      | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
      | (?P<operator>\|\||&&|!=|<=|>=|\^\^|[^\s\w])
    """,
    re.VERBOSE,
)

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


class Token(NamedTuple):
    kind: str
    """comment, string, iri, var, bnode, pname, word, open, close, number or operator"""
    text: str
    start: int
    """Offset of the token in the text."""


def tokens(text: str) -> list[Token]:
    """The lexemes of a SPARQL or Turtle text in order, comments left out."""
    return [Token(m.lastgroup, m.group(), m.start()) for m in _LEXEMES.finditer(text) if m.lastgroup != "comment"]


def unescape_local(local: str) -> str:
    """A prefixed name's local part with its backslash escapes (`\\.`, `\\-`, …) undone."""
    return re.sub(r"\\(.)", r"\1", local)


@dataclass
class QueryShape:
    """What a SPARQL text is, read from its tokens.

    `form` is SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or None when no form keyword follows the prologue.
    """

    form: str | None
    service: bool = False
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    depth: int = 0
    size: int = 0
    """How many lexemes (names, literals, brackets, operators) the text has: what a recursive parser recurses over."""
    select_star: bool = False
    """A `SELECT *` (or `SELECT DISTINCT *`) query: its columns are the variables in order of first appearance."""
    variables: list[str] = field(default_factory=list)
    """Every variable name (without ? or $) in order of its first appearance in the text."""

    def column_order(self, variables: list[str]) -> list[str]:
        """The columns of an answer in the order a reader expects: for `SELECT *` the order in which the variables
        first appear in the query (engines such as Oxigraph sort them by name), else the engine's (projection) order."""
        if not self.select_star:
            return list(variables)
        seen = {name: position for position, name in enumerate(self.variables)}
        return sorted(variables, key=lambda name: (seen.get(name, len(seen)), name))

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def analyse_query(text: str) -> QueryShape:
    """Classify a query text: its form, whether it calls SERVICE, its FROM / FROM NAMED graphs, its depth and size."""
    found = tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    form = None
    select_star = False
    i = 0
    while i < len(found):
        kind, value, _ = found[i]
        word = value.upper() if kind == "word" else None
        if word == "BASE" and i + 1 < len(found) and found[i + 1].kind == "iri":
            base = urljoin(base, found[i + 1].text[1:-1])
            i += 2
        elif word == "PREFIX" and i + 2 < len(found) and found[i + 1].kind == "pname" and found[i + 2].kind == "iri":
            prefixes[found[i + 1].text.rstrip(":")] = urljoin(base, found[i + 2].text[1:-1])
            i += 3
        else:
            if word in QUERY_FORMS:
                form = word
                following = [t.text.upper() for t in found[i + 1:i + 3]]
                star = following[1:2] if following[:1] in (["DISTINCT"], ["REDUCED"]) else following[:1]
                select_star = word == "SELECT" and star == ["*"]
            elif word in UPDATE_KEYWORDS:
                form = "UPDATE"
            break

    def resolve(token: Token) -> str | None:
        if token.kind == "iri":
            return urljoin(base, token.text[1:-1])
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix in prefixes:
                return prefixes[prefix] + unescape_local(local)
        return None

    shape = QueryShape(form, size=len(found), select_star=form == "SELECT" and select_star,
                       variables=list(dict.fromkeys(t.text[1:] for t in found if t.kind == "var")))
    level = 0
    for position, (kind, value, _) in enumerate(found):
        if kind == "open":
            level += 1
            shape.depth = max(shape.depth, level)
        elif kind == "close":
            level -= 1
        elif kind == "word" and value.upper() == "SERVICE":
            shape.service = True
        elif kind == "word" and value.upper() == "FROM" and position + 1 < len(found):
            following = found[position + 1]
            if following.kind == "word" and following.text.upper() == "NAMED":
                iri = resolve(found[position + 2]) if position + 2 < len(found) else None
                if iri:
                    shape.from_named.append(iri)
            else:
                iri = resolve(following)
                if iri:
                    shape.from_graphs.append(iri)
    return shape
