"""What lets other tools find their way: the JSON-LD context at a stable address, robots.txt, sitemap.xml of every
entity page, and the OpenAPI description of the JSON API. Absolute URLs come from the configured public address."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, request, url_for

from ..export import load_context
from .resources import backend, computed, settings
from .browse import FACETS, INTERPRETED_ARG

bp = Blueprint("discovery", __name__)


@bp.get("/context.jsonld")
def context():
    """The JSON-LD context of the dumps and of every entity's JSON-LD (generated from the ontology)."""
    body = json.dumps(load_context(settings()), indent=2, ensure_ascii=False) + "\n"
    return Response(body, mimetype="application/ld+json")


@bp.get("/robots.txt")
def robots():
    """Crawlers may read every page; the endpoint, the API, search and facet combinations are not for them."""
    lines = ["User-agent: *", "Disallow: /sparql", "Disallow: /api/", "Disallow: /search",
             "Disallow: /recommendations?", "Disallow: /query?", "Allow: /", "",
             f"Sitemap: {url_for('discovery.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


def entity_pages() -> list[str]:
    """The path of every entity page, asked once per app (the data of a running app does not change)."""
    return computed("entity_pages", _entity_pages)


def _entity_pages() -> list[str]:
    base = settings().base + "id/"
    rows = backend().select(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}")) }} '
        "ORDER BY ?s").rows
    return ["/id/" + str(row["s"])[len(base):] for row in rows]


SITEMAP_PAGES = ["/", "/query", "/sources", "/map", "/timeline", "/browse", "/recommendations", "/stats", "/ontology", "/shapes", "/downloads"]


@bp.get("/sitemap.xml")
def sitemap():
    """Every entity page and the site's own pages, as absolute URLs of the public address."""
    from .http import release_key

    root = request.url_root.rstrip("/")
    _, built = release_key(current_app)
    modified = built.date().isoformat()
    urls = [f"  <url><loc>{escape(root + path)}</loc><lastmod>{modified}</lastmod></url>"
            for path in SITEMAP_PAGES + entity_pages()]
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(urls) + "\n</urlset>\n")
    return Response(body, mimetype="application/xml")


def openapi_document() -> dict:
    """OpenAPI 3.1 for the JSON API: label search, the queries catalogue, the recommendations with their facets."""
    from .search import API_DEFAULT_LIMIT, API_MAX_LIMIT

    reference = {"type": "object", "required": ["iri", "label"],
                 "properties": {"iri": {"type": "string", "format": "uri"}, "label": {"type": "string"},
                                "basis": {"type": "string", "enum": ["stated", "interpreted"],
                                          "description": "stated by the source, or read from its context"}}}
    error = {"description": "A bad parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    facet_parameters = [
        {"name": facet.key, "in": "query", "required": False, "description": f"{facet.title}: keep recommendations "
         "with this IRI (repeat for several; values of one facet are alternatives, facets combine)",
         "schema": {"type": "array", "items": {"type": "string", "format": "uri"}}, "style": "form", "explode": True}
        for facet in FACETS]
    return {
        "openapi": "3.1.0",
        "info": {"title": "r2pkg JSON API", "version": current_app.config.get("API_VERSION", "1"),
                 "description": "Label search, the catalogue of competency questions and the faceted recommendations "
                                "of the Responsibility to Protect knowledge graph. SPARQL: see /sparql.",
                 "license": {"name": "CC BY 4.0 (data)", "url": "https://creativecommons.org/licenses/by/4.0/"}},
        "servers": [{"url": request.url_root.rstrip("/")}],
        "paths": {
            "/api/search": {"get": {
                "operationId": "search", "summary": "Entities whose labels start with the words given",
                "parameters": [
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"},
                     "description": "words or word prefixes; case and accents do not matter"},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "default": API_DEFAULT_LIMIT,
                                "maximum": API_MAX_LIMIT}}],
                "responses": {"200": {"description": "One page of hits, best first, with the totals", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/SearchPage"}}}},
                    "400": error}}},
            "/api/queries": {"get": {
                "operationId": "queries", "summary": "The catalogue of competency questions (SPARQL examples)",
                "parameters": [{"name": "lang", "in": "query", "required": False,
                                "description": "a UN language (ar, zh, en, fr, ru, es) for titles, questions and "
                                               "topics; English without it, whatever Accept-Language says",
                                "schema": {"type": "string"}}],
                "responses": {"200": {"description": "One entry per question", "content": {
                    "application/json": {"schema": {"type": "array",
                                                    "items": {"$ref": "#/components/schemas/Question"}}}}}}}},
            "/recommendations": {"get": {
                "operationId": "recommendations", "summary": "Recommendations, filtered by facets",
                "parameters": [{"name": "format", "in": "query", "required": True,
                                "schema": {"type": "string", "enum": ["json", "csv"]}},
                               {"name": INTERPRETED_ARG, "in": "query", "required": False,
                                "description": "include the addressees, themes and pillars read from context",
                                "schema": {"type": "string", "enum": ["include", "exclude"], "default": "exclude"}}]
                              + facet_parameters,
                "responses": {"200": {"description": "The recommendations that match", "content": {
                    "application/json": {"schema": {"type": "array",
                                                    "items": {"$ref": "#/components/schemas/Recommendation"}}},
                    "text/csv": {"schema": {"type": "string"}}}}, "400": error}}},
        },
        "components": {"schemas": {
            "SearchPage": {"type": "object", "required": ["query", "page", "limit", "total", "pages", "results"],
                           "properties": {
                               "query": {"type": "string"}, "page": {"type": "integer"}, "limit": {"type": "integer"},
                               "total": {"type": "integer"}, "pages": {"type": "integer"},
                               "corrections": {"type": "object", "additionalProperties": {"type": "string"},
                                               "description": "Words found nowhere, and what they were read as"},
                               "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}}}},
            "Hit": {"type": "object", "required": ["iri", "label", "type", "url"], "properties": {
                "iri": {"type": "string", "format": "uri"}, "label": {"type": "string"},
                "matched": {"type": "string", "description": "the label or alternative label that matched"},
                "type": {"type": "string", "format": "uri"}, "type_label": {"type": "string"},
                "url": {"type": "string", "description": "the entity's page on this site"}}},
            "Question": {"type": "object", "required": ["name", "title", "query"], "properties": {
                "name": {"type": "string"}, "title": {"type": "string"}, "question": {"type": "string"},
                "topic": {"type": "string"},
                "columns": {"type": "array", "items": {"type": "string"}},
                "params": {"type": "object", "additionalProperties": {"type": "string"}},
                "chart": {"type": ["object", "null"]}, "query": {"type": "string"}, "text": {"type": "string"}}},
            "Recommendation": {"type": "object", "required": ["iri", "label", "url"], "properties": {
                "iri": {"type": "string", "format": "uri"}, "label": {"type": "string"},
                "description": {"type": "string"}, "url": {"type": "string", "format": "uri"},
                **{facet.key: {"type": "array", "items": reference} for facet in FACETS}}},
            "Error": {"type": "object", "required": ["error", "status", "message"], "properties": {
                "error": {"type": "string"}, "status": {"type": "integer"}, "message": {"type": "string"}}},
        }},
    }


@bp.get("/openapi.json")
@bp.get("/api/openapi.json")
def openapi():
    return Response(json.dumps(openapi_document(), indent=1) + "\n", mimetype="application/json")
