"""Dumps of the full dataset of a build (asserted, ontology and inferred graphs) in every download format of the
registry (`formats.DOWNLOADS`).

Quad formats (N-Quads, TriG, JSON-LD) keep the named graphs; triple formats (Turtle, N-Triples, RDF/XML) merge
them into one graph. pyoxigraph writes every format but JSON-LD, which jsonld_writer writes compacted with the stable
context of ontology/context.jsonld, so consumers get short keys and typed values.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .config import Settings
from .errors import R2pkgError
from .generated import write_if_changed
from .formats import DOWNLOADS, Format
from .namespaces import DEFAULT_BASE, PREFIXES, VANN
from .store import dataset_path


class ExportError(R2pkgError):
    """The dataset could not be exported (no build, unknown format, unwritable output)."""


_TYPED_RANGES = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.integer, XSD.nonNegativeInteger,
                 XSD.positiveInteger, XSD.decimal, XSD.boolean, XSD.anyURI}
"""Datatype ranges the JSON-LD context declares as the term's @type (plain strings need none)."""


def context_file(settings: Settings) -> Path:
    return settings.ontology_dir / "context.jsonld"


def _prefixes(settings: Settings) -> dict[str, str]:
    prefixes = dict(PREFIXES, vann=str(VANN))
    return {k: v.replace(DEFAULT_BASE, settings.base, 1) for k, v in sorted(prefixes.items())}


def make_context(ontology: Graph, prefixes: dict[str, str] | None = None) -> dict:
    """The JSON-LD context for the ontology: the project's prefixes, then one term per declared property.

    Properties of the r2p namespace get their local name as term; reused ones keep their compact IRI. Object
    properties are typed @id, datatype properties with a date or number range get that datatype.
    """
    prefixes = prefixes if prefixes is not None else dict(sorted(dict(PREFIXES, vann=str(VANN)).items()))
    r2p = prefixes["r2p"]

    def compact(iri: str) -> str:
        best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
        if best is None:
            return iri
        prefix = next(k for k, v in prefixes.items() if v == best)
        return f"{prefix}:{iri[len(best):]}"

    terms: dict[str, object] = {}
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    properties = sorted({p for kind in kinds for p in ontology.subjects(RDF.type, kind) if isinstance(p, URIRef)})
    for prop in properties:
        name = str(prop)[len(r2p):] if str(prop).startswith(r2p) else compact(str(prop))
        definition: dict[str, str] = {"@id": compact(str(prop))}
        if (prop, RDF.type, OWL.ObjectProperty) in ontology:
            definition["@type"] = "@id"
        else:
            ranges = set(ontology.objects(prop, RDFS.range)) & _TYPED_RANGES
            if len(ranges) == 1:
                definition["@type"] = compact(str(ranges.pop()))
        if name == definition["@id"]:
            del definition["@id"]
        if definition:
            terms[name] = definition
        elif name != compact(str(prop)):
            terms[name] = compact(str(prop))
    return {"@context": {**prefixes, **terms}}


def context_text(context: dict) -> str:
    return json.dumps(context, indent=2, ensure_ascii=False) + "\n"


def write_context(settings: Settings, check: bool = False) -> bool:
    """Write ontology/context.jsonld from the ontology (or, with check, only compare); True when already up to date."""
    from .dataset import parse_turtle

    text = context_text(make_context(parse_turtle(settings.ontology_file)))
    return write_if_changed(context_file(settings), text, check)


def load_context(settings: Settings) -> dict:
    """The stable context of ontology/context.jsonld, with the deployment's base IRI."""
    path = context_file(settings)
    if not path.is_file():
        raise ExportError(f"no JSON-LD context at {path}: run `r2pkg export-context`")
    text = path.read_text(encoding="utf-8")
    if settings.base != DEFAULT_BASE:
        text = text.replace(DEFAULT_BASE, settings.base)
    return json.loads(text)


def source_file(settings: Settings, release: Path | None = None) -> Path:
    """The N-Quads file of a release folder, or of the current build."""
    path = Path(release) / "dataset.nq" if release is not None else dataset_path(settings)
    if not path.is_file():
        raise ExportError(f"no built dataset at {path}: run `r2pkg build` first")
    return path


def _load_store(path: Path) -> ox.Store:
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, OSError) as error:
        raise ExportError(f"{path}: cannot read the dataset: {error}") from error
    return store


def merged_graphs(store: ox.Store) -> ox.Store:
    """Every triple of every graph once, in the default graph of a new store (which writes each subject in one block);
    a store without named graphs is returned as it is."""
    if next(store.named_graphs(), None) is None:
        return store
    merged = ox.Store()
    merged.extend(ox.Quad(s, p, o) for s, p, o, _ in store)
    return merged


def _jsonld(store: ox.Store, settings: Settings, out: BinaryIO) -> None:
    """Compact JSON-LD with named graphs and the stable context, in one linear pass (jsonld_writer)."""
    from .jsonld_writer import write_dataset

    write_dataset(store, load_context(settings), out)


def jsonld_document(nquads: str, context: dict) -> dict:
    """N-Quads (or N-Triples) as compact JSON-LD with `context`, the way the dump is made (the entity documents)."""
    from pyld import jsonld

    buffer = io.BytesIO()
    ox.serialize(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS), buffer, ox.RdfFormat.JSON_LD)
    return jsonld.compact(json.loads(buffer.getvalue()), context, {"skipExpansion": True})


def _rdflib_dump(settings: Settings, spec: Format, store: ox.Store) -> bytes:
    """The dataset written by rdflib, for a download format pyoxigraph does not write (such as N3)."""
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    target = dataset
    if not spec.quads:  # one graph: every statement once
        target = Graph()
        for s, p, o, _ in dataset.quads():
            target.add((s, p, o))
    for prefix, namespace in _prefixes(settings).items():
        target.bind(prefix, namespace, override=True)
    return target.serialize(format=spec.rdflib, encoding="utf-8")


def _serialise(settings: Settings, fmt: str, store: ox.Store, out: BinaryIO) -> None:
    if fmt == "jsonld":
        _jsonld(store, settings, out)
        return
    spec = DOWNLOADS[fmt]
    if spec.oxigraph is None:
        out.write(_rdflib_dump(settings, spec, store))
        return
    prefixes = _prefixes(settings) if spec.prefixes else None
    if spec.quads:
        store.dump(out, spec.oxigraph, prefixes=prefixes)
    else:
        merged_graphs(store).dump(out, spec.oxigraph, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def export(settings: Settings, fmt: str, out: BinaryIO | Path, release: Path | None = None,
           store: ox.Store | None = None) -> None:
    """Write the whole dataset of the current build (or of `release`, or the already loaded `store`) in `fmt` to a
    binary stream or a file.

    A file is written next to its final name and renamed into place, so a failed export leaves no half file.
    """
    if fmt not in DOWNLOADS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(DOWNLOADS)}")
    source = store if store is not None else _load_store(source_file(settings, release))
    if not isinstance(out, (str, os.PathLike)):
        _serialise(settings, fmt, source, out)
        return
    target = Path(out)
    if target.exists() and not target.is_file():  # a device or pipe such as /dev/stdout: write into it, never replace it
        try:
            with open(target, "wb") as stream:
                _serialise(settings, fmt, source, stream)
        except OSError as error:
            raise ExportError(f"cannot write {target}: {error.strerror or error}") from error
        return
    if target.is_symlink():
        target = target.resolve()  # write the file the link points at, keep the link
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: no such folder {folder}")
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            _serialise(settings, fmt, source, stream)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ExportError(f"cannot write {target}: {error.strerror or error}") from error
        raise


def export_bytes(settings: Settings, fmt: str, release: Path | None = None) -> bytes:
    """The export as bytes (for small datasets and tests)."""
    buffer = io.BytesIO()
    export(settings, fmt, buffer, release)
    return buffer.getvalue()
