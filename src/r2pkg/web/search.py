"""Label search with prefix autocompletion, tolerant of case and accents: /api/search (JSON) and /search (HTML)."""

from __future__ import annotations

import threading
from itertools import groupby

from flask import Blueprint, current_app, jsonify, render_template, request

from rdflib import URIRef

from ..search_index import Hit, LabelIndex
from . import backend, settings
from .arguments import positive_int
from .pages import page_url

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


def hit_json(hit: Hit) -> dict:
    data = hit.as_json(page_url(URIRef(hit.iri)) or hit.iri)
    data["type_label"] = data["type_label"][:1].upper() + data["type_label"][1:]
    return data


@bp.get("/api/search")
def api_search():
    """JSON list of {iri, label, matched, type, type_label, url}, best first and grouped by type."""
    limit = min(positive_int("limit", API_DEFAULT_LIMIT), API_MAX_LIMIT)
    query = request.args.get("q", "")
    return jsonify([hit_json(hit) for hit in label_index().search(query, limit)])


@bp.get("/search")
def search():
    """HTML results grouped by type, each linking to the entity's page."""
    query = request.args.get("q", "").strip()
    hits = [hit_json(hit) for hit in label_index().search(query, PAGE_LIMIT)] if query else []
    groups = [(type_label, list(items)) for (_, type_label), items in groupby(hits, key=lambda h: (h["type"], h["type_label"]))]
    return render_template("search.html", query=query, hits=hits, groups=groups, limit=PAGE_LIMIT)
