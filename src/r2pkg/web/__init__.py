"""The Flask application: one factory, one blueprint per concern (SPARQL endpoint, pages, browsing, downloads, docs)."""

from __future__ import annotations

import importlib
import logging

from flask import Flask

BLUEPRINT_MODULES = [
    # "r2pkg.web.sparql",     -> the SPARQL 1.1 endpoint (/sparql)
    # "r2pkg.web.pages",      -> entity pages (/id/...)
    # add one line per blueprint module; each module exposes `bp`
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
