"""Scaled copies of a built dataset: N renamed copies of its instance data, the vocabulary kept once.

Copy 0 is the build itself. Copy k (k >= 1) renames every instance IRI (<base>id/...), every graph IRI
(<base>graph/...) and every blank node, so its quads join only among themselves: a query's rows grow N-fold, not
N²-fold as they do when copies share blank nodes. The ontology graph (and a shapes graph, should a build carry one)
is vocabulary, not data: it stays once, so class hierarchies and labels of classes are not repeated per copy.
A scaled dataset therefore holds exactly `vocabulary + N × instance` quads. Graphs named in `without` (the build's
derivations, say: most of its quads) are kept in copy 0 only, so every page still works on the scaled data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from r2pkg.config import ID_BASE, ONTOLOGY_GRAPH, Settings
from r2pkg.namespaces import DEFAULT_BASE

GRAPH_BASE = str(Settings().graph_iri(""))
"""<base>graph/, the namespace of the build's named graphs."""

VOCABULARY_GRAPHS = frozenset({str(ONTOLOGY_GRAPH), str(Settings().graph_iri("shapes"))})
"""Graphs that describe the vocabulary rather than instances: never copied."""

MARK = "copy1"
"""The tag of copy 1; copies 2..N are copy 1's text with this tag replaced, which is why it must not occur in the build."""


@dataclass(frozen=True)
class ScaledDataset:
    """Where a scaled copy was written and what it holds."""

    copies: int
    path: Path
    quads: int
    vocabulary_quads: int
    instance_quads: int
    copied_quads: int
    """Instance quads in each of copies 1..N-1 (fewer than instance_quads when graphs are left `without`)."""


def _renamed(term, tag: str):
    """A term of copy `tag`: instance and graph IRIs moved under <base><tag>/, blank nodes prefixed with the tag."""
    if isinstance(term, ox.NamedNode):
        value = term.value
        if value.startswith(ID_BASE) or value.startswith(GRAPH_BASE):
            return ox.NamedNode(f"{DEFAULT_BASE}{tag}/{value[len(DEFAULT_BASE):]}")
        return term
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(f"{tag}x{term.value}")
    if isinstance(term, ox.Triple):  # RDF-star: a quoted triple's terms are renamed too
        return ox.Triple(_renamed(term.subject, tag), _renamed(term.predicate, tag), _renamed(term.object, tag))
    return term


def split(quads) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """(vocabulary quads, instance quads) of a dataset."""
    vocabulary, instance = [], []
    for quad in quads:
        shared = isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in VOCABULARY_GRAPHS
        (vocabulary if shared else instance).append(quad)
    return vocabulary, instance


def write_scaled(source: Path, copies: int, target: Path, without: Iterable[str] = ()) -> ScaledDataset:
    """Write `copies` copies of the N-Quads file `source` to `target` (N-Quads) and say what it holds; the graphs
    named in `without` (names after <base>graph/) are not copied."""
    if copies < 1:
        raise ValueError("copies must be at least 1")
    original = source.read_bytes()
    vocabulary, instance = split(ox.parse(original, format=ox.RdfFormat.N_QUADS))
    left_out = {str(Settings().graph_iri(name)) for name in without}
    copied = [q for q in instance if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in left_out)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        out.write(original)
        if copies > 1:
            if MARK.encode() in original:
                raise ValueError(f"{source} already contains {MARK!r}: it cannot be scaled by renaming")
            first = ox.serialize(
                (ox.Quad(_renamed(q.subject, MARK), q.predicate, _renamed(q.object, MARK), _renamed(q.graph_name, MARK))
                 for q in copied),
                format=ox.RdfFormat.N_QUADS)
            out.write(first)
            for k in range(2, copies):
                out.write(first.replace(MARK.encode(), f"copy{k}".encode()))
    return ScaledDataset(copies, target, len(vocabulary) + len(instance) + (copies - 1) * len(copied),
                         len(vocabulary), len(instance), len(copied))


def write_release(source_release: Path, copies: int, build_dir: Path, without: Iterable[str] = ()) -> ScaledDataset:
    """A build folder (`build_dir/current/dataset.nq` and a manifest) that `r2pkg serve` can serve (R2PKG_BUILD_DIR)."""
    current = build_dir / "current"
    scaled = write_scaled(source_release / "dataset.nq", copies, current / "dataset.nq", without)
    manifest_file = source_release / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.is_file() else {}
    manifest.update({"quads": scaled.quads, "downloads": {}, "scaled": {"copies": copies, "from": str(source_release), "without": sorted(without)}})
    manifest.setdefault("built", "1970-01-01T00:00:00+00:00")
    (current / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return scaled
