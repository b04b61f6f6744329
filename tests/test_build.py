"""The build: what a release holds, that a failed build keeps the previous release, and the configurable base."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from r2pkg.build import BuildError, build, current_release, read_manifest
from r2pkg.config import Settings
from r2pkg.dataset import LoadError
from tiny_project import tiny_root

GRAPH = "https://w3id.org/r2pkg/graph/"
SOURCES = ["csdn-2017", "gnfp-2019", "icrtop-cso-tool", "stanley-memo-2017", "un-perspectives-2016"]


def test_release_holds_dataset_and_manifest(built_release, settings):
    assert current_release(settings) == built_release.resolve()
    manifest = read_manifest(built_release)
    data = (built_release / "dataset.nq").read_bytes()
    assert manifest["bytes"] == len(data)
    assert manifest["quads"] == sum(manifest["graphs"].values()) == len(data.decode().strip().splitlines())
    for name in ["core", "countries", "ontology", "inferred"]:
        assert manifest["graphs"][GRAPH + name] > 0, name


def test_every_data_file_becomes_its_own_graph(built_release, settings):
    graphs = set(read_manifest(built_release)["graphs"])
    stems = {path.stem for path in settings.data_dir.rglob("*.ttl")}
    assert {GRAPH + stem for stem in stems} | {GRAPH + "ontology", GRAPH + "inferred", GRAPH + "derivations"} == graphs


def test_a_failed_build_keeps_the_previous_release(tmp_path):
    local = tiny_root(tmp_path)  # the tiny project: the session's one build of the real data is `built_release`
    project = local.root
    first = build(local, progress=False, dumps=False)
    before = (first / "dataset.nq").read_bytes()

    broken = project / "data" / "sources" / "zz-broken.ttl"
    broken.write_text("@prefix r2p: <https://w3id.org/r2pkg/ontology#> .\n<a> r2p:label \"unterminated .\n", encoding="utf-8")
    with pytest.raises(LoadError, match="zz-broken.ttl"):
        build(local, progress=False, dumps=False)
    assert current_release(local) == first.resolve()
    assert (first / "dataset.nq").read_bytes() == before

    broken.write_text(
        "@prefix r2p: <https://w3id.org/r2pkg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/r2pkg/id/rec/zz-01> a r2p:Recommendation ; rdfs:label \"Orphan\"@en .\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as failure:
        build(local, progress=False, dumps=False)
    assert not failure.value.report.conforms
    assert current_release(local) == first.resolve()
    assert not [p for p in (local.output_dir / "releases").iterdir() if p.name.startswith(".partial")]


def test_base_iri_is_configurable(tmp_path):
    tiny = tiny_root(tmp_path)
    local = Settings(root=tiny.root, base="https://example.org/r2p/", build_dir=tiny.output_dir)
    release = build(local, progress=False, dumps=False)
    store = ox.Store()
    store.load(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    testland = ox.NamedNode("https://example.org/r2p/id/state/testland")
    assert next(store.quads_for_pattern(testland, None, None, None), None) is not None
    assert "https://w3id.org/r2pkg/id/" not in (release / "dataset.nq").read_text(encoding="utf-8")
    assert json.loads((release / "manifest.json").read_text())["base"] == "https://example.org/r2p/"


def test_ctrl_c_while_writing_leaves_no_partial_release(tmp_path, monkeypatch):
    import r2pkg.build as pipeline

    local = tiny_root(tmp_path)
    first = build(local, progress=False, dumps=False)

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "_write_dumps", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(local, progress=False, dumps=True)
    assert current_release(local) == first.resolve()
    assert [p.name for p in (local.output_dir / "releases").iterdir()] == [first.name]


def test_cli_build_into_a_folder_that_cannot_be_written_exits_2(tmp_path):
    from click.testing import CliRunner

    from r2pkg.cli import main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--quiet"], env={"R2PKG_BUILD_DIR": str(blocker)})
    assert result.exit_code == 2, result.output
    assert "cannot build" in result.output and "Not a directory" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
