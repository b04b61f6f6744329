"""Dumps of the full dataset of a build (asserted, ontology and inferred graphs) in six RDF formats.

Quad formats (N-Quads, TriG, JSON-LD) keep the named graphs; triple formats (Turtle, N-Triples, RDF/XML) merge
them into one graph. pyoxigraph writes every format but JSON-LD, which jsonld_writer writes compacted with the stable
context of ontology/context.jsonld, so consumers get short keys and typed values.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .config import Settings
from .namespaces import DEFAULT_BASE, PREFIXES, VANN
from .store import dataset_path


class ExportError(Exception):
    """The dataset could not be exported (no build, unknown format, unwritable output)."""


@dataclass(frozen=True)
class Format:
    """One export format: its media type, file extension and whether it keeps named graphs."""

    name: str
    media_type: str
    extension: str
    quads: bool
    label: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("ttl", "text/turtle", "ttl", False, "Turtle"),
        Format("nt", "application/n-triples", "nt", False, "N-Triples"),
        Format("nq", "application/n-quads", "nq", True, "N-Quads"),
        Format("trig", "application/trig", "trig", True, "TriG"),
        Format("jsonld", "application/ld+json", "jsonld", True, "JSON-LD"),
        Format("rdf", "application/rdf+xml", "rdf", False, "RDF/XML"),
    )
}

_OXIGRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdf": ox.RdfFormat.RDF_XML,
}

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
    path = context_file(settings)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return True
    if not check:
        path.write_text(text, encoding="utf-8")
    return False


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


def _serialise(settings: Settings, fmt: str, store: ox.Store, out: BinaryIO) -> None:
    if fmt == "jsonld":
        _jsonld(store, settings, out)
        return
    prefixes = _prefixes(settings)
    rdf_format = _OXIGRAPH_FORMATS[fmt]
    if FORMATS[fmt].quads:
        store.dump(out, rdf_format, prefixes=prefixes if fmt == "trig" else None)
    else:
        merged_graphs(store).dump(out, rdf_format, from_graph=ox.DefaultGraph(), prefixes=None if fmt == "nt" else prefixes)


def export(settings: Settings, fmt: str, out: BinaryIO | Path, release: Path | None = None,
           store: ox.Store | None = None) -> None:
    """Write the whole dataset of the current build (or of `release`, or the already loaded `store`) in `fmt` to a
    binary stream or a file.

    A file is written next to its final name and renamed into place, so a failed export leaves no half file.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
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
