"""Health checks for a process supervisor or a load balancer: /healthz (the process answers) and /readyz (the store
is loaded and a trivial query answers). Never cached, never rate-limited."""

from __future__ import annotations

import time

from flask import Blueprint, jsonify

from .. import __version__
from .resources import backend, draining

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", version=__version__)


@bp.get("/readyz")
def readyz():
    if draining():
        return jsonify(status="stopping"), 503, {"Retry-After": "5"}
    started = time.perf_counter()
    try:
        ready = backend().ask("ASK { ?s ?p ?o }")
    except Exception as error:  # the store is down or not loaded: not ready, whatever the cause
        return jsonify(status="unavailable", reason=f"{type(error).__name__}: {error}"[:300]), 503, {"Retry-After": "5"}
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    if not ready:
        return jsonify(status="unavailable", reason="the store holds no statements"), 503, {"Retry-After": "5"}
    return jsonify(status="ready", store=type(backend()).__name__, query_ms=elapsed)
