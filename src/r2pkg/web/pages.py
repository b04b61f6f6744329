"""Entity pages: every IRI under /id/ as HTML or RDF by content negotiation."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from rdflib import Literal, URIRef

from ..formats import DATASET, rdf_documents
from ..namespaces import ID_KINDS, R2P, RDF, SKOS
from . import backend, language, settings
from .arguments import include_interpreted, refuse
from .describe import GROUP_PAGE_SIZE, SLUG_RE, Describer
from .negotiation import choose, entity_dataset, rdf_response, suffixes
from .page_cache import cached_page

bp = Blueprint("pages", __name__)

KINDS = set(ID_KINDS.values())
SECTION_PREVIEW = 10  # entries shown in a kind-specific section before "show all"

# schema.org types for the embedded JSON-LD, most specific class first.
SCHEMA_TYPES = [
    (R2P.Person, ["Person"]),
    (R2P.State, ["Country", "GovernmentOrganization"]),
    (R2P.GovernmentBody, ["GovernmentOrganization"]),
    (R2P.CivilSocietyOrganisation, ["NGO"]),
    (R2P.Organisation, ["Organization"]),
    (R2P.Place, ["Place"]),
    (R2P.Event, ["Event"]),
    (R2P.Document, ["CreativeWork"]),
    (R2P.Recommendation, ["CreativeWork"]),
    (R2P.Commitment, ["CreativeWork"]),
    (R2P.Mechanism, ["CreativeWork"]),
    (SKOS.Concept, ["DefinedTerm"]),
]


def requested_lang() -> str:
    """The page's language (language.current_language), for its words and its labels; 400 for a ?lang= that is not
    a language tag."""
    language.requested()
    return language.current_language()


def describer() -> Describer:
    """The request's reader of descriptions: the app's backend, labels in the language asked for."""
    return Describer(backend(), settings().base, requested_lang())


LOCAL_SPACES = ("id/", "graph/")
"""IRI spaces under the base that this site serves pages for (entities and named graphs)."""


def page_url(iri) -> str | None:
    """The path of this site's page for an IRI under the base's id/ or graph/, else None."""
    base = settings().base
    if isinstance(iri, URIRef) and str(iri).startswith(tuple(base + space for space in LOCAL_SPACES)):
        return "/" + str(iri)[len(base):]
    return None


def term_url(iri) -> str | None:
    """Where a link on an IRI should go: its page here, the ontology documentation for our terms, else the IRI itself."""
    if not isinstance(iri, URIRef):
        return None
    local = page_url(iri)
    if local:
        return local
    if str(iri).startswith(str(R2P._NS)):
        return "/ontology#r2p-" + str(iri)[len(str(R2P._NS)):]
    if str(iri).startswith(("http://", "https://")):
        return str(iri)
    return None


def entity_iri(kind: str, slug: str) -> URIRef:
    if kind not in KINDS or not SLUG_RE.match(slug):
        abort(404, description=gettext("%(iri)s is not an IRI of this knowledge graph.", iri=f"/id/{kind}/{slug}"))
    return URIRef(f"{settings().base}id/{kind}/{slug}")


def schema_org(description, labels, url: str) -> dict:
    """schema.org JSON-LD for search engines and link previews."""
    types = set(description.types)
    schema_type = next((t for cls, t in SCHEMA_TYPES if cls in types), ["Thing"])
    own = labels[description.iri]
    data = {
        "@context": "https://schema.org",
        "@type": schema_type[0] if len(schema_type) == 1 else schema_type,
        "@id": str(description.iri),
        "name": own.text,
        "url": url,
    }
    if description.description:
        data["description"] = str(description.description[0])
    alt_labels = [s.value for g in description.outgoing if g.prop == SKOS.altLabel for s in g.statements]
    alternates = sorted(({l.text for l in description.labels} | {str(v) for v in alt_labels}) - {own.text})
    if alternates:
        data["alternateName"] = alternates
    if description.spans:
        data["subjectOf"] = [{"@type": "CreativeWork", "@id": str(d), "name": description.documents.get(d, str(d))}
                             for d in sorted({s.document for s in description.spans})]
    return data


@bp.route("/id/<kind>/<path:slug>")
@cached_page
def entity(kind: str, slug: str):
    suffix = None
    stem, dot, ext = slug.rpartition(".")
    if dot and ext in [*suffixes(quads=True), "html"]:
        slug, suffix = stem, ext
    iri = entity_iri(kind, slug)
    d = describer()
    if not d.exists(iri):
        abort(404, description=gettext("Nothing in the knowledge graph is called %(iri)s.", iri=iri))
    fmt = choose(suffix, quads=True)
    if fmt is not None:
        dataset = fmt.format.kind == DATASET
        return rdf_response(entity_dataset(backend(), iri) if dataset else d.rdf_graph(iri), fmt, compact=True)
    description = d.describe(iri, kind)
    include_interpreted, max_specificity = applies_filter()
    if description.applies is not None and (include_interpreted, max_specificity) != (False, 4):
        description.applies = d.applies(iri, include_interpreted, max_specificity)
    iris = {iri, *description.types}
    if description.applies is not None:
        iris.update(r.recommendation for r in description.applies.rows)
        iris.update(r.via for r in description.applies.rows)
    for group in description.outgoing + description.incoming:
        iris.add(group.prop)
        iris.update(s.value for s in group.statements)
    for section in description.sections:
        iris.update(r.value for r in section.rows)
        iris.update(r.note for r in section.rows if r.note is not None)
    labels = d.labels(iris)
    inferred_types = _inferred_types(description)
    description.types.sort(key=lambda t: (t in inferred_types, labels[t].text.casefold()))
    description.order_by_labels(labels)
    show_all = request.args.get("all") == "1"
    neighbourhood = d.neighbourhood(description, labels, page_url)
    html = render_template(
        "entity.html",
        d=description,
        labels=labels,
        page_url=page_url,
        term_url=term_url,
        lang=d.lang,
        show_all=show_all,
        page_size=GROUP_PAGE_SIZE,
        section_preview=SECTION_PREVIEW,
        neighbourhood=neighbourhood,
        neighbours={node["id"]: node for node in neighbourhood["nodes"]},
        schema_org=schema_org(description, labels, request.base_url),
        alternates=[(f.media_type, f.extension) for f in rdf_documents(datasets=True)],
        is_inferred_type=inferred_types,
        graph_name=graph_name,
        explain_url=explain_url,
        applies_url=lambda include, rank: applies_url(iri, include, rank, d.lang),
    )
    response = make_response(html)
    response.vary.add("Accept")
    response.headers["Link"] = ", ".join(
        f'<{page_url(iri)}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in rdf_documents(datasets=True))
    return response


def applies_filter() -> tuple[bool, int]:
    """The entity page's filter of what applies: ?interpreted=include|exclude and ?max=1..4; 400 otherwise."""
    raw = request.args.get("max", "4")
    if raw not in ("1", "2", "3", "4"):
        refuse(_l("a specificity from 1 (named directly) to 4 (broad category)"), "max", raw)
    return include_interpreted(), int(raw)


def applies_url(iri, include: bool, rank: int, lang: str) -> str:
    args = {"max": rank} if rank != 4 else {}
    if include:
        args["interpreted"] = "include"
    if lang != "en":
        args["lang"] = lang
    return page_url(iri) + ("?" + urlencode(args) if args else "") + "#applies"


def explain_url(subject, predicate, obj) -> str:
    """The page that explains why the graph holds a statement (the derivation tree)."""
    return url_for("explain.explain_page", s=subject.n3() if isinstance(subject, Literal) else str(subject),
                   p=str(predicate), o=obj.n3() if isinstance(obj, Literal) else str(obj))


def graph_name(graph) -> str:
    """A readable name for a named graph that is not a source document (the registry, the country codes)."""
    name = str(graph).rsplit("/", 1)[-1]
    return {
        "core": gettext("registry of shared entities (data/core.ttl)"),
        "countries": gettext("ISO 3166 country codes and names (data/countries.ttl)"),
        "ontology": gettext("the r2pkg ontology"),
    }.get(name) or gettext("graph %(name)s", name=name)


def _inferred_types(description) -> set:
    return {s.value for g in description.outgoing if g.prop == RDF.type for s in g.statements if s.inferred}
