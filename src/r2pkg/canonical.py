"""Canonical Turtle for data files: the project's prefixes declared once, subjects sorted, one block per subject."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from .dataset import parse_turtle
from .generated import write_if_changed
from .namespaces import PREFIXES


def _content_labels(graph: Graph) -> dict[BNode, BNode]:
    """A blank node named by a hash of what it says, so that the serialiser's sort (which compares blank-node ids)
    puts blank nodes such as spans in the same order on every run instead of in parse order."""
    labels: dict[BNode, str] = {}
    seen: dict[str, int] = {}

    def label(node: BNode, path: frozenset) -> str:
        if node in labels:
            return labels[node]
        if node in path:  # a cycle of blank nodes: no content to name it by
            return "_:cycle"
        lines = sorted(
            f"{p.n3()} {label(o, path | {node}) if isinstance(o, BNode) else o.n3()}"
            for p, o in graph.predicate_objects(node)
        )
        digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]
        labels[node] = digest
        return digest

    renamed = {}
    for node in sorted({n for n in graph.all_nodes() if isinstance(n, BNode)}, key=lambda n: label(n, frozenset())):
        digest = label(node, frozenset())
        count = seen.get(digest, 0)
        seen[digest] = count + 1
        renamed[node] = BNode(f"b{digest}{count or ''}")
    return renamed


def canonical_turtle(graph: Graph) -> str:
    """Serialise with exactly the project's prefixes and content-named blank nodes, so every data file reads the same way
    and formatting a formatted file changes nothing."""
    out = Graph(bind_namespaces="none")
    for prefix, namespace in sorted(PREFIXES.items()):
        out.bind(prefix, namespace, override=True, replace=True)
    renamed = _content_labels(graph)

    def rename(node: Node) -> Node:
        return renamed.get(node, node) if isinstance(node, BNode) else node

    for s, p, o in graph:
        out.add((rename(s), p, rename(o)))
    return out.serialize(format="turtle")


def format_file(path: Path, check: bool = False) -> bool:
    """Rewrite `path` canonically (or, with check, only report); True when the file was already canonical."""
    return write_if_changed(path, canonical_turtle(parse_turtle(path)), check)
