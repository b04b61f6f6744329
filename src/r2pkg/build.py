"""The build: parse the data and ontology, validate, materialise inferences, and release the dataset atomically.

A release is a folder build/releases/<timestamp>/ holding dataset.nq and manifest.json; build/current is a
symlink swapped in one rename, so a failed build leaves the previous good release in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .config import ONTOLOGY_GRAPH, Settings
from .dataset import load_data, parse_turtle
from .errors import CheckFailed
from .namespaces import DEFAULT_BASE
from .reasoning import load_rules, materialise

KEEP_RELEASES = 3


class BuildError(CheckFailed):
    """The data failed validation or reasoning; nothing was released. `report` holds the validation report, if any."""

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report

    def details(self) -> str:
        return self.report.text() if self.report is not None else ""


class _Steps:
    """Progress on the console (rich) for the long steps, or silence."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.console = None
        if enabled:
            from rich.console import Console

            self.console = Console(stderr=True)

    @contextmanager
    def step(self, description: str):
        if not self.enabled:
            yield
            return
        with self.console.status(description):
            yield
        self.console.log(f"[green]✓[/green] {description}")


def _to_store(dataset, ontology) -> ox.Store:
    store = ox.Store()
    store.load(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    store.load(ontology.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    return store


GRAPH_COUNTS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
"""Each named graph and its number of triples: the manifest's "graphs" and the endpoint's service description."""


def _graph_counts(store: ox.Store) -> dict[str, int]:
    counts = {}
    for row in store.query(GRAPH_COUNTS_QUERY):
        counts[row["g"].value] = int(row["n"].value)
    return counts


def _write_release(store: ox.Store, settings: Settings, manifest: dict, dumps: bool) -> Path:
    releases = settings.output_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    partial = releases / f".partial-{stamp}"
    final = releases / stamp
    partial.mkdir()
    try:
        data = store.dump(format=ox.RdfFormat.N_QUADS)
        if settings.base != DEFAULT_BASE:
            data = data.replace(f"<{DEFAULT_BASE}".encode(), f"<{settings.base}".encode())
        (partial / "dataset.nq").write_bytes(data)
        manifest = dict(manifest, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
        if dumps:
            manifest["downloads"] = _write_dumps(store, settings, partial)
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _point_current(settings.output_dir, final)
    _prune(releases, keep=final)
    return final


def _write_dumps(store: ox.Store, settings: Settings, release: Path) -> dict:
    """The full dataset in every export format, with size, statement count and checksum, for /downloads."""
    from .export import export
    from .formats import DOWNLOADS

    folder = release / "downloads"
    folder.mkdir()
    triples = len({(q.subject, q.predicate, q.object) for q in store})
    quads = len(store)
    listing = {}
    for name, fmt in DOWNLOADS.items():
        path = folder / f"dataset.{fmt.extension}"
        export(settings, name, path, release=release)
        data = path.read_bytes()
        listing[name] = {
            "file": f"downloads/{path.name}",
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "statements": quads if fmt.quads else triples,
            "media_type": fmt.media_type,
            "label": fmt.label,
            "named_graphs": fmt.quads,
        }
    return listing


def _point_current(output_dir: Path, release: Path) -> None:
    """Swap build/current to the new release in one atomic rename."""
    link = output_dir / "current"
    tmp = output_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(release.relative_to(output_dir))
    os.replace(tmp, link)


def _prune(releases: Path, keep: Path) -> None:
    done = sorted((p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    for old in done[KEEP_RELEASES:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def build(settings: Settings | None = None, progress: bool = True, dumps: bool = True) -> Path:
    """Run the whole pipeline and return the new release folder; raise LoadError or BuildError and release nothing on failure
    (OSError when the build folder cannot be written; KeyboardInterrupt leaves no partial release either).

    With `dumps`, the release also holds the dataset in every export format (downloads/), which /downloads serves.
    """
    from .validation import validate

    settings = settings or Settings.from_env()
    (settings.output_dir / "releases").mkdir(parents=True, exist_ok=True)  # an unwritable build folder fails now, not after the work
    steps = _Steps(progress)
    with steps.step("Parsing data and ontology"):
        dataset = load_data(settings)
        ontology = parse_turtle(settings.ontology_file)
    with steps.step("Validating against the shapes"):
        report = validate(settings, dataset)
    if not report.conforms:
        raise BuildError("the data does not conform to the shapes; nothing was released", report)
    with steps.step("Materialising inferences"):
        store = _to_store(dataset, ontology)
        inference = materialise(store, load_rules(settings))
    counts = _graph_counts(store)
    manifest = {
        "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "version": __version__,
        "base": settings.base,
        "graphs": {iri.replace(DEFAULT_BASE, settings.base, 1): n for iri, n in counts.items()},
        "quads": sum(counts.values()),
        "inferred": {"rounds": inference.rounds, "by_rule": inference.added},
    }
    with steps.step("Writing the release" + (" and its downloads" if dumps else "")):
        return _write_release(store, settings, manifest, dumps)


def current_release(settings: Settings | None = None) -> Path | None:
    """The folder build/current points at, if a build exists."""
    settings = settings or Settings.from_env()
    link = settings.output_dir / "current"
    return link.resolve() if link.exists() else None


def read_manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))
