"""SPARQL syntax errors in words a person understands: the line, the column, the offending token and what went wrong.

Oxigraph (embedded or as a server) reports `error at LINE:COLUMN: expected one of …` followed by a dump of its grammar's
character classes. `explain` keeps the position, names the token found there and turns the expectation into a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

POSITION = re.compile(r"error at (?P<line>\d+):(?P<column>\d+):\s*(?P<detail>.*)", re.DOTALL)
TOKEN = re.compile(r"""<[^>\s]*>?|"[^"\n]*"?|'[^'\n]*'?|[?$]?[\w:.\-]+|\S""")
WORD = re.compile(r"^[A-Za-z][A-Za-z ]*$")


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a query fails to parse (1-based line and column, in characters) and why, in one sentence."""

    line: int
    column: int
    token: str
    reason: str

    def message(self) -> str:
        found = f" at “{self.token}”" if self.token else " at the end of the query"
        return f"SPARQL syntax error on line {self.line}, column {self.column}{found}: {self.reason}"


def token_at(query: str, line: int, column: int) -> str:
    """The token that starts at (or covers) a 1-based line and column of the query; '' past its end."""
    lines = query.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1]
    start = max(column - 1, 0)
    for match in TOKEN.finditer(text):
        if match.start() <= start < match.end() or match.start() >= start:
            return match.group()[:60]
    return ""


def _expected(detail: str) -> list[str]:
    """The keywords and named tokens of an 'expected …' list, without the grammar's character classes."""
    listed = re.sub(r"^expected (one of )?", "", detail.strip())
    listed = re.sub(r"\[[^\]]*\]", "", listed, flags=re.DOTALL)
    return [item.strip() for item in listed.split(",") if WORD.match(item.strip())]


def shift_lines(message: str, by: int) -> str:
    """The engine's message with its line number moved by `by` (the service put lines before the user's text)."""
    return POSITION.sub(lambda m: f"error at {int(m['line']) + by}:{m['column']}: {m['detail']}", message, count=1)


def explain(message: str, query: str) -> SyntaxProblem | None:
    """A readable account of an engine's syntax error message, or None when the message names no position."""
    match = POSITION.search(message)
    if not match:
        return None
    line, column = int(match["line"]), int(match["column"])
    detail = match["detail"]
    token = token_at(query, line, column)
    if "Prefix not found" in detail:
        # Oxigraph points just past the prefixed name: take the last one that starts before the column.
        lines = query.splitlines()
        before = lines[line - 1][:column] if 1 <= line <= len(lines) else ""
        names = re.findall(r"(?<![\w?$])[A-Za-z][\w.\-]*:[\w\-.]*|(?<![\w?$:]):[\w\-.]+", before)
        if names:
            token = names[-1]
            column = before.rfind(token) + 1
        prefix = token.split(":", 1)[0] if ":" in token else ""
        reason = (f"the prefix “{prefix}:” is not declared; add a line PREFIX {prefix}: <…> at the top of the query."
                  if prefix else "a prefix used here is not declared; add its PREFIX line at the top of the query.")
    else:
        expected = _expected(detail)
        if expected:
            words = [w for w in expected if w != "_"]
            listed = ", ".join(words[:8]) + (" …" if len(words) > 8 else "")
            reason = f"the query cannot go on like this here; the parser expected {listed}." if words else \
                "the query cannot go on like this here."
        elif detail.strip().startswith("expected"):
            reason = "the query cannot go on like this here (a bracket, a dot or a name is missing or extra)."
        else:
            reason = detail.strip().splitlines()[0] if detail.strip() else "the query does not parse."
    return SyntaxProblem(line, column, token, reason)
