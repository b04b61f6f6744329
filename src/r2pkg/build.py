"""The build: parse the data and ontology, validate, materialise inferences, and release the dataset atomically.

A release is a folder build/releases/<timestamp>/ holding dataset.nq and manifest.json; build/current is a
symlink swapped in one rename, so a failed build leaves the previous good release in place.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .config import ONTOLOGY_GRAPH, Settings
from .dataset import LoadError, load_store, load_turtle_into
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
    """Progress on the console (rich) for the long steps, or silence; each step's wall time goes into `timings`."""

    def __init__(self, enabled: bool, timings: dict[str, float] | None = None):
        self.enabled = enabled
        self.timings = timings if timings is not None else {}
        self.console = None
        if enabled:
            from rich.console import Console

            self.console = Console(stderr=True)

    @contextmanager
    def step(self, description: str):
        started = time.perf_counter()
        if not self.enabled:
            yield
        else:
            with self.console.status(description):
                yield
            self.console.log(f"[green]✓[/green] {description}")
        self.timings[description] = time.perf_counter() - started


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off for the build: the build allocates hundreds of thousands of small tuples,
    lists and dicts that live until it ends (rules' solutions, derivations, JSON-LD nodes), and the collector, started
    by allocations, walks all of them again and again (about a third of the JSON-LD writer's time, 8% of validation's,
    more as the data grows). The build makes few reference cycles; they are collected once it is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


FORK_PATIENCE = 600.0
"""Seconds the build waits for a forked step before it stops it and does the work in its own process (a fork of a
process with threads can, rarely, inherit a lock held by another thread and never finish)."""


class _Forked:
    """`work()` in a forked process while the build goes on: the child inherits what the build has loaded (neither
    re-read nor copied), and the pure-Python steps of the build run on both of the machine's cores. The value `work`
    returns, or the exception it raises, comes back through a pipe. Where fork is not available, or the child does
    not answer within FORK_PATIENCE, the work runs inline."""

    def __init__(self, work, name: str):
        import multiprocessing

        self.name = name
        self.process = None
        self.seconds = 0.0
        self._work = work
        self._result = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._run_inline()
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def run() -> None:
            started = time.perf_counter()
            try:
                result = (True, work())
            except BaseException as error:  # handed to the parent, which raises it
                result = (False, error)
            send.send(result + (time.perf_counter() - started,))

        self.process = context.Process(target=run, name=name, daemon=True)
        self.process.start()
        send.close()

    def _run_inline(self) -> None:
        started = time.perf_counter()
        self._result = (True, self._work())
        self.seconds = time.perf_counter() - started

    def result(self):
        """Wait for the work's value; raise what it raised."""
        if self._result is None and not self._receive.poll(FORK_PATIENCE):
            self.stop()
            self._run_inline()
        if self._result is None:
            try:
                *self._result, self.seconds = self._receive.recv()
            except EOFError:
                raise BuildError(f"{self.name} stopped without a result (exit code {self.process.exitcode})") from None
            finally:
                self.stop()
        ok, value = self._result
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive() and self._result is None:
                self.process.terminate()
            self.process.join()
            self._receive.close()
            self.process = None


class _Validation(_Forked):
    """SHACL validation (pySHACL, pure Python) from the start of the build: the child reads the data files with
    rdflib, which pySHACL needs, while the build reads them with pyoxigraph."""

    def __init__(self, settings: Settings):
        from .validation import validate

        super().__init__(lambda: validate(settings), "validation")

    def report(self):
        """The validation report; raises what validation raised (LoadError for an unreadable shapes file)."""
        return self.result()

    def require_conformance(self) -> None:
        report = self.report()
        if not report.conforms:
            raise BuildError("the data does not conform to the shapes; nothing was released", report)


def _load(settings: Settings) -> ox.Store:
    """The data files, one named graph each, and the ontology in graph/ontology, read by pyoxigraph."""
    store = load_store(settings)
    load_turtle_into(store, settings.ontology_file, ONTOLOGY_GRAPH)
    return store


GRAPH_COUNTS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
"""Each named graph and its number of triples: the manifest's "graphs" and the endpoint's service description."""


def _graph_counts(store: ox.Store) -> dict[str, int]:
    counts = {}
    for row in store.query(GRAPH_COUNTS_QUERY):
        counts[row["g"].value] = int(row["n"].value)
    return counts


def _write_release(store: ox.Store, settings: Settings, manifest: dict, dumps: bool, steps: _Steps,
                   before_publish=lambda: None) -> Path:
    releases = settings.output_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    partial = releases / f".partial-{stamp}"
    final = releases / stamp
    partial.mkdir()
    try:
        with steps.step("Writing the release"):
            data = store.dump(format=ox.RdfFormat.N_QUADS)
            if settings.base != DEFAULT_BASE:
                data = data.replace(f"<{DEFAULT_BASE}".encode(), f"<{settings.base}".encode())
                store = ox.Store()
                store.load(data, format=ox.RdfFormat.N_QUADS)  # the downloads carry the deployment's base too
            (partial / "dataset.nq").write_bytes(data)
            manifest = dict(manifest, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
        if dumps:
            manifest["downloads"] = _write_dumps(store, settings, partial, steps, nquads=data)
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        before_publish()
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _point_current(settings.output_dir, final)
    _prune(releases, keep=final)
    return final


PARALLEL_DOWNLOADS = ("jsonld",)
"""Downloads written in a forked process while the build writes the others: JSON-LD is compacted in Python (the
longest to write), the others are written by pyoxigraph."""


def _write_dumps(store: ox.Store, settings: Settings, release: Path, steps: _Steps, nquads: bytes | None = None) -> dict:
    """The full dataset in every export format, with size, statement count and checksum, for /downloads. `nquads`, the
    release's dataset.nq as written, is the N-Quads download as it is (the same dump of the same store)."""
    from . import jsonld_writer  # noqa: F401  imported before forking, so the child never waits on the import lock
    from .export import export, merged_graphs
    from .formats import DOWNLOADS

    folder = release / "downloads"
    folder.mkdir()

    def write(name: str, source: ox.Store) -> tuple[int, str]:
        """Write one download; its size and checksum."""
        path = folder / f"dataset.{DOWNLOADS[name].extension}"
        if nquads is not None and DOWNLOADS[name].oxigraph == ox.RdfFormat.N_QUADS:
            path.write_bytes(nquads)
            data = nquads
        else:
            export(settings, name, path, store=source)
            data = path.read_bytes()
        return len(data), hashlib.sha256(data).hexdigest()

    forked = {name: _Forked(lambda name=name: write(name, store), f"writing the {DOWNLOADS[name].label} download")
              for name in PARALLEL_DOWNLOADS if name in DOWNLOADS}
    try:
        merged = merged_graphs(store)  # once for the three triple formats
        written = {}
        for name, fmt in DOWNLOADS.items():
            if name not in forked:
                with steps.step(f"Writing the {fmt.label} download"):
                    written[name] = write(name, store if fmt.quads else merged)
        for name, child in forked.items():
            with steps.step(f"Writing the {DOWNLOADS[name].label} download (waiting)"):
                written[name] = child.result()
            steps.timings[f"Writing the {DOWNLOADS[name].label} download (in parallel)"] = child.seconds
    finally:
        for child in forked.values():
            child.stop()
    quads, triples = len(store), len(merged)
    return {name: {
        "file": f"downloads/dataset.{fmt.extension}",
        "bytes": written[name][0],
        "sha256": written[name][1],
        "statements": quads if fmt.quads else triples,
        "media_type": fmt.media_type,
        "label": fmt.label,
        "named_graphs": fmt.quads,
    } for name, fmt in DOWNLOADS.items()}


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


def build(settings: Settings | None = None, progress: bool = True, dumps: bool = True,
          timings: dict[str, float] | None = None) -> Path:
    """Run the whole pipeline and return the new release folder; raise LoadError or BuildError and release nothing on failure
    (OSError when the build folder cannot be written; KeyboardInterrupt leaves no partial release either).

    With `dumps`, the release also holds the dataset in every export format (downloads/), which /downloads serves.
    `timings`, if given, receives each step's wall time in seconds (bench/bench_build.py).
    """
    settings = settings or Settings.from_env()
    (settings.output_dir / "releases").mkdir(parents=True, exist_ok=True)  # an unwritable build folder fails now, not after the work
    steps = _Steps(progress, timings)
    with _collector_paused():
        return _build(settings, dumps, steps)


def _build(settings: Settings, dumps: bool, steps: _Steps) -> Path:
    validation = _Validation(settings)
    try:
        with steps.step("Parsing data and ontology"):
            store = _load(settings)
        with steps.step("Materialising inferences"):
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

        def validated() -> None:
            with steps.step("Validating against the shapes (waiting)"):
                validation.require_conformance()
            steps.timings["Validating against the shapes (in parallel)"] = validation.seconds

        return _write_release(store, settings, manifest, dumps, steps, before_publish=validated)
    except LoadError:
        raise
    except Exception:
        validation.require_conformance()  # data that does not conform fails as such, as when validation came first
        raise
    finally:
        validation.stop()


def current_release(settings: Settings | None = None) -> Path | None:
    """The folder build/current points at, if a build exists."""
    settings = settings or Settings.from_env()
    link = settings.output_dir / "current"
    return link.resolve() if link.exists() else None


def read_manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))
