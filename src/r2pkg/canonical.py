"""Canonical Turtle for data files: the project's prefixes declared once, subjects sorted, one block per subject."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .dataset import parse_turtle
from .namespaces import PREFIXES


def canonical_turtle(graph: Graph) -> str:
    """Serialise with exactly the project's prefixes, so every data file reads the same way."""
    out = Graph(bind_namespaces="none")
    for prefix, namespace in sorted(PREFIXES.items()):
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        out.add(triple)
    return out.serialize(format="turtle")


def format_file(path: Path, check: bool = False) -> bool:
    """Rewrite `path` canonically (or, with check, only report); True when the file was already canonical."""
    text = path.read_text(encoding="utf-8")
    formatted = canonical_turtle(parse_turtle(path))
    if text == formatted:
        return True
    if not check:
        path.write_text(formatted, encoding="utf-8")
    return False
