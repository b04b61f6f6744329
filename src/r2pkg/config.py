"""Where the project's files live and the settings a deployment may change (base IRI, build folder, limits).

Every R2PKG_* environment variable is read here and nowhere else; the limits of the SPARQL endpoint are defined once,
in `Limits`, for the app, `r2pkg serve`'s options and the query executor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from .errors import R2pkgError
from .namespaces import DEFAULT_BASE


class SettingsError(R2pkgError, ValueError):
    """A setting that cannot work (a public URL that is not an absolute http(s) URL, an unreadable rate limit)."""


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


def _env_path(name: str, resolve: bool = True) -> Path | None:
    value = _env(name)
    return None if value is None else Path(value).resolve() if resolve else Path(value)


def project_root() -> Path:
    """The checkout holding ontology/, data/, shapes/ and queries/ (R2PKG_HOME overrides)."""
    return _env_path("R2PKG_HOME") or Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Limits:
    """What the SPARQL endpoint lets one query and the clients use; the defaults of the app and of `r2pkg serve`."""

    query_timeout: float = 20.0
    """Seconds a user's query may run before its worker is killed."""
    row_limit: int = 10_000
    """Rows (or triples) of one answer; the rest is cut and the answer marked truncated."""
    workers: int = 2
    """Query worker processes."""
    rate_limit: str | None = None
    """Queries per client on /sparql in the syntax of the `limits` package ("60 per minute; 1000 per hour"); None: none."""
    max_running: int | None = None
    """Queries running or waiting at once (None: 2 x workers + 2)."""
    max_running_per_client: int | None = None
    """Queries one client may have running at once (None: half of max_running)."""
    admit_wait: float | None = None
    """Seconds a query waits for a place when the server is full, before it is refused (429); None: the query time
    limit, so an answer takes at most twice the limit (waiting, then running)."""

    SERVE_RATE_LIMIT = "120 per minute"
    """The rate limit `r2pkg serve` applies unless told otherwise (an app made in Python has none)."""

    CONFIG_KEYS = {"query_timeout": "QUERY_TIMEOUT_SECONDS", "row_limit": "QUERY_ROW_LIMIT", "workers": "QUERY_WORKERS",
                   "rate_limit": "SPARQL_RATE_LIMIT", "max_running": "SPARQL_MAX_RUNNING",
                   "max_running_per_client": "SPARQL_MAX_RUNNING_PER_CLIENT", "admit_wait": "SPARQL_ADMIT_WAIT"}
    """The Flask config key of each limit (how `create_app(config=...)` and tests set them)."""

    def as_config(self) -> dict:
        return {key: getattr(self, name) for name, key in self.CONFIG_KEYS.items()}

    @classmethod
    def from_config(cls, config) -> "Limits":
        """The limits a Flask config sets; a key it lacks keeps its default."""
        return cls(**{name: config[key] for name, key in cls.CONFIG_KEYS.items() if key in config})

    @property
    def running_total(self) -> int:
        return int(self.max_running or 2 * self.workers + 2)

    @property
    def admission_wait(self) -> float:
        return float(self.query_timeout if self.admit_wait is None else self.admit_wait)

    @property
    def running_per_client(self) -> int:
        return int(self.max_running_per_client or max(1, self.running_total // 2))


@dataclass(frozen=True)
class Settings:
    """Paths, IRIs and addresses of one deployment; a field left out is read from its R2PKG_* variable, if set."""

    root: Path = field(default_factory=project_root)
    base: str = field(default_factory=lambda: _env("R2PKG_BASE") or DEFAULT_BASE)
    build_dir: Path | None = field(default_factory=lambda: _env_path("R2PKG_BUILD_DIR"))
    seeds: Path | None = field(default_factory=lambda: _env_path("R2PKG_SEEDS", resolve=False))
    """The folder of source texts (default: ../shared/seeds next to the checkout)."""
    endpoint: str | None = field(default_factory=lambda: _env("R2PKG_ENDPOINT"))
    """A SPARQL 1.1 endpoint the web app serves from instead of the embedded build."""
    public_url: str | None = field(default_factory=lambda: _env("R2PKG_PUBLIC_URL"))
    """The address the public reaches the site at; absolute links use it."""

    @classmethod
    def from_env(cls) -> "Settings":
        """The settings the R2PKG_* variables give (R2PKG_HOME, _BASE, _BUILD_DIR, _SEEDS, _ENDPOINT, _PUBLIC_URL)."""
        return cls()

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
        return self.seeds or self.root.parent / "shared" / "seeds"

    def graph_iri(self, name: str) -> URIRef:
        """The named graph that holds the statements of one data file (its stem) or of the build ('inferred', 'ontology')."""
        return URIRef(f"{DEFAULT_BASE}graph/{name}")


INFERRED_GRAPH = URIRef(f"{DEFAULT_BASE}graph/inferred")
ONTOLOGY_GRAPH = URIRef(f"{DEFAULT_BASE}graph/ontology")
DERIVATIONS_GRAPH = URIRef(f"{DEFAULT_BASE}graph/derivations")
"""How each inferred statement was derived: rule and premises (r2p:Derivation), kept out of what the rules read."""
ID_BASE = f"{DEFAULT_BASE}id/"
