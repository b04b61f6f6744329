"""The tiny project of tests/data/tiny: the real ontology, shapes and queries with a few made-up entities as data."""

from __future__ import annotations

import shutil
from pathlib import Path

from r2pkg.config import Settings

ROOT = Path(__file__).resolve().parents[1]
TINY_DATA = Path(__file__).parent / "data" / "tiny" / "data"


def tiny_root(folder: Path) -> Settings:
    """A project root in `folder` holding copies of the real ontology, shapes and queries and the tiny data folder."""
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(TINY_DATA, folder / "data")
    return Settings(root=folder, build_dir=folder / "build")
