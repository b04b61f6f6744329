"""The Flask application: one factory, one blueprint per concern (SPARQL endpoint, pages, browsing, downloads, docs)."""

from __future__ import annotations

import importlib
import logging

from flask import Flask

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
]


def create_app(backend=None, settings=None, test_config: dict | None = None) -> Flask:
    """Build the app around a query backend (embedded store by default, or a remote SPARQL endpoint)."""
    from ..config import Settings

    app = Flask(__name__)
    app.config.from_mapping(
        QUERY_TIMEOUT_SECONDS=20.0,
        QUERY_ROW_LIMIT=10_000,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["r2pkg.settings"] = settings or Settings.from_env()
    if backend is not None:
        app.extensions["r2pkg.backend"] = backend
    for name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(name).bp)
    logging.getLogger("r2pkg.web").setLevel(logging.INFO)
    return app
