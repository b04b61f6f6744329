"""Where the project's files live and the settings a deployment may change (base IRI, build folder, limits)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from .namespaces import DEFAULT_BASE


def project_root() -> Path:
    """The checkout holding ontology/, data/, shapes/ and queries/ (R2PKG_HOME overrides)."""
    env = os.environ.get("R2PKG_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Paths and IRIs of one deployment; `Settings.from_env()` reads the R2PKG_* variables."""

    root: Path = field(default_factory=project_root)
    base: str = DEFAULT_BASE
    build_dir: Path | None = None

    @classmethod
    def from_env(cls) -> "Settings":
        root = project_root()
        build = os.environ.get("R2PKG_BUILD_DIR")
        return cls(
            root=root,
            base=os.environ.get("R2PKG_BASE", DEFAULT_BASE),
            build_dir=Path(build).resolve() if build else None,
        )

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def ontology_file(self) -> Path:
        return self.ontology_dir / "r2pkg.ttl"

    @property
    def rules_dir(self) -> Path:
        return self.ontology_dir / "rules"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def output_dir(self) -> Path:
        return self.build_dir or (self.root / "build")

    @property
    def seeds_dir(self) -> Path:
        return Path(os.environ.get("R2PKG_SEEDS", self.root.parent / "shared" / "seeds"))

    def graph_iri(self, name: str) -> URIRef:
        """The named graph that holds the statements of one data file (its stem) or of the build ('inferred', 'ontology')."""
        return URIRef(f"{DEFAULT_BASE}graph/{name}")


INFERRED_GRAPH = URIRef(f"{DEFAULT_BASE}graph/inferred")
ONTOLOGY_GRAPH = URIRef(f"{DEFAULT_BASE}graph/ontology")
DERIVATIONS_GRAPH = URIRef(f"{DEFAULT_BASE}graph/derivations")
"""How each inferred statement was derived: rule and premises (r2p:Derivation), kept out of what the rules read."""
ID_BASE = f"{DEFAULT_BASE}id/"
