"""Ontology and shapes documentation at /ontology and /shapes, with the RDF by content negotiation.

The documentation is read from the project's own files; instance counts and examples come from the live data. The
ontology's classes and properties are named in the page's language (the ontology labels each in the six UN
languages); their definitions are in English, which the page's notice of names in another language says once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, render_template
from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from ..namespaces import SPARQL_PROLOGUE
from .collation import text_key
from .describe import Describer
from .description import Label
from .language import current_language, note_fallback
from .resources import backend, cache, settings
from .negotiation import choose, rdf_response
from .pages import describer, page_url

bp = Blueprint("docs", __name__)

EXAMPLES_PER_TERM = 5
SHAPES_LANGUAGE = "en"
"""The language of the shapes' names and messages (plain literals in shapes/*.ttl, read by the build's reports too)."""


@dataclass
class Term:
    """One class or property as the documentation shows it."""

    iri: str
    curie: str
    label: str
    definition: str = ""
    label_lang: str | None = None
    definition_lang: str | None = None
    kinds: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    count: int = 0
    examples: list[tuple[str, Label]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.curie.replace(":", "-")


def _graph(key: str, path) -> Graph:
    graphs = cache("docs")
    if key not in graphs:
        graph = Graph()
        graph.parse(path, format="turtle")
        graphs[key] = graph
    return graphs[key]


def _curie(graph: Graph, node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (ValueError, KeyError):
            return str(node)
    return "(anonymous)"


def _class_names(graph: Graph, node) -> list[str]:
    """A class expression as curies: a named class, or the members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return [_curie(graph, node)]
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return [_curie(graph, member) for member in Collection(graph, union)]
    return ["(class expression)"]


def _text(graph: Graph, node, *predicates) -> str:
    for predicate in predicates:
        values = list(graph.objects(node, predicate))
        english = [v for v in values if getattr(v, "language", None) in ("en", None)]
        if english:
            return str(english[0])
    return ""


def _picked(d: Describer, graph: Graph, node, *predicates) -> Label | None:
    """The value of the first of `predicates` that `node` has, in the page's language if there is one (`d.pick`)."""
    for predicate in predicates:
        found = d.pick([Label(str(v), getattr(v, "language", None)) for v in graph.objects(node, predicate)])
        if found is not None:
            return found
    return None


def _term(d: Describer, graph: Graph, node) -> Term:
    """A class or property with its name and definition in the page's language where the ontology has them."""
    label = _picked(d, graph, node, RDFS.label)
    definition = _picked(d, graph, node, SKOS.definition, RDFS.comment)
    return Term(str(node), _curie(graph, node), label.text if label else _curie(graph, node),
                definition.text if definition else "", label.lang if label else None,
                definition.lang if definition else None)


def _usage() -> tuple[dict[str, int], dict[str, int], dict[str, list[tuple[str, str]]]]:
    """Instances per class, statements per property and example instances per class, from the live data."""
    classes = {r["c"]: int(r["n"]) for r in backend().select(
        "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c").rows}
    properties = {r["p"]: int(r["n"]) for r in backend().select(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p").rows}
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = backend().select(
        SPARQL_PROLOGUE + "SELECT ?c ?x (SAMPLE(?l) AS ?label) "
        "WHERE { ?x a ?c ; rdfs:label ?l FILTER (langMatches(lang(?l), 'en')) } GROUP BY ?c ?x ORDER BY ?c ?label").rows
    for row in rows:
        bucket = examples[str(row["c"])]
        if len(bucket) < EXAMPLES_PER_TERM:
            bucket.append((str(row["x"]), str(row["label"])))
    return ({str(k): v for k, v in classes.items()}, {str(k): v for k, v in properties.items()}, examples)


def _terms(graph: Graph) -> tuple[list[Term], list[Term]]:
    counts, uses, examples = _usage()
    d = describer()
    classes: dict[URIRef, Term] = {}
    for node in sorted(set(graph.subjects(RDF.type, OWL.Class))):
        if not isinstance(node, URIRef):
            continue
        term = _term(d, graph, node)
        term.parents = [_curie(graph, p) for p in graph.objects(node, RDFS.subClassOf) if isinstance(p, URIRef)]
        term.children = sorted(_curie(graph, c) for c in graph.subjects(RDFS.subClassOf, node) if isinstance(c, URIRef))
        term.count = counts.get(str(node), 0)
        term.examples = examples.get(str(node), [])  # (IRI, English label) until named below
        classes[node] = term
    properties: list[Term] = []
    kinds = {OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype", OWL.AnnotationProperty: "annotation",
             OWL.TransitiveProperty: "transitive", OWL.SymmetricProperty: "symmetric", OWL.FunctionalProperty: "functional"}
    for node in sorted({s for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
                        for s in graph.subjects(RDF.type, kind)}):
        if not isinstance(node, URIRef):
            continue
        term = _term(d, graph, node)
        term.kinds = sorted(kinds[k] for k in graph.objects(node, RDF.type) if k in kinds)
        term.parents = [_curie(graph, p) for p in graph.objects(node, RDFS.subPropertyOf)]
        term.domain = [name for d in graph.objects(node, RDFS.domain) for name in _class_names(graph, d)]
        term.range = [name for r in graph.objects(node, RDFS.range) for name in _class_names(graph, r)]
        term.inverse = [_curie(graph, i) for i in set(graph.objects(node, OWL.inverseOf)) | set(graph.subjects(OWL.inverseOf, node))]
        term.count = uses.get(str(node), 0)
        properties.append(term)
    names = d.labels(URIRef(iri) for term in classes.values() for iri, _ in term.examples)
    for term in classes.values():  # the same examples in every language, each named in the page's
        term.examples = [(iri, names[URIRef(iri)]) for iri, _ in term.examples]
    by_label = lambda t: (not t.curie.startswith("r2p:"), text_key(t.label))  # noqa: E731 - project terms first
    return sorted(classes.values(), key=by_label), sorted(properties, key=by_label)


@bp.route("/ontology")
@bp.route("/ontology.<suffix>")
def ontology(suffix: str | None = None):
    """The ontology: HTML documentation for people, the OWL file for tools."""
    graph = _graph("ontology", settings().ontology_file)
    fmt = choose(suffix)
    if fmt is not None:
        return rdf_response(graph, fmt)
    header = URIRef("https://w3id.org/r2pkg/ontology")
    classes, properties = _terms(graph)
    d = describer()
    meta = {
        "title": _picked(d, graph, header, DCTERMS.title),
        "description": _picked(d, graph, header, DCTERMS.description),
        "version": str(graph.value(header, OWL.versionIRI) or ""),
        "license": str(graph.value(header, URIRef("http://purl.org/dc/terms/license")) or ""),
    }
    return render_template("ontology.html", meta=meta, classes=classes, properties=properties, entity_url=lambda iri: page_url(URIRef(iri)))


@dataclass
class ShapeDoc:
    iri: str
    name: str
    description: str
    targets: list[str]
    severity: str
    message: str
    constraints: list[dict]


def _shapes(graph: Graph) -> list[ShapeDoc]:
    docs = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        constraints = []
        for prop in graph.objects(shape, SH.property):
            rules = {}
            for predicate, value in graph.predicate_objects(prop):
                if predicate in (SH.path, SH.name, SH.description, SH.message, SH.severity):
                    continue
                if predicate in (SH["or"], SH["in"]) and not isinstance(value, URIRef):
                    items = Collection(graph, value)
                    value = " | ".join(
                        _curie(graph, graph.value(i, SH["class"]) or graph.value(i, SH.datatype) or i) for i in items)
                    rules[_curie(graph, predicate)] = value
                else:
                    rules[_curie(graph, predicate)] = _curie(graph, value) if isinstance(value, URIRef) else str(value)
            path = graph.value(prop, SH.path)
            constraints.append({
                "path": _curie(graph, path) if isinstance(path, URIRef) else "(path expression)",
                "name": _text(graph, prop, SH.name),
                "message": _text(graph, prop, SH.message, SH.description),
                "severity": _curie(graph, graph.value(prop, SH.severity) or graph.value(shape, SH.severity) or SH.Violation),
                "rules": rules,
            })
        docs.append(ShapeDoc(
            iri=str(shape),
            name=_text(graph, shape, SH.name, RDFS.label) or _curie(graph, shape),
            description=_text(graph, shape, SH.description, RDFS.comment),
            targets=[_curie(graph, t) for t in graph.objects(shape, SH.targetClass)],
            severity=_curie(graph, graph.value(shape, SH.severity) or SH.Violation),
            message=_text(graph, shape, SH.message),
            constraints=sorted(constraints, key=lambda c: c["path"]),
        ))
    return sorted(docs, key=lambda doc: text_key(doc.name))


@bp.route("/shapes")
@bp.route("/shapes.<suffix>")
def shapes(suffix: str | None = None):
    """The SHACL shapes the data is validated against."""
    graph = Graph()
    for path in sorted(settings().shapes_dir.glob("*.ttl")):
        graph += _graph(f"shapes:{path.name}", path)
        for prefix, namespace in _graph(f"shapes:{path.name}", path).namespaces():
            graph.bind(prefix, namespace, override=False)
    fmt = choose(suffix)
    if fmt is not None:
        return rdf_response(graph, fmt)
    if current_language() != SHAPES_LANGUAGE:
        note_fallback(SHAPES_LANGUAGE)  # the shapes' names and messages are English: the page says so once
    return render_template("shapes.html", shapes=_shapes(graph), shapes_lang=SHAPES_LANGUAGE)
