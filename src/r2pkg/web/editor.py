"""The query editor (home page and /query), the example catalogue from queries/ as JSON (/api/queries), the choices
for a parameter's form (/api/choices/<kind>), the states' ISO codes for the map view (/api/countries) and short links
for long queries (/api/short-links, /query?s=<id>)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_babel import gettext

from ..catalogue import CatalogueError, CompetencyQuestion, load_catalogue, topic_order
from ..namespaces import PREFIXES, SPARQL_PROLOGUE
from ..shortlinks import ShortLinkError, ShortLinks
from .collation import text_key
from . import language
from .language import N_, closest
from .resources import backend, computed, settings

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


SCRIPT_WORDS = (
    N_("Running…"), N_("The query failed."), N_("No answer from the server."),
    N_("The results were cut at the server's row limit: only the first rows are shown. Add LIMIT and OFFSET, or "
       "narrow the query, to see the rest."),
    N_("The editor component did not load (static/vendor is missing: run `make assets`)."), N_("SPARQL query"),
    N_("yes (true)"), N_("no (false)"), N_("Table"), N_("Chart"), N_("Map"), N_("Timeline"), N_("Graph"),
    N_("Response"), N_("Chart type:"), N_("Bars"), N_("Line"), N_("number of rows"), N_("Share query"),
    N_("Run query"), N_("Simple view"), N_("Ellipse"), N_("Page size:"), N_("Rows per page"),
    N_("Filter query results"), N_("Download result"), N_("Download Results"), N_("Download not supported"),
    N_("Show all"), N_("pagination"), N_("Shorten"), N_("Nothing to autocomplete yet!"), N_("No results."),
    N_("No row matches the filter."), N_("activate to sort"), N_("activate to reverse the order"),
    N_("activate to stop sorting"), N_("First page"), N_("Previous page"), N_("Next page"), N_("Last page"),
    N_("Rows: %(count)s"), N_("Statements: %(count)s"), N_("%(seconds)s s"), N_("ASK answer: %(answer)s"),
    N_("No short link: %(reason)s"), N_("Bar chart of %(values)s per %(label)s"),
    N_("Line chart of %(values)s per %(label)s"), N_("World map of %(value)s per %(place)s"),
    N_("States coloured: %(count)s, by %(value)s (from %(low)s to %(high)s); darker is more."),
    N_("The map could not be drawn: %(reason)s"), N_("Graph (nodes: %(nodes)s, links: %(links)s)"),
    N_("Show the view: %(view)s"), N_("Documentation of the view: %(view)s"),
)
"""The messages the editor's scripts show (static/js/words.js asks by these English words); the page gives them
translated, placeholders such as %(count)s left for the script to fill."""


def param_kind(default: str) -> str | None:
    """The kind of entity a parameter takes (state, mechanism, pillar, …): that of its default IRI under /id/."""
    base = settings().base + "id/"
    if default.startswith(base) and "/" in default[len(base):]:
        return default[len(base):].split("/", 1)[0]
    return None


def catalogue_entry(question: CompetencyQuestion) -> dict:
    """One competency question as the editor and API clients need it; `query` has the parameter defaults filled in."""
    chart = question.chart
    return {
        "name": question.name,
        "title": question.title,
        "question": question.question,
        "topic": question.topic,
        "columns": list(question.columns),
        "params": dict(question.params),
        "param_kinds": {name: param_kind(default) for name, default in question.params.items()},
        "chart": {"kind": chart.kind, "label": chart.label_column, "value": chart.value_column} if chart else None,
        "query": question.bind(),
        "text": question.text,
    }


def catalogue() -> list[dict]:
    return [catalogue_entry(question) for question in load_catalogue(settings())]


SHOWN_WORDS = ("title", "question", "topic")
"""The words of an entry that people read (the catalogues hold them: web/extract.py); the rest is code and names."""


def translated(entry: dict) -> dict:
    """A catalogue entry with its title, question and topic in the request's language; the query text stays English."""
    return {**entry, **{key: gettext(entry[key]) for key in SHOWN_WORDS if entry[key]}}


def short_links() -> ShortLinks:
    """The short-link store of this deployment, in the build folder's state/ (not inside a release)."""
    return ShortLinks(settings().output_dir / "state" / "short-links")


@bp.get("/query")
def editor():
    """The SPARQL editor with the example catalogue. The address says what to load, and a loaded address runs:
    ?example=<name> with its parameters as further arguments (?example=applies-to-actor&actor=state:ghana),
    ?query=<text>, or ?s=<short-link id>. Without any, the editor shows a starting query and runs nothing."""
    entries = [translated(entry) for entry in catalogue()]
    by_name = {entry["name"]: entry for entry in entries}
    example = request.args.get("example", "")
    initial_query, run, error, values = DEFAULT_QUERY, False, "", {}
    if example in by_name:
        question = next(q for q in load_catalogue(settings()) if q.name == example)
        values = {name: request.args[name] for name in question.params if request.args.get(name)}
        try:
            initial_query = question.bind(values)
        except CatalogueError as problem:
            error, values = gettext("These values do not fit the example, so it is loaded with its defaults: "
                                    "%(reason)s", reason=str(problem)), {}
            initial_query = question.bind()
        run = True
    elif request.args.get("s"):
        try:
            initial_query, run = short_links().load(request.args["s"]), True
        except ShortLinkError as problem:
            error = gettext("This short link does not work: %(reason)s.", reason=str(problem))
    elif request.args.get("query"):
        initial_query, run = request.args["query"], True
    else:
        example = ""
    grouped = {gettext(topic): [] for topic in topic_order(settings().queries_dir)}
    for entry in entries:
        grouped.setdefault(entry["topic"], []).append(entry)
    return render_template(
        "editor.html",
        catalogue=entries,
        topics=[(topic, items) for topic, items in grouped.items() if items],
        example=example if example in by_name else "",
        values=values,
        initial_query=initial_query,
        run=run,
        load_error=error,
        script_words={message: gettext(message) for message in SCRIPT_WORDS},
        prefixes=PREFIXES,
        id_base=settings().base,
    )


@bp.post("/api/short-links")
def create_short_link():
    """Store a query text (form field or JSON `query`) under its content hash; answers {id, url}."""
    data = request.get_json(silent=True) if request.is_json else None
    text = (data or {}).get("query") if isinstance(data, dict) else request.form.get("query")
    if not isinstance(text, str):
        return jsonify({"error": "send the query text as 'query'"}), 400
    try:
        identifier = short_links().save(text)
    except ShortLinkError as problem:
        return jsonify({"error": str(problem)}), 413 if "bytes" in str(problem) else 400
    return jsonify({"id": identifier, "url": url_for("editor.editor", s=identifier, _external=True)}), 201


@bp.get("/api/short-links/<identifier>")
def read_short_link(identifier: str):
    """The query text stored under a short-link id, as text/plain."""
    try:
        text = short_links().load(identifier)
    except ShortLinkError as problem:
        abort(404, description=str(problem))
    return text, 200, {"Content-Type": "application/sparql-query; charset=utf-8"}


COUNTRIES_QUERY = SPARQL_PROLOGUE + """
SELECT ?state ?alpha2 ?alpha3 ?numeric ?name WHERE {
  ?state r2p:iso3166Numeric ?numeric .
  OPTIONAL { ?state r2p:iso3166Alpha2 ?alpha2 }
  OPTIONAL { ?state r2p:iso3166Alpha3 ?alpha3 }
  OPTIONAL { ?state rdfs:label ?name }
}
"""


@bp.get("/api/countries")
def countries():
    """Every state with ISO 3166-1 codes as {iri, alpha2, alpha3, numeric, names}: how the map views find a state's
    shape, and its name in each UN language ({language: name}) for the shape's tooltip."""
    return jsonify(computed("countries", _countries))


def _countries() -> list[dict]:
    found: dict[str, dict] = {}
    for row in backend().select(COUNTRIES_QUERY).rows:
        state = found.setdefault(str(row["state"]), {
            "iri": str(row["state"]), "alpha2": str(row.get("alpha2") or ""), "alpha3": str(row.get("alpha3") or ""),
            "numeric": str(row["numeric"]), "names": {}})
        lang = closest(getattr(row.get("name"), "language", None))
        if lang:
            state["names"][lang] = str(row["name"])
    return sorted(found.values(), key=lambda item: item["numeric"])


@bp.get("/api/choices/<kind>")
def choices(kind: str):
    """Every entity of one kind (state, mechanism, pillar, …) as {iri, label}, named in the request's language
    (?lang=, the cookie, Accept-Language; else English) and sorted by name: the options of a form."""
    from .pages import describer
    from .search import entity_name, label_index

    base = settings().base + "id/" + kind + "/"
    d = describer()
    found = []
    for iri, english in label_index().display.items():
        if iri.startswith(base):
            name = entity_name(iri, d)
            found.append({"iri": iri, "label": name.text if name else english})
    response = jsonify(sorted(found, key=lambda item: (text_key(item["label"]), item["iri"])))
    if language.varies():
        response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/api/queries")
def api_queries():
    """The example catalogue as JSON: name, title, question, topic, columns, params, chart and query text of each
    entry. Title, question and topic are English unless the address asks for a language (?lang=fr): a program gets
    the same answer whatever its Accept-Language or the switcher's cookie; the query texts stay English."""
    language.requested()
    lang, from_address = language.language_of(request)
    response = jsonify([translated(entry) for entry in catalogue()] if from_address else catalogue())
    response.headers["Content-Language"] = lang if from_address else language.DEFAULT
    return response
