"""Full-text search (labels, alternative labels, descriptions; typo-tolerant; case, accents and script folded):
/api/search (JSON with paging, also behind the autocompletion of the header's search box) and /search (HTML).

Names of entities and of their types are in the request's language where the data has one (the entity pages' pick,
with its once-per-page notice of names in another language). Both are answered once per release, query and
language (`page_cache`): the autocompletion asks the same prefixes again and again."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, jsonify, render_template, request

from rdflib import URIRef

from ..search_index import Hit, SearchIndex
from . import language
from .resources import backend, computed, settings
from .arguments import positive_int
from .describe import Describer
from .description import Label
from .page_cache import cached_page
from .pages import describer, page_url

bp = Blueprint("search", __name__)

API_DEFAULT_LIMIT = 10
API_MAX_LIMIT = 100
PAGE_LIMIT = 200


def label_index() -> SearchIndex:
    """The app's search index, read from the backend on first use and kept for the life of the app."""
    return computed("search_index", lambda: SearchIndex.from_backend(backend(), settings().base))


def entity_name(iri: str, d: Describer) -> Label | None:
    """An entity's name in the reader's language from the index's names in every language (`d.pick`)."""
    return d.pick([Label(text, lang, source=source) for text, lang, source in label_index().labels.get(iri, ())])


def named(hit: Hit, d: Describer) -> tuple[dict, Label | None, Label | None]:
    """A hit as the API gives it, its name and its type's name in the reader's language (`d.pick`, which notes a
    name in another language for the page's notice); with those two labels, for the page to mark their language."""
    index = label_index()
    data = hit.as_json(page_url(URIRef(hit.iri)) or hit.iri)
    name = entity_name(hit.iri, d)
    type_name = d.pick([Label(text, lang) for text, lang in index.type_labels.get(hit.type, ())])
    if name:
        data["label"] = name.text
    if type_name:
        data["type_label"] = type_name.text
    data["type_label"] = data["type_label"][:1].upper() + data["type_label"][1:]
    return data, name, type_name


def hit_json(hit: Hit, d: Describer) -> dict:
    """A hit as the API gives it, named in the reader's language."""
    return named(hit, d)[0]


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
    d = describer()
    response = jsonify({
        "query": query, "page": page, "limit": limit, "total": found.total, "pages": -(-found.total // limit),
        "corrections": found.corrections, "results": [hit_json(hit, d) for hit in found.hits],
    })
    if language.varies():
        response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/search")
@cached_page
def search():
    """HTML results grouped by type, each linking to the entity's page, with the text that matched."""
    query = request.args.get("q", "").strip()
    found = label_index().search_page(query, 0, PAGE_LIMIT) if query else None
    d = describer()
    hits = []
    for hit in found.hits if found else []:
        data, name, type_name = named(hit, d)
        hits.append({**data, "label_lang": name.lang if name else None, "type_lang": type_name.lang if type_name else None})
    groups = [((type_label, type_lang), list(items))
              for (_, type_label, type_lang), items in groupby(hits, key=lambda h: (h["type"], h["type_label"], h["type_lang"]))]
    return render_template("search.html", query=query, hits=hits, groups=groups, limit=PAGE_LIMIT,
                           total=found.total if found else 0, corrections=found.corrections if found else {})
