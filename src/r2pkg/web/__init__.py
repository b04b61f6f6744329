"""The Flask application: one factory, one blueprint per concern (SPARQL endpoint, pages, browsing, downloads, docs)."""

from __future__ import annotations

import importlib
import logging
import os

from flask import Flask, current_app

from .. import __version__

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


def create_app(backend=None, settings=None, test_config: dict | None = None) -> Flask:
    """Build the app around a query backend: the given one, a remote endpoint (R2PKG_ENDPOINT), or the current build."""
    from ..config import Settings
    from ..executor import QueryExecutor
    from ..store import EmbeddedBackend, RemoteBackend, dataset_path

    app = Flask(__name__)
    app.config.from_mapping(
        QUERY_TIMEOUT_SECONDS=20.0,
        QUERY_ROW_LIMIT=10_000,
        QUERY_WORKERS=2,
        ENDPOINT=os.environ.get("R2PKG_ENDPOINT"),
        PUBLIC_URL=os.environ.get("R2PKG_PUBLIC_URL"),
        TRUSTED_PROXY=0,
        SOURCES_DIR=None,  # a folder of the source texts, to show passages (r2pkg serve --sources)
    )
    if test_config:
        app.config.from_mapping(test_config)
    settings = settings or Settings.from_env()
    app.extensions["r2pkg.settings"] = settings
    if backend is None:
        if app.config["ENDPOINT"]:
            backend = RemoteBackend(app.config["ENDPOINT"], timeout=app.config["QUERY_TIMEOUT_SECONDS"])
        else:
            backend = EmbeddedBackend.from_file(dataset_path(settings))
    app.extensions["r2pkg.backend"] = backend
    app.extensions["r2pkg.executor"] = QueryExecutor.for_backend(
        backend,
        workers=app.config["QUERY_WORKERS"],
        timeout=app.config["QUERY_TIMEOUT_SECONDS"],
        row_limit=app.config["QUERY_ROW_LIMIT"],
    )
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


def backend():
    """The query backend of the running app (embedded store or remote endpoint)."""
    return current_app.extensions["r2pkg.backend"]


def executor():
    """The pool of worker processes that runs the users' SPARQL queries (started on first use, closed at exit)."""
    return current_app.extensions["r2pkg.executor"]


def settings():
    """The Settings of the running app."""
    return current_app.extensions["r2pkg.settings"]
