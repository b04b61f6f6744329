"""The query editor (home page and /query) and the example catalogue from queries/ as JSON (/api/queries)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from ..catalogue import CompetencyQuestion, load_catalogue
from ..namespaces import PREFIXES
from . import settings

bp = Blueprint("editor", __name__)

DEFAULT_QUERY = """PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Recommendations and whom they are addressed to
SELECT ?recommendation ?label ?addressee WHERE {
  ?recommendation a r2p:Recommendation ;
      rdfs:label ?label ;
      r2p:addressedTo ?addressee .
}
ORDER BY ?recommendation
LIMIT 50
"""


def catalogue_entry(question: CompetencyQuestion) -> dict:
    """One competency question as the editor and API clients need it; `query` has the parameter defaults filled in."""
    chart = question.chart
    return {
        "name": question.name,
        "title": question.title,
        "question": question.question,
        "columns": list(question.columns),
        "params": dict(question.params),
        "chart": {"kind": chart.kind, "label": chart.label_column, "value": chart.value_column} if chart else None,
        "query": question.bind(),
        "text": question.text,
    }


def catalogue() -> list[dict]:
    return [catalogue_entry(question) for question in load_catalogue(settings())]


@bp.get("/")
@bp.get("/query")
def editor():
    """The SPARQL editor with the example catalogue; ?example=<name> loads (and runs) one, ?query= loads a text."""
    entries = catalogue()
    names = {entry["name"] for entry in entries}
    example = request.args.get("example", "")
    return render_template(
        "editor.html",
        catalogue=entries,
        example=example if example in names else "",
        initial_query=request.args.get("query") or DEFAULT_QUERY,
        prefixes=PREFIXES,
        id_base=settings().base,
    )


@bp.get("/api/queries")
def api_queries():
    """The example catalogue as JSON: name, title, question, columns, params, chart and query text of each entry."""
    return jsonify(catalogue())
