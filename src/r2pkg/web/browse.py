"""Index pages per kind of entity and the faceted recommendations browser."""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from rdflib import URIRef

from ..config import INFERRED_GRAPH
from . import backend, settings
from .describe import Describer, sparql_term
from .arguments import INTERPRETED_ARG, include_interpreted, positive_int
from .pages import page_url, requested_lang, term_url

bp = Blueprint("browse", __name__)

PAGE_SIZE = 50
IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Column:
    """A key column of an index page: the values of ?v for each ?x, shown as links, a count or plain text."""

    key: str
    header: str
    pattern: str
    mode: str = "values"  # values | count | text


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    singular: str
    selector: str  # graph pattern binding ?x
    columns: tuple[Column, ...] = field(default_factory=tuple)
    description: str = ""


RECS_APPLYING = Column("recommendations", "Recommendations", "?v r2p:appliesTo ?x .", "count")

KINDS: dict[str, Kind] = {k.slug: k for k in [
    Kind("states", "States", "state", "?x a r2p:State .", (
        Column("iso", "ISO code", "?x r2p:iso3166Alpha3 ?v .", "text"),
        Column("focal-point", "R2P focal point", "?v org:postIn ?x ; a r2p:NationalFocalPointPost ."),
        RECS_APPLYING,
    ), "Every UN member and observer state; a state no source names still has its page and what applies to it."),
    Kind("organisations", "Organisations", "organisation",
         "?x a r2p:Organisation . FILTER NOT EXISTS { ?x a r2p:State }", (
             Column("part-of", "Part of", "?x org:subOrganizationOf ?v ."),
             RECS_APPLYING,
         ), "UN bodies, regional organisations, government bodies, civil-society organisations, networks and others."),
    Kind("networks", "Networks", "network", "?x a r2p:Network .", (
        Column("members", "Members", "?v org:memberOf ?x .", "count"),
        RECS_APPLYING,
    ), "Networks of states and of civil-society organisations."),
    Kind("posts", "Posts", "post", "?x a org:Post .", (
        Column("post-in", "Post in", "?x org:postIn ?v ."),
        Column("holders", "Holders", "?x org:heldBy ?v ."),
        RECS_APPLYING,
    ), "Positions such as special advisers and R2P focal points."),
    Kind("people", "People", "person", "?x a r2p:Person .", (
        Column("posts", "Posts", "?x org:holds ?v ."),
        Column("events", "Events", "?v r2p:participant ?x .", "count"),
    ), "People the sources name."),
    Kind("tools", "Tools and mechanisms", "mechanism", "?x a r2p:Mechanism .", (
        Column("produced-by", "Produced by", "?x r2p:producedBy ?v ."),
        Column("recommendations", "Recommendations", "?v r2p:concernsMechanism ?x .", "count"),
    ), "Tools, policies, agendas, norms and practices used to prevent atrocity crimes."),
    Kind("commitments", "Commitments", "commitment", "?x a r2p:Commitment .", (
        Column("committed-by", "Committed by", "?x r2p:committedBy ?v ."),
        Column("year", "Year", "?x r2p:inYear|r2p:onDate ?v .", "text"),
    ), "Commitments actors made, and through what."),
    Kind("events", "Events", "event", "?x a r2p:Event .", (
        Column("date", "Date", "?x r2p:startDate|r2p:inYearMonth|r2p:inYear ?v .", "text"),
        Column("held-in", "Held in", "?x r2p:heldIn ?v ."),
        Column("recommendations", "Recommendations", "?v r2p:issuedAt ?x .", "count"),
    ), "Meetings, workshops, dialogues, courses and summits."),
    Kind("situations", "Situations", "situation", "?x a r2p:Situation .", (
        Column("state", "State", "?x r2p:situationIn ?v ."),
        Column("recommendations", "Recommendations", "?v r2p:concernsSituation ?x .", "count"),
    ), "Country situations the sources discuss."),
    Kind("recommendations", "Recommendations", "recommendation", "?x a r2p:Recommendation .", (
        Column("source", "Source", "?x r2p:attestedBy/r2p:inDocument ?v ."),
        Column("addressees", "Addressees", "?x r2p:addressedTo ?v .", "count"),
    ), "Every recommendation and suggested action; see also the faceted browser."),
]}


def describer() -> Describer:
    return Describer(backend(), settings().base, requested_lang())


def _count(d: Describer, kind: Kind) -> int:
    rows = d.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {kind.selector} FILTER(isIRI(?x)) }}")
    return int(rows[0]["n"]) if rows else 0


@bp.route("/browse")
def overview():
    d = describer()
    kinds = [(kind, _count(d, kind)) for kind in KINDS.values()]
    return render_template("browse.html", kinds=kinds)


@bp.route("/browse/<slug>")
def kind_index(slug: str):
    kind = KINDS.get(slug)
    if kind is None:
        abort(404, description=f"There is no index of {slug!r}; choose one of: {', '.join(KINDS)}.")
    sort_keys = ["label", "type"] + [c.key for c in kind.columns]
    sort = request.args.get("sort", "label")
    if sort not in sort_keys:
        abort(400, description=f"cannot sort by {sort!r}; choose one of: {', '.join(sort_keys)}")
    order = request.args.get("order", "asc")
    if order not in ("asc", "desc"):
        abort(400, description="order must be asc or desc")
    page = positive_int("page", 1)

    d = describer()
    entities = sorted({r["x"] for r in d.select(f"SELECT DISTINCT ?x WHERE {{ {kind.selector} FILTER(isIRI(?x)) }}")}, key=str)
    types: dict[URIRef, set] = defaultdict(set)
    for row in d.select(
        f"SELECT DISTINCT ?x ?t WHERE {{ {kind.selector} GRAPH ?g {{ ?x a ?t }} FILTER(?g != {sparql_term(INFERRED_GRAPH)}) }}"
    ):
        types[row["x"]].add(row["t"])
    columns: dict[str, dict[URIRef, set]] = {}
    for column in kind.columns:
        values: dict[URIRef, set] = defaultdict(set)
        for row in d.select(f"SELECT DISTINCT ?x ?v WHERE {{ {kind.selector} {column.pattern} }}"):
            values[row["x"]].add(row["v"])
        columns[column.key] = values
    iris = set(entities) | {t for ts in types.values() for t in ts}
    for column in kind.columns:
        if column.mode == "values":
            iris |= {v for vs in columns[column.key].values() for v in vs}
    labels = d.labels(iris)

    def text_of(values) -> str:
        return "; ".join(sorted(labels[v].text if isinstance(v, URIRef) else str(v) for v in values))

    rows = []
    for iri in entities:
        row = {"iri": iri, "url": page_url(iri), "label": labels[iri], "types": sorted(types.get(iri, ()), key=lambda t: labels[t].text),
               "cells": {}}
        for column in kind.columns:
            values = columns[column.key].get(iri, set())
            if column.mode == "count":
                row["cells"][column.key] = len(values)
            else:
                row["cells"][column.key] = sorted(values, key=lambda v: labels[v].text if isinstance(v, URIRef) else str(v))
        rows.append(row)

    def sort_value(row):
        if sort == "label":
            return (row["label"].text.casefold(),)
        if sort == "type":
            return (text_of(row["types"]).casefold(), row["label"].text.casefold())
        column = next(c for c in kind.columns if c.key == sort)
        cell = row["cells"][sort]
        if column.mode == "count":
            return (cell, row["label"].text.casefold())
        return (text_of(cell).casefold(), row["label"].text.casefold())

    rows.sort(key=sort_value, reverse=(order == "desc"))
    total = len(rows)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:
        abort(404, description=f"page {page} is past the last page ({pages}) of {kind.title.lower()}")
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]

    def link(**changes) -> str:
        args = {k: v for k, v in request.args.items()}
        args.update({k: str(v) for k, v in changes.items()})
        return url_for("browse.kind_index", slug=slug) + "?" + urlencode(args)

    def sort_link(key: str) -> str:
        new_order = "desc" if (sort == key and order == "asc") else "asc"
        return link(sort=key, order=new_order, page=1)

    return render_template(
        "browse_kind.html", kind=kind, rows=shown, labels=labels, total=total, page=page, pages=pages,
        sort=sort, order=order, sort_link=sort_link, page_link=lambda n: link(page=n), term_url=term_url,
        first=(page - 1) * PAGE_SIZE + 1 if total else 0, last=(page - 1) * PAGE_SIZE + len(shown),
    )


# --- the recommendations browser ----------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    key: str
    title: str
    pattern: str  # binds ?v for ?rec, as the source states it
    interpreted: str | None = None  # binds ?v for ?rec, as the project's authors read it (only with the switch on)


FACETS = [
    Facet("addressee", "Addressee", "?rec r2p:addressedTo ?v . FILTER NOT EXISTS { ?v a r2p:ActorCategory }",
          "?rec r2p:interpretedAddressee ?v . FILTER NOT EXISTS { ?v a r2p:ActorCategory }"),
    Facet("category", "Addressee category", "?rec r2p:addressedTo ?v . ?v a r2p:ActorCategory .",
          "?rec r2p:interpretedAddressee ?v . ?v a r2p:ActorCategory ."),
    Facet("mechanism", "Mechanism", "?rec r2p:concernsMechanism ?v ."),
    Facet("theme", "Theme", "?rec r2p:hasTheme ?v .", "?rec r2p:interpretedTheme ?v ."),
    Facet("pillar", "Pillar", "?rec r2p:relatesToPillar ?v .", "?rec r2p:interpretedPillar ?v ."),
    Facet("source", "Source", "?rec r2p:attestedBy/r2p:inDocument ?v ."),
    Facet("event", "Event", "?rec r2p:issuedAt ?v ."),
]
FACET_KEYS = [f.key for f in FACETS]
def _selected() -> dict[str, set[URIRef]]:
    """The facet values in the query string; 400 for anything that is not an IRI."""
    selected = {}
    for facet in FACETS:
        values = set()
        for raw in request.args.getlist(facet.key):
            if not IRI_RE.match(raw):
                abort(400, description=f"{facet.key} must be an IRI, not {raw!r}")
            values.add(URIRef(raw))
        if values:
            selected[facet.key] = values
    return selected


def _matches(values: dict[str, set], selected: dict[str, set], skip: str | None = None) -> bool:
    """AND across facets; within one facet, any of the chosen values."""
    return all(values.get(key, set()) & chosen for key, chosen in selected.items() if key != skip)


def recommendation_facets(d: Describer, interpreted: bool = False) -> tuple[list[URIRef], dict, dict]:
    """Every recommendation, its values for each facet (with `interpreted`, the project's readings too), and which
    of those values are interpretations rather than what the source states."""
    recs = sorted({r["rec"] for r in d.select("SELECT DISTINCT ?rec WHERE { ?rec a r2p:Recommendation FILTER(isIRI(?rec)) }")}, key=str)
    values: dict[URIRef, dict[str, set]] = {rec: defaultdict(set) for rec in recs}
    readings: dict[URIRef, dict[str, set]] = {rec: defaultdict(set) for rec in recs}
    for facet in FACETS:
        patterns = [(facet.pattern, values)]
        if interpreted and facet.interpreted:
            patterns.append((facet.interpreted, readings))
        for pattern, target in patterns:
            for row in d.select(f"SELECT DISTINCT ?rec ?v WHERE {{ ?rec a r2p:Recommendation . {pattern} }}"):
                if row["rec"] in values:
                    target[row["rec"]][facet.key].add(row["v"])
    for rec in recs:
        for key, found in readings[rec].items():
            values[rec][key] |= found
    return recs, values, readings


@bp.route("/recommendations")
def recommendations():
    selected = _selected()
    fmt = request.args.get("format")
    if fmt not in (None, "csv", "json"):
        abort(400, description=f"format must be csv or json, not {fmt!r}")
    interpreted = include_interpreted()
    d = describer()
    recs, values, readings = recommendation_facets(d, interpreted)
    results = [rec for rec in recs if _matches(values[rec], selected)]
    descriptions = {}
    for row in d.select("SELECT ?rec ?desc WHERE { ?rec a r2p:Recommendation ; dct:description ?desc }"):
        descriptions.setdefault(row["rec"], str(row["desc"]))
    iris = set(recs) | {v for rec in recs for vs in values[rec].values() for v in vs}
    iris |= {v for chosen in selected.values() for v in chosen}
    labels = d.labels(iris)

    if fmt:
        return _download(fmt, results, values, readings, labels, descriptions)

    facets = []
    for facet in FACETS:
        counts: dict[URIRef, int] = defaultdict(int)
        for rec in recs:
            if _matches(values[rec], selected, skip=facet.key):
                for v in values[rec].get(facet.key, ()):
                    counts[v] += 1
        chosen = selected.get(facet.key, set())
        entries = [
            {"iri": v, "label": labels[v], "count": counts.get(v, 0), "selected": v in chosen,
             "href": _toggle_link(facet.key, v),
             "interpreted_only": interpreted and not any(v in values[rec].get(facet.key, ()) and v not in readings[rec].get(facet.key, ()) for rec in recs)}
            for v in set(counts) | chosen
        ]
        entries.sort(key=lambda e: (not e["selected"], -e["count"], e["label"].text.casefold()))
        facets.append({"facet": facet, "entries": entries, "clear_href": _toggle_link(facet.key, None) if chosen else None})

    active = [(f, v, labels.get(v), _toggle_link(f.key, v)) for f in FACETS for v in sorted(selected.get(f.key, ()), key=str)]
    return render_template(
        "recommendations.html", facets=facets, results=results, values=values, labels=labels,
        descriptions=descriptions, total=len(recs), active=active, page_url=page_url,
        csv_link=_format_link("csv"), json_link=_format_link("json"), readings=readings,
        interpreted=interpreted, interpreted_toggle=_interpreted_link(not interpreted),
    )


def _query_items() -> list[tuple[str, str]]:
    return [(k, v) for k, vs in request.args.lists() for v in vs if k in FACET_KEYS or k in ("lang", INTERPRETED_ARG)]


def _interpreted_link(include: bool) -> str:
    """The browser's URL with the interpreted values switched on or off, other filters kept."""
    items = [(k, v) for k, v in _query_items() if k != INTERPRETED_ARG]
    if include:
        items.append((INTERPRETED_ARG, "include"))
    return url_for("browse.recommendations") + ("?" + urlencode(items) if items else "")


def _toggle_link(key: str, value: URIRef | None) -> str:
    """The browser's URL with one facet value added or removed (None: the whole facet cleared)."""
    items = _query_items()
    if value is None:
        items = [(k, v) for k, v in items if k != key]
    elif (key, str(value)) in items:
        items = [(k, v) for k, v in items if not (k == key and v == str(value))]
    else:
        items.append((key, str(value)))
    return url_for("browse.recommendations") + ("?" + urlencode(items) if items else "")


def _format_link(fmt: str) -> str:
    return url_for("browse.recommendations") + "?" + urlencode(_query_items() + [("format", fmt)])


def _download(fmt: str, results, values, readings, labels, descriptions):
    base_url = request.url_root.rstrip("/")
    records = []
    for rec in results:
        record = {"iri": str(rec), "label": labels[rec].text, "description": descriptions.get(rec, ""),
                  "url": base_url + (page_url(rec) or "")}
        for facet in FACETS:
            record[facet.key] = [{"iri": str(v), "label": labels[v].text,
                                  "basis": "interpreted" if v in readings[rec].get(facet.key, ()) else "stated"}
                                 for v in sorted(values[rec].get(facet.key, ()), key=str)]
        records.append(record)
    filename = "recommendations." + fmt
    if fmt == "json":
        response = jsonify(records)
    else:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        header = ["iri", "label", "description", "url"]
        for facet in FACETS:
            header += [facet.key, facet.key + "_iri"]
        writer.writerow(header)
        for record in records:
            row = [record["iri"], record["label"], record["description"], record["url"]]
            for facet in FACETS:
                row += ["; ".join(v["label"] + (" (interpreted)" if v["basis"] == "interpreted" else "") for v in record[facet.key]),
                        " ".join(v["iri"] for v in record[facet.key])]
            writer.writerow(row)
        response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
