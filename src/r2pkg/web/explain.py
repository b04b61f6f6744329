"""/explain: why the graph holds a statement — the derivation tree down to the source spans, as HTML or JSON."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask_babel import gettext
from rdflib import URIRef

from ..explain import Explainer, ExplainError, parse_term
from .negotiation import accepted
from .pages import describer, graph_name, term_url
from .resources import backend

bp = Blueprint("explain", __name__)


def _statement_terms():
    missing = [name for name in ("s", "p", "o") if not request.args.get(name)]
    if missing:
        abort(400, description=gettext("Give the statement to explain as ?s=…&p=…&o=… (missing: %(missing)s); terms "
                                       "are full IRIs or prefixed names, a literal object in N-Triples syntax.",
                                       missing=", ".join(missing)))
    try:
        return (parse_term(request.args["s"], "subject"), parse_term(request.args["p"], "predicate"),
                parse_term(request.args["o"], "object"))
    except ExplainError as error:
        abort(400, description=str(error))


def _iris(explanation, found: set) -> set:
    found |= {t for t in (explanation.subject, explanation.predicate, explanation.object) if isinstance(t, URIRef)}
    if explanation.rule is not None:
        found.add(explanation.rule)
    for support in explanation.asserted:
        found |= {support.graph, *support.outside_sources}
        if support.document is not None:
            found.add(support.document)
        found |= {s.document for s in support.spans}
    for premise in explanation.premises:
        _iris(premise, found)
    return found


@bp.route("/explain")
def explain_page():
    terms = _statement_terms()
    explanation = Explainer(backend()).explain(*terms)
    if not explanation.found:
        abort(404, description=gettext("The graph does not hold the statement %(statement)s.",
                                       statement=" ".join(t.n3() for t in terms)))
    wants_json = request.args.get("format") == "json" or (
        accepted().best_match(["text/html", "application/json"]) == "application/json")
    if wants_json:
        return jsonify(explanation.as_dict())
    d = describer()
    iris = _iris(explanation, set())
    labels = d.labels(iris)
    documents = d.document_titles({i for i in iris if "/id/document/" in str(i)})
    return render_template("explain.html", e=explanation, labels=labels, term_url=term_url, graph_name=graph_name,
                           documents=documents)
