"""Label search with prefix autocompletion, tolerant of case and accents: /api/search (JSON) and /search (HTML)."""

from __future__ import annotations

import threading
from itertools import groupby

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from ..search_index import Hit, LabelIndex
from . import backend, settings

bp = Blueprint("search", __name__)

API_DEFAULT_LIMIT = 10
API_MAX_LIMIT = 100
PAGE_LIMIT = 200
_build_lock = threading.Lock()


def label_index() -> LabelIndex:
    """The app's label index, read from the backend on first use and kept for the life of the app."""
    index = current_app.extensions.get("r2pkg.search_index")
    if index is None:
        with _build_lock:
            index = current_app.extensions.get("r2pkg.search_index")
            if index is None:
                index = LabelIndex.from_backend(backend(), settings().base)
                current_app.extensions["r2pkg.search_index"] = index
    return index


def entity_url(iri: str) -> str:
    """The path of the page for an IRI under the graph's base (the same path on this server)."""
    base = settings().base
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def hit_json(hit: Hit) -> dict:
    data = hit.as_json(entity_url(hit.iri))
    data["type_label"] = data["type_label"][:1].upper() + data["type_label"][1:]
    return data


def _limit(raw: str | None) -> int:
    if raw in (None, ""):
        return API_DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"limit must be a whole number, got {raw!r}")
    if value < 1:
        abort(400, description="limit must be at least 1")
    return min(value, API_MAX_LIMIT)


@bp.get("/api/search")
def api_search():
    """JSON list of {iri, label, matched, type, type_label, url}, best first and grouped by type."""
    limit = _limit(request.args.get("limit"))
    query = request.args.get("q", "")
    return jsonify([hit_json(hit) for hit in label_index().search(query, limit)])


@bp.get("/search")
def search():
    """HTML results grouped by type, each linking to the entity's page."""
    query = request.args.get("q", "").strip()
    hits = [hit_json(hit) for hit in label_index().search(query, PAGE_LIMIT)] if query else []
    groups = [(type_label, list(items)) for (_, type_label), items in groupby(hits, key=lambda h: (h["type"], h["type_label"]))]
    return render_template("search.html", query=query, hits=hits, groups=groups, limit=PAGE_LIMIT)
