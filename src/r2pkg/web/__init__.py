"""The Flask application: one factory, one blueprint per concern (SPARQL endpoint, pages, browsing, downloads, docs)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping

from flask import Flask

from .. import __version__
from ..config import Limits, Settings
from . import language, resources
from .resources import backend, executor, settings

__all__ = ["create_app", "backend", "executor", "settings"]

BLUEPRINT_MODULES = [
    "r2pkg.web.errors",
    "r2pkg.web.sparql",
    "r2pkg.web.pages",
    "r2pkg.web.browse",
    "r2pkg.web.editor",
    "r2pkg.web.search",
    "r2pkg.web.stats",
    "r2pkg.web.docs",
    "r2pkg.web.downloads",
    "r2pkg.web.explain",
    "r2pkg.web.discovery",
    "r2pkg.web.health",
    "r2pkg.web.sources",
    "r2pkg.web.cite",
    "r2pkg.web.home",
    "r2pkg.web.map",
    "r2pkg.web.timeline",
]

log = logging.getLogger("r2pkg.web")


def create_app(backend=None, settings: Settings | None = None, config: Mapping | None = None) -> Flask:
    """Build the app around a query backend: the given one, a remote endpoint (R2PKG_ENDPOINT), or the current build.

    `config` sets Flask config keys over the defaults: the limits (`config.Limits.CONFIG_KEYS`: QUERY_TIMEOUT_SECONDS,
    QUERY_ROW_LIMIT, QUERY_WORKERS, SPARQL_RATE_LIMIT, ...), ENDPOINT, PUBLIC_URL, TRUSTED_PROXY, SOURCES_DIR, TESTING.
    Whoever makes the app ends it with `resources.close(app)` (else it is closed at interpreter exit).
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.from_mapping(ENDPOINT=settings.endpoint, PUBLIC_URL=settings.public_url, TRUSTED_PROXY=0,
                            SOURCES_DIR=None,  # the folder of the source texts, to show passages (serve --sources)
                            **Limits().as_config())
    if config:
        app.config.from_mapping(config)
    resources.init_app(app, backend, settings)
    language.init_app(app)  # Flask-Babel: templates and views mark their words with _(), in the page's language
    for name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(name).bp)

    @app.context_processor
    def site_context():
        return {"r2pkg_version": __version__, "id_base": settings.base + "id/"}

    from . import http, limits

    http.init_app(app)
    limits.init_app(app)

    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    return app
