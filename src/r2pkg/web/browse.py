"""Index pages per kind of entity and the faceted recommendations browser."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from rdflib import URIRef

from . import page_queries
from .arguments import INTERPRETED_ARG, IRI_RE, checked, include_interpreted, iris, one_of, positive_int
from .collation import by_label, text_key
from .describe import Describer
from .page_cache import cached_page
from .pages import describer, page_url, term_url

bp = Blueprint("browse", __name__)

PAGE_SIZE = 50


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


def _kinds() -> dict[str, Kind]:
    """The index pages declared in web/queries/kinds.rq, each with the column blocks that follow it."""
    kinds: list[Kind] = []
    for block in page_queries.blocks("kinds"):
        h = block.header
        if block.kind == "kind":
            kinds.append(Kind(h["kind"], h["title"], h["singular"], block.pattern, (), h.get("description", "")))
        else:
            column = Column(h["column"], h["header"], block.pattern, h.get("show", "values"))
            kinds[-1] = replace(kinds[-1], columns=kinds[-1].columns + (column,))
    return {kind.slug: kind for kind in kinds}


KINDS = _kinds()


def _count(d: Describer, kind: Kind) -> int:
    rows = d.select("kind-count", selector=kind.selector)
    return int(rows[0]["n"]) if rows else 0


@bp.route("/browse")
@cached_page
def overview():
    d = describer()
    kinds = [(kind, _count(d, kind)) for kind in KINDS.values()]
    return render_template("browse.html", kinds=kinds)


@bp.route("/browse/<slug>")
@cached_page
def kind_index(slug: str):
    kind = KINDS.get(slug)
    if kind is None:
        abort(404, description=gettext("There is no index of %(name)s; choose one of: %(choices)s.", name=repr(slug),
                                       choices=", ".join(KINDS)))
    sort, order = _index_order(kind)
    page = positive_int("page", 1)
    only = _only_type()
    d = describer()
    rows, labels = _index_rows(d, replace(kind, selector=f"{kind.selector} ?x a {only.n3()} .") if only else kind)
    only_label = d.labels([only])[only] if only else None
    rows.sort(key=lambda row: _sort_value(kind, sort, labels, row), reverse=(order == "desc"))
    total = len(rows)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:
        abort(404, description=gettext("Page %(page)s is past the last page (%(pages)s) of this index.", page=page,
                                       pages=pages))
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
        only=only, only_label=only_label,
        sort_titles={"label": gettext("Name"), "type": gettext("Type"), **{c.key: gettext(c.header) for c in kind.columns}},
        first=(page - 1) * PAGE_SIZE + 1 if total else 0, last=(page - 1) * PAGE_SIZE + len(shown),
    )


def _only_type() -> URIRef | None:
    """?type=: the class an index page keeps (the statistics link to the actors of one type); 400 for a non-IRI."""
    raw = checked("type", IRI_RE, _l("the IRI of a class"))
    return URIRef(raw) if raw is not None else None


def _index_order(kind: Kind) -> tuple[str, str]:
    """?sort= (label, type or a column's key) and ?order= (asc, desc) of an index page; 400 for anything else."""
    sort_keys = ["label", "type"] + [c.key for c in kind.columns]
    return one_of("sort", sort_keys, "label"), one_of("order", ("asc", "desc"), "asc")


def _index_rows(d: Describer, kind: Kind) -> tuple[list[dict], dict]:
    """Every thing of an index page with its asserted types and its cells, and the labels of all they name."""
    entities = sorted({r["x"] for r in d.select("kind-members", selector=kind.selector)}, key=str)
    types: dict[URIRef, set] = defaultdict(set)
    for row in d.select("kind-types", selector=kind.selector):
        types[row["x"]].add(row["t"])
    columns: dict[str, dict[URIRef, set]] = {}
    for column in kind.columns:
        values: dict[URIRef, set] = defaultdict(set)
        for row in d.select("kind-column", selector=kind.selector, column=column.pattern):
            values[row["x"]].add(row["v"])
        columns[column.key] = values
    iris = set(entities) | {t for ts in types.values() for t in ts}
    for column in kind.columns:
        if column.mode == "values":
            iris |= {v for vs in columns[column.key].values() for v in vs}
    labels = d.labels(iris)

    def value_key(v) -> tuple:
        return text_key(labels[v].text if isinstance(v, URIRef) else str(v))

    rows = []
    for iri in entities:
        cells = {}
        for column in kind.columns:
            values = columns[column.key].get(iri, set())
            cells[column.key] = len(values) if column.mode == "count" else sorted(values, key=value_key)
        rows.append({"iri": iri, "url": page_url(iri), "label": labels[iri],
                     "types": sorted(types.get(iri, ()), key=lambda t: text_key(labels[t].text)), "cells": cells})
    return rows, labels


def _sort_value(kind: Kind, sort: str, labels: dict, row: dict) -> tuple:
    """An index row's place when sorted by `sort`; ties by label."""
    label = text_key(row["label"].text)
    if sort == "label":
        return (label,)
    if sort == "type":
        return (text_key(_text_of(labels, row["types"])), label)
    column = next(c for c in kind.columns if c.key == sort)
    cell = row["cells"][sort]
    if column.mode == "count":
        return (cell, label)
    return (text_key(_text_of(labels, cell)), label)


def _text_of(labels: dict, values) -> str:
    return "; ".join(sorted((labels[v].text if isinstance(v, URIRef) else str(v) for v in values), key=text_key))


# --- the recommendations browser ----------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    key: str
    title: str
    pattern: str  # binds ?v for ?rec, as the source states it
    interpreted: str | None = None  # binds ?v for ?rec, as the project's authors read it (only with the switch on)


def _facets() -> list[Facet]:
    """The browser's facets declared in web/queries/facets.rq, each with its `interpreted` block if it has one."""
    facets: list[Facet] = []
    for block in page_queries.blocks("facets"):
        if block.kind == "facet":
            facets.append(Facet(block.header["facet"], block.header["title"], block.pattern))
        else:
            facets[-1] = replace(facets[-1], interpreted=block.pattern)
    return facets


FACETS = _facets()
FACET_KEYS = [f.key for f in FACETS]
def _selected() -> dict[str, set[URIRef]]:
    """The facet values in the query string; 400 for anything that is not an IRI."""
    selected = {}
    for facet in FACETS:
        values = iris(facet.key)
        if values:
            selected[facet.key] = values
    return selected


def _matches(values: dict[str, set], selected: dict[str, set], skip: str | None = None) -> bool:
    """AND across facets; within one facet, any of the chosen values."""
    return all(values.get(key, set()) & chosen for key, chosen in selected.items() if key != skip)


def recommendation_facets(d: Describer, interpreted: bool = False) -> tuple[list[URIRef], dict, dict]:
    """Every recommendation, its values for each facet (with `interpreted`, the project's readings too), and which
    of those values are interpretations rather than what the source states."""
    recs = sorted({r["rec"] for r in d.select("recommendations")}, key=str)
    values: dict[URIRef, dict[str, set]] = {rec: defaultdict(set) for rec in recs}
    readings: dict[URIRef, dict[str, set]] = {rec: defaultdict(set) for rec in recs}
    for facet in FACETS:
        patterns = [(facet.pattern, values)]
        if interpreted and facet.interpreted:
            patterns.append((facet.interpreted, readings))
        for pattern, target in patterns:
            for row in d.select("facet-values", facet=pattern):
                if row["rec"] in values:
                    target[row["rec"]][facet.key].add(row["v"])
    for rec in recs:
        for key, found in readings[rec].items():
            values[rec][key] |= found
    return recs, values, readings


@bp.route("/recommendations")
@cached_page
def recommendations():
    selected = _selected()
    fmt = one_of("format", ("csv", "json"), None)
    interpreted = include_interpreted()
    d = describer()
    recs, values, readings = recommendation_facets(d, interpreted)
    results = [rec for rec in recs if _matches(values[rec], selected)]
    descriptions = {}
    for row in d.select("recommendation-descriptions"):
        descriptions.setdefault(row["rec"], str(row["desc"]))
    iris = set(recs) | {v for rec in recs for vs in values[rec].values() for v in vs}
    iris |= {v for chosen in selected.values() for v in chosen}
    labels = d.labels(iris)
    in_order = by_label(labels)
    results.sort(key=in_order)

    if fmt:
        return _download(fmt, results, values, readings, labels, descriptions, in_order)

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
        entries.sort(key=lambda e: (not e["selected"], -e["count"], in_order(e["iri"])))
        facets.append({"facet": facet, "entries": entries, "clear_href": _toggle_link(facet.key, None) if chosen else None})

    active = [(f, v, labels.get(v), _toggle_link(f.key, v)) for f in FACETS for v in sorted(selected.get(f.key, ()), key=in_order)]
    return render_template(
        "recommendations.html", facets=facets, results=results, values=values, labels=labels,
        descriptions=descriptions, total=len(recs), active=active, page_url=page_url,
        csv_link=_format_link("csv"), json_link=_format_link("json"), readings=readings,
        interpreted=interpreted, interpreted_toggle=_interpreted_link(not interpreted),
        in_label_order=lambda iris: sorted(iris, key=in_order),
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


def _download(fmt: str, results, values, readings, labels, descriptions, in_order):
    base_url = request.url_root.rstrip("/")
    records = []
    for rec in results:
        record = {"iri": str(rec), "label": labels[rec].text, "description": descriptions.get(rec, ""),
                  "url": base_url + (page_url(rec) or "")}
        for facet in FACETS:
            record[facet.key] = [{"iri": str(v), "label": labels[v].text,
                                  "basis": "interpreted" if v in readings[rec].get(facet.key, ()) else "stated"}
                                 for v in sorted(values[rec].get(facet.key, ()), key=in_order)]
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
