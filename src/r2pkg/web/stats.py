"""The statistics page: recommendations per addressee type, per addressee category, per theme and per source; actors by type.

Each figure is a chart (chart.js) and the same numbers as a table, declared in web/queries/figures.toml. Most come
from the competency questions in queries/; the addressee types and the totals have their own queries in web/queries/
because no catalogue question asks them. Rows are named in the page's language where the graph has a name in it
(ontology classes such as actor types); other names (themes, categories, sources) are shown in English, and the page
says so once (`describe.Describer.pick`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, render_template
from flask_babel import gettext

from rdflib import URIRef

from ..catalogue import resolve
from ..namespaces import local_name
from . import page_queries
from .collation import text_key
from .description import Label
from .page_cache import cached_page
from .pages import describer
from .resources import backend, settings

bp = Blueprint("stats", __name__)

@dataclass
class Figure:
    """One statistic: rows of (label, count, link or None) shown as a chart and as a table."""

    key: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    rows: list[dict]

    def as_json(self) -> dict:
        return {"key": self.key, "title": gettext(self.title), "value": gettext(self.value_heading),
                "labels": [row["label"] for row in self.rows], "values": [row["count"] for row in self.rows]}

    def name_rows(self, names: dict[URIRef, Label]) -> None:
        """Name each row in the reader's language (`names`, from `Describer.labels`; the answer's own label where the
        graph has none), and put the rows in order of count, then name."""
        for row in self.rows:
            name = names[URIRef(row["iri"])]
            if name.lang is not None or name.text != local_name(row["iri"]):
                row["label"], row["lang"] = _capital(name.text), name.lang
        self.rows.sort(key=lambda r: (-r["count"], text_key(r["label"])))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _browser_link(facet: str, iri: str, interpreted: bool = False, fixed: dict | None = None) -> str:
    """The browser filtered by the row's value for `facet`, and by the `fixed` facet values of the figure."""
    return "/recommendations?" + urlencode({facet: iri, **(fixed or {}),
                                            **({"interpreted": "include"} if interpreted else {})})


def _rows(result, key: str, label: str, count: str, link=None) -> list[dict]:
    """Rows merged by IRI (a label in several languages must not split a count), with the answer's label (English
    first) until `Figure.name_rows` names them in the page's language and puts them in order."""
    merged: dict[str, dict] = {}
    for row in result.rows:
        if key not in row or count not in row:
            continue
        iri = str(row[key])
        term = row.get(label)
        text = str(term) if term is not None else local_name(iri)
        english = term is not None and (getattr(term, "language", None) or "en").startswith("en")
        entry = merged.get(iri)
        if entry is None or (english and not entry["english"]):
            merged[iri] = {"iri": iri, "label": _capital(text), "lang": getattr(term, "language", None),
                           "count": int(row[count]), "english": english, "url": link(iri) if link else None}
    return list(merged.values())


def _actors_link(iri: str) -> str:
    """The index of the actors of one type."""
    return "/browse/actors?" + urlencode({"type": iri})


def _answer(spec: dict):
    """The answer of a figure's query: a competency question or a page query."""
    if "question" in spec:
        return backend().select(resolve(spec["question"], settings()).bind())
    return backend().select(page_queries.query(spec["page-query"]))


def _link(spec: dict):
    """Where a figure's rows point: the actors of the row's type or the browser filtered by the row's value."""
    if spec["link"] == "actors":
        return _actors_link
    fixed = {facet: str(page_queries.term(curie)) for facet, curie in spec.get("filter", {}).items()}
    return lambda iri: _browser_link(spec["link"], iri, interpreted=spec.get("interpreted", False), fixed=fixed)


def figures() -> list[Figure]:
    """Every statistic of the page (web/queries/figures.toml), read from the backend; a query two figures share is
    asked once."""
    answers: dict[str, object] = {}
    found = []
    for spec in page_queries.table("figures")["figure"]:
        source = spec.get("question") or spec["page-query"]
        if source not in answers:
            answers[source] = _answer(spec)
        found.append(Figure(spec["key"], spec["title"], spec["description"], spec["label_heading"],
                            spec["value_heading"], _rows(answers[source], *spec["columns"], link=_link(spec))))
    names = describer().labels(URIRef(row["iri"]) for figure in found for row in figure.rows)
    for figure in found:
        figure.name_rows(names)
    return found


@bp.get("/stats")
@cached_page
def stats():
    """Charts with the same numbers as accessible tables."""
    items = figures()
    totals = backend().select(page_queries.query("recommendation-totals")).rows[0]
    return render_template(
        "stats.html",
        figures=items,
        chart_data=[figure.as_json() for figure in items],
        total_recommendations=int(totals["recommendations"]),
        addressed_recommendations=int(totals["addressed"]),
        interpreted_recommendations=int(totals["interpreted"]),
    )
