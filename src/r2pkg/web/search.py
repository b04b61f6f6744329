"""Full-text search (labels, alternative labels, descriptions; typo-tolerant; case, accents and script folded):
/api/search (JSON with paging, also behind the autocompletion of the header's search box) and /search (HTML).

Both are answered once per release and query (`page_cache`): the autocompletion asks the same prefixes again and again."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, jsonify, render_template, request

from rdflib import URIRef

from ..search_index import Hit, SearchIndex
from .resources import backend, computed, settings
from .arguments import positive_int
from .page_cache import cached_page
from .pages import page_url

bp = Blueprint("search", __name__)

API_DEFAULT_LIMIT = 10
API_MAX_LIMIT = 100
PAGE_LIMIT = 200


def label_index() -> SearchIndex:
    """The app's search index, read from the backend on first use and kept for the life of the app."""
    return computed("search_index", lambda: SearchIndex.from_backend(backend(), settings().base))


def hit_json(hit: Hit) -> dict:
    data = hit.as_json(page_url(URIRef(hit.iri)) or hit.iri)
    data["type_label"] = data["type_label"][:1].upper() + data["type_label"][1:]
    return data


@bp.get("/api/search")
@cached_page
def api_search():
    """One page of hits: {query, page, limit, total, pages, corrections, results: [{iri, label, matched, field, type,
    type_label, url, snippet: [{text, match}]}]}, best first and grouped by type. `limit` (1-100, default 10) hits per
    page, `page` from 1; `corrections` maps a query word found nowhere to the words searched instead."""
    limit = min(positive_int("limit", API_DEFAULT_LIMIT), API_MAX_LIMIT)
    page = positive_int("page", 1)
    query = request.args.get("q", "")
    found = label_index().search_page(query, (page - 1) * limit, limit)
    return jsonify({
        "query": query, "page": page, "limit": limit, "total": found.total, "pages": -(-found.total // limit),
        "corrections": found.corrections, "results": [hit_json(hit) for hit in found.hits],
    })


@bp.get("/search")
@cached_page
def search():
    """HTML results grouped by type, each linking to the entity's page, with the text that matched."""
    query = request.args.get("q", "").strip()
    found = label_index().search_page(query, 0, PAGE_LIMIT) if query else None
    hits = [hit_json(hit) for hit in found.hits] if found else []
    groups = [(type_label, list(items)) for (_, type_label), items in groupby(hits, key=lambda h: (h["type"], h["type_label"]))]
    return render_template("search.html", query=query, hits=hits, groups=groups, limit=PAGE_LIMIT,
                           total=found.total if found else 0, corrections=found.corrections if found else {})
