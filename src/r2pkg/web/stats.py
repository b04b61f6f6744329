"""The statistics page: recommendations per addressee type, per addressee category, per theme and per source; actors by type.

Each figure is a chart (chart.js) and the same numbers as a table. Most come from the competency questions in queries/;
the addressee types have their own query here because no catalogue question asks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, render_template

from ..catalogue import resolve
from ..namespaces import PREFIXES
from .resources import backend, settings

bp = Blueprint("stats", __name__)

ADDRESSEE_TYPES_QUERY = """
PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?type (SAMPLE(?label) AS ?type_label) (COUNT(DISTINCT ?recommendation) AS ?recommendations) WHERE {
  ?recommendation a r2p:Recommendation ; r2p:addressedTo ?addressee .
  ?addressee a ?type .
  FILTER(STRSTARTS(STR(?type), STR(r2p:)))
  FILTER NOT EXISTS { ?addressee a ?sub . ?sub rdfs:subClassOf ?type . FILTER(?sub != ?type) }
  OPTIONAL { ?type rdfs:label ?label . FILTER(langMatches(lang(?label), "en") || lang(?label) = "") }
}
GROUP BY ?type
ORDER BY DESC(?recommendations) ?type
"""

TOTALS_QUERY = """
PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
SELECT (COUNT(DISTINCT ?recommendation) AS ?recommendations) (COUNT(DISTINCT ?addressed) AS ?addressed)
       (COUNT(DISTINCT ?interpreted) AS ?interpreted) WHERE {
  ?recommendation a r2p:Recommendation .
  OPTIONAL { ?recommendation r2p:addressedTo ?addressee . BIND(?recommendation AS ?addressed) }
  OPTIONAL { ?recommendation r2p:interpretedAddressee ?reading . BIND(?recommendation AS ?interpreted) }
}
"""


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
        return {"key": self.key, "title": self.title, "value": self.value_heading,
                "labels": [row["label"] for row in self.rows], "values": [row["count"] for row in self.rows]}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _browser_link(facet: str, iri: str, interpreted: bool = False) -> str:
    return "/recommendations?" + urlencode({facet: iri, **({"interpreted": "include"} if interpreted else {})})


def _rows(result, key: str, label: str, count: str, link=None) -> list[dict]:
    """Rows merged by IRI (a label in several languages must not split a count); the English label wins."""
    merged: dict[str, dict] = {}
    for row in result.rows:
        if key not in row or count not in row:
            continue
        iri = str(row[key])
        term = row.get(label)
        text = str(term) if term is not None else _local(iri)
        english = term is not None and (getattr(term, "language", None) or "en").startswith("en")
        entry = merged.get(iri)
        if entry is None or (english and not entry["english"]):
            merged[iri] = {"iri": iri, "label": _capital(text), "count": int(row[count]), "english": english,
                           "url": link(iri) if link else None}
    return sorted(merged.values(), key=lambda r: (-r["count"], r["label"].casefold()))


def _class_link(iri: str) -> str | None:
    """The class's entry in the ontology documentation (anchors are CURIEs with '-' for ':')."""
    ontology_ns = PREFIXES["r2p"]
    return "/ontology#r2p-" + iri[len(ontology_ns):] if iri.startswith(ontology_ns) else None


def _catalogue(name: str):
    return backend().select(resolve(name, settings()).bind())


def figures() -> list[Figure]:
    """Every statistic of the page, read from the backend."""
    return [
        Figure("addressee-types", "Recommendations per addressee type",
               "Each recommendation counted once under the most specific class of each of its addressees; an actor "
               "category (such as States or Civil society) counts as the type Actor category.",
               "Addressee type", "Recommendations",
               _rows(backend().select(ADDRESSEE_TYPES_QUERY), "type", "type_label", "recommendations",
                     link=_class_link)),
        Figure("addressee-categories", "Recommendations per addressee category",
               "Recommendations addressed to a whole category of actors, per category.",
               "Category", "Recommendations",
               _rows(_catalogue("recommendations-by-addressee-category"), "category", "category_label", "recommendations",
                     link=lambda iri: _browser_link("category", iri))),
        Figure("stated-addressees", "Recommendations whose source names the addressee, per source",
               "Recommendations with at least one addressee the source's own words name (stated).",
               "Source document", "Recommendations",
               _rows(_catalogue("addressee-basis-per-source"), "source", "source_label", "with_stated",
                     link=lambda iri: _browser_link("source", iri))),
        Figure("interpreted-addressees", "Recommendations with an addressee read from context, per source",
               "Recommendations whose source names no addressee, or not all of them, and for which the project's "
               "authors read one from the context, with a rationale (interpreted). Kept apart from what the sources state.",
               "Source document", "Recommendations",
               _rows(_catalogue("addressee-basis-per-source"), "source", "source_label", "with_interpreted",
                     link=lambda iri: _browser_link("source", iri, interpreted=True))),
        Figure("pillars", "Recommendations per pillar, by interpretation",
               "No source places a recommendation in a pillar in so many words; these are the project's readings, each "
               "with its rationale, by the pillars' definitions.",
               "Pillar", "Recommendations",
               _rows(_catalogue("recommendations-by-pillar"), "pillar", "pillar_label", "interpreted",
                     link=lambda iri: _browser_link("pillar", iri, interpreted=True))),
        Figure("themes", "Recommendations per theme", "Recommendations under each theme (a recommendation may have several).",
               "Theme", "Recommendations",
               _rows(_catalogue("recommendations-by-theme"), "theme", "theme_label", "recommendations",
                     link=lambda iri: _browser_link("theme", iri))),
        Figure("sources", "Recommendations per source", "Recommendations each source document makes.",
               "Source document", "Recommendations",
               _rows(_catalogue("recommendations-by-source"), "source", "source_label", "recommendations",
                     link=lambda iri: _browser_link("source", iri))),
        Figure("actor-types", "Actors by type", "Actors (states, organisations, people, …) per most specific class.",
               "Actor type", "Actors",
               _rows(_catalogue("actors-by-type"), "type", "type_label", "actors",
                     link=_class_link)),
    ]


@bp.get("/stats")
def stats():
    """Charts with the same numbers as accessible tables."""
    items = figures()
    totals = backend().select(TOTALS_QUERY).rows[0]
    return render_template(
        "stats.html",
        figures=items,
        chart_data=[figure.as_json() for figure in items],
        total_recommendations=int(totals["recommendations"]),
        addressed_recommendations=int(totals["addressed"]),
        interpreted_recommendations=int(totals["interpreted"]),
    )
