"""`r2pkg build` as a user runs it: the installed command on a copy of the tiny project, chosen by R2PKG_HOME and
R2PKG_BUILD_DIR. Exit 0 on success, 1 when the data does not conform, 2 when the command cannot run; a failed build
leaves the previous release current and no half-written one behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiny_project import tiny_root

COMMAND = str(Path(sys.executable).parent / "r2pkg")


def r2pkg_build(root: Path, build_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run `r2pkg build --quiet` with only the given R2PKG_* settings (none inherited from this shell)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("R2PKG_")}
    env["R2PKG_HOME"] = str(root)
    if build_dir is not None:
        env["R2PKG_BUILD_DIR"] = str(build_dir)
    return subprocess.run([COMMAND, "build", "--quiet"], env=env, capture_output=True, text=True, timeout=300)


def releases(build_dir: Path) -> list[str]:
    """Every entry of the releases folder, partial ones included."""
    return sorted(p.name for p in (build_dir / "releases").iterdir())


@pytest.fixture
def built(tmp_path):
    """A copy of the tiny project with one good release in its own build folder: (data folder, build folder, release)."""
    settings = tiny_root(tmp_path / "project")
    out = tmp_path / "out"
    result = r2pkg_build(settings.root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return settings.data_dir, out, (out / "current").resolve()


def test_success_exits_0_and_makes_the_new_release_current(built):
    data, out, release = built
    assert releases(out) == [release.name]
    assert (release / "dataset.nq").is_file() and (release / "manifest.json").is_file()


def test_success_reports_the_release_and_its_graphs(tmp_path):
    """Without R2PKG_BUILD_DIR the release goes to the build folder of the project R2PKG_HOME names."""
    settings = tiny_root(tmp_path / "project")
    result = r2pkg_build(settings.root)
    assert result.returncode == 0, result.stderr
    release = (settings.root / "build" / "current").resolve()
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Release {release.name}: ") and lines[0].endswith(" quads in 5 graphs")
    assert [line.split()[-1] for line in lines[1:6]] == [
        f"https://w3id.org/r2pkg/graph/{name}" for name in ("core", "derivations", "inferred", "ontology", "tiny-source")]
    assert lines[-1].endswith(f"dataset at {release / 'dataset.nq'}")


def test_data_that_does_not_conform_exits_1_with_the_report_and_keeps_the_release(built):
    data, out, release = built
    source = data / "sources" / "tiny-source.ttl"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("    r2p:addressedTo cat:test-states ;\n", ""), encoding="utf-8")
    result = r2pkg_build(data.parent, out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data/sources/tiny-source.ttl" in result.stderr
    assert "VIOLATION rec:tiny-source-02 (Name a focal point)" in result.stderr
    assert result.stderr.rstrip().endswith("Error: the data does not conform to the shapes; nothing was released")
    assert (out / "current").resolve() == release
    assert releases(out) == [release.name]


def test_a_syntax_error_exits_2_naming_file_and_line_and_keeps_the_release(built):
    data, out, release = built
    source = data / "sources" / "tiny-source.ttl"
    text = source.read_text(encoding="utf-8")
    source.write_text(text + 'rec:tiny-source-02 rdfs:comment "never closed .\n', encoding="utf-8")
    result = r2pkg_build(data.parent, out)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = text.count("\n") + 1
    assert f"Error: {source.resolve()}:{line}: cannot parse Turtle" in result.stderr
    assert (out / "current").resolve() == release
    assert releases(out) == [release.name]


def test_a_missing_project_exits_2(tmp_path):
    result = r2pkg_build(tmp_path / "nowhere", tmp_path / "out")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {(tmp_path / 'nowhere' / 'ontology' / 'r2pkg.ttl').resolve()}: ")
    assert not (tmp_path / "out" / "current").exists()
