"""Shared fixtures: project settings with a throw-away build folder, one build per test session, the loaded graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from r2pkg.config import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    """The real project files, building into a temporary folder so tests never touch build/."""
    return Settings(root=ROOT, build_dir=tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def built_release(settings) -> Path:
    """One release of the real data, built once for the whole session."""
    from r2pkg.build import build

    return build(settings, progress=False)


@pytest.fixture(scope="session")
def kg(built_release, settings):
    """The knowledge graph of that release, in the embedded store."""
    from r2pkg.api import load

    return load(built_release / "dataset.nq", settings=settings)
