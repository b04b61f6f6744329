"""r2pkg export: every format parses back to the same quads or triples; quad formats keep the named graphs."""

from __future__ import annotations

import json
import os

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from r2pkg.build import read_manifest
from r2pkg.config import INFERRED_GRAPH, ONTOLOGY_GRAPH
from r2pkg.export import ExportError, export, export_bytes, load_context, write_context
from r2pkg.formats import DOWNLOADS
from r2pkg.namespaces import PREFIXES, R2P

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "rdf": "xml"}


@pytest.fixture(scope="module")
def manifest(built_release) -> dict:
    return read_manifest(built_release)


@pytest.fixture(scope="module")
def distinct_triples(built_release) -> int:
    store = ox.Store()
    store.bulk_load(path=str(built_release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return len({(q.subject, q.predicate, q.object) for q in store})


@pytest.fixture(scope="module")
def exported(settings, built_release) -> dict[str, bytes]:
    return {fmt: export_bytes(settings, fmt, built_release) for fmt in DOWNLOADS}


def test_formats_declare_media_types_and_extensions():
    assert set(DOWNLOADS) == set(RDFLIB_FORMATS)
    assert DOWNLOADS["jsonld"].media_type == "application/ld+json"
    assert DOWNLOADS["rdf"].media_type == "application/rdf+xml"
    assert DOWNLOADS["nq"].extension == "nq"
    assert {f for f, spec in DOWNLOADS.items() if spec.quads} == {"nq", "trig", "jsonld"}


@pytest.mark.parametrize("fmt", ["nq", "trig", "jsonld"])
def test_quad_formats_round_trip_with_named_graphs(fmt, exported, manifest):
    dataset = Dataset()
    dataset.parse(data=exported[fmt], format=RDFLIB_FORMATS[fmt])
    quads = list(dataset.quads())
    assert len(quads) == manifest["quads"]
    graphs = {str(g) for *_, g in quads}
    assert graphs == set(manifest["graphs"])
    assert {str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH), PREFIXES["graph"] + "core", PREFIXES["graph"] + "countries"} <= graphs


@pytest.mark.parametrize("fmt", ["ttl", "nt", "rdf"])
def test_triple_formats_merge_the_graphs(fmt, exported, distinct_triples, manifest):
    graph = Graph()
    graph.parse(data=exported[fmt], format=RDFLIB_FORMATS[fmt])
    assert len(graph) == distinct_triples
    assert distinct_triples < manifest["quads"] or len(manifest["graphs"]) == 1
    ghana = URIRef(PREFIXES["state"] + "ghana")
    assert str(graph.value(ghana, R2P.iso3166Alpha3)) == "GHA"


def test_jsonld_is_compacted_with_the_stable_context(settings, exported):
    document = json.loads(exported["jsonld"])
    assert document["@context"] == load_context(settings)["@context"]
    nodes = [node for graph in document["@graph"] for node in graph.get("@graph", [])]
    ghana = next(node for node in nodes if node.get("@id") == "state:ghana" and "iso3166Alpha2" in node)
    assert ghana["iso3166Alpha2"] == "GH"
    recommendation = next(node for node in nodes if "addressedTo" in node)
    targets = recommendation["addressedTo"] if isinstance(recommendation["addressedTo"], list) else [recommendation["addressedTo"]]
    assert all(isinstance(t, str) and ":" in t and not t.startswith("http") for t in targets)


def test_context_file_is_up_to_date_and_covers_every_r2p_property(settings):
    assert write_context(settings, check=True)
    context = load_context(settings)["@context"]
    for name in R2P.__annotations__:
        if name[:1].islower():
            term = context[name]
            assert (term["@id"] if isinstance(term, dict) else term) == f"r2p:{name}"
    assert context["addressedTo"] == {"@id": "r2p:addressedTo", "@type": "@id"}
    assert context["dct:issued"] == {"@type": "xsd:date"}


def test_export_to_a_file_leaves_no_temporary_files(settings, built_release, tmp_path):
    target = tmp_path / "dump.nt"
    export(settings, "nt", target, built_release)
    assert [p.name for p in tmp_path.iterdir()] == ["dump.nt"]
    assert target.read_bytes().count(b"\n") > 1000


def test_unknown_format_and_missing_build_are_errors(settings, tmp_path):
    with pytest.raises(ExportError, match="unknown format"):
        export_bytes(settings, "xlsx")
    with pytest.raises(ExportError, match="r2pkg build"):
        export_bytes(settings, "nt", tmp_path)


def test_cli_export(built_release, tmp_path, monkeypatch):
    from r2pkg.cli import main

    monkeypatch.setenv("R2PKG_BUILD_DIR", str(built_release.parent.parent))
    runner = CliRunner()
    target = tmp_path / "dump.trig"
    result = runner.invoke(main, ["export", "--format", "trig", "--output", str(target), "--release", str(built_release)])
    assert result.exit_code == 0, result.output
    assert b"GRAPH" in target.read_bytes() or b"graph:" in target.read_bytes()
    result = runner.invoke(main, ["export", "--format", "nt"])
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\n") > 1000
    monkeypatch.setenv("R2PKG_BUILD_DIR", str(tmp_path / "nothing"))
    result = runner.invoke(main, ["export", "--format", "nt"])
    assert result.exit_code == 2 and "r2pkg build" in result.output
    assert runner.invoke(main, ["export", "--format", "xlsx"]).exit_code == 2


def _without_bnode_ids(data: bytes) -> list[bytes]:
    """The lines of an N-Triples/N-Quads dump, sorted, with blank-node labels (fresh on every export) blanked."""
    import re

    return sorted(re.sub(rb"_:[A-Za-z0-9]+", b"_:", line) for line in data.splitlines())


def test_export_into_a_pipe_writes_through_it_and_keeps_it(settings, built_release, tmp_path):
    """-o /dev/stdout or a named pipe: the data goes into it; the pipe is never replaced by a regular file."""
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    export(settings, "nt", pipe, release=built_release)
    reader.join(timeout=60)
    assert received and _without_bnode_ids(received[0]) == _without_bnode_ids(export_bytes(settings, "nt", built_release))
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_export_through_a_symlink_keeps_the_link(settings, built_release, tmp_path):
    real = tmp_path / "real.nq"
    real.write_bytes(b"old")
    link = tmp_path / "link.nq"
    link.symlink_to(real)
    export(settings, "nq", link, release=built_release)
    assert link.is_symlink()
    assert _without_bnode_ids(real.read_bytes()) == _without_bnode_ids(export_bytes(settings, "nq", built_release))


def test_export_into_a_missing_folder_says_so(settings, built_release, tmp_path):
    with pytest.raises(ExportError, match="no such folder .*nowhere"):
        export(settings, "nt", tmp_path / "nowhere" / "x.nt", release=built_release)


def test_a_format_only_rdflib_writes_becomes_a_download_by_its_registry_entry(settings, tmp_path, monkeypatch):
    """N3 marked `download` in the registry is all it takes: pyoxigraph has no N3 writer, so rdflib writes it."""
    from dataclasses import replace

    from r2pkg import export as export_module
    from r2pkg.formats import BY_KEY

    ghana = "<https://w3id.org/r2pkg/id/state/ghana>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    release = tmp_path / "release"
    release.mkdir()
    (release / "dataset.nq").write_text(
        f'{ghana} {label} "Ghana"@en <https://w3id.org/r2pkg/graph/core> .\n'
        f'{ghana} {label} "Ghana"@en <https://w3id.org/r2pkg/graph/countries> .\n'
        f'{ghana} {label} "Ghana"@fr <https://w3id.org/r2pkg/graph/countries> .\n', encoding="utf-8")
    monkeypatch.setattr(export_module, "DOWNLOADS", {**DOWNLOADS, "n3": replace(BY_KEY["n3"], download=True)})
    text = export_bytes(settings, "n3", release).decode()
    graph = Graph().parse(data=text, format="n3")
    ghana_iri = URIRef("https://w3id.org/r2pkg/id/state/ghana")
    assert {(str(o), o.language) for o in graph.objects(ghana_iri, None)} == {("Ghana", "en"), ("Ghana", "fr")}
    assert len(graph) == 2 and "state:ghana" in text
