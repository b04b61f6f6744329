"""Dataset dumps, VoID and DCAT descriptions (/downloads, /.well-known/void).

The dumps are written by the build into the release folder (downloads/); the page lists them with size,
statement count and checksum from the release manifest.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID

from ..build import current_release, read_manifest
from ..namespaces import SPARQL_PROLOGUE
from .collation import text_key
from .resources import backend, settings
from .describe import sparql_term
from .negotiation import choose, rdf_response

bp = Blueprint("downloads", __name__)

SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def release_dir() -> Path | None:
    """The release the app serves: the one the embedded store was loaded from, else build/current."""
    source = getattr(backend(), "source", None)
    if source is not None:
        return Path(source).parent
    return current_release(settings())


def _manifest() -> dict:
    return manifest_of(current_app)


def manifest_of(app) -> dict:
    """The manifest of the release an app serves ({} when it has none, as for a remote endpoint without a build)."""
    source = getattr(backend(app), "source", None)
    release = Path(source).parent if source is not None else current_release(settings(app))
    if release is None or not (release / "manifest.json").is_file():
        return {}
    return read_manifest(release)


@bp.route("/downloads")
def downloads():
    manifest = _manifest()
    files = [dict(info, name=name, url=url_for("downloads.dump", filename=Path(info["file"]).name))
             for name, info in manifest.get("downloads", {}).items()]
    return render_template("downloads.html", manifest=manifest, files=files)


@bp.route("/downloads/<path:filename>")
def dump(filename: str):
    release = release_dir()
    known = {Path(info["file"]).name: info for info in _manifest().get("downloads", {}).values()}
    if release is None or filename not in known:
        abort(404, description=gettext("There is no download called %(name)s; see /downloads.", name=repr(filename)))
    return send_from_directory(release / "downloads", filename, mimetype=known[filename]["media_type"],
                               as_attachment=False, max_age=3600)


def dataset_description() -> Graph:
    """VoID and DCAT for the whole dataset, its distributions and its per-source subsets."""
    base = settings().base
    manifest = _manifest()
    host = request.url_root.rstrip("/")  # the public address (web.http), with its path prefix if it has one
    graph = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dct", DCTERMS), ("spdx", SPDX)):
        graph.bind(prefix, namespace)
    dataset = URIRef(base + "dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("r2pkg: the Responsibility to Protect knowledge graph", lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(
        "States, organisations, focal points, tools, commitments, events and recommendations of the Responsibility "
        "to Protect, each traced to checked character spans of five public documents (2016-2019).", lang="en")))
    graph.add((dataset, DCTERMS.license, LICENCE))
    graph.add((dataset, DCTERMS.creator, Literal("r2pkg developers")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(host + "/sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(base + "id/")))
    graph.add((dataset, VOID.vocabulary, URIRef(base + "ontology")))
    graph.add((dataset, DCAT.landingPage, URIRef(host + "/")))
    if manifest:
        graph.add((dataset, DCTERMS.modified, Literal(manifest["built"], datatype=XSD.dateTime)))
        graph.add((dataset, VOID.triples, Literal(manifest["quads"], datatype=XSD.integer)))
        graph.add((dataset, DCTERMS.hasVersion, Literal(manifest["version"])))
        for name, count in sorted(manifest["graphs"].items()):
            subset = URIRef(name)
            graph.add((dataset, VOID.subset, subset))
            graph.add((subset, RDF.type, VOID.Dataset))
            graph.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))
            graph.add((subset, RDFS.label, Literal(f"named graph {name.rsplit('/', 1)[-1]}", lang="en")))
        for name, info in sorted(manifest.get("downloads", {}).items()):
            url = URIRef(url_for("downloads.dump", filename=Path(info["file"]).name, _external=True))
            distribution = URIRef(f"{base}dataset/distribution/{name}")
            graph.add((dataset, VOID.dataDump, url))
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"Full dataset as {info['label']}", lang="en")))
            graph.add((distribution, DCAT.downloadURL, url))
            graph.add((distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{info['media_type']}")))
            graph.add((distribution, DCAT.byteSize, Literal(info["bytes"], datatype=XSD.nonNegativeInteger)))
            checksum = URIRef(f"{base}dataset/distribution/{name}#sha256")
            graph.add((distribution, SPDX.checksum, checksum))
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(info["sha256"], datatype=XSD.hexBinary)))
    return graph


@bp.route("/.well-known/void")
@bp.route("/void")
@bp.route("/void.<suffix>")
def void(suffix: str | None = None):
    """The VoID/DCAT description; Turtle unless another RDF format is asked for."""
    return rdf_response(dataset_description(), choose(suffix, html=False))


@bp.route("/dataset")
@bp.route("/dataset.<suffix>")
def dataset(suffix: str | None = None):
    """The dataset's own IRI: people go to /downloads, tools get its VoID/DCAT description."""
    fmt = choose(suffix)
    if fmt is None:
        return redirect(url_for("downloads.downloads"), code=303)
    return rdf_response(dataset_description(), fmt)


GRAPH_NAME = r"[a-z0-9][a-z0-9-]*"


@bp.route("/graph/<name>")
@bp.route("/graph/<name>.<suffix>")
def named_graph(name: str, suffix: str | None = None):
    """One named graph: what it holds and where it comes from; its statements as RDF by content negotiation."""

    if not re.fullmatch(GRAPH_NAME, name):
        abort(404, description=gettext("There is no named graph called %(name)s.", name=repr(name)))
    iri = URIRef(settings().base + "graph/" + name)
    if not backend().ask(f"ASK {{ GRAPH {sparql_term(iri)} {{ ?s ?p ?o }} }}"):
        abort(404, description=gettext("There is no named graph called %(name)s.", name=str(iri)))
    fmt = choose(suffix)
    if fmt is not None:
        graph = Graph()
        rows = backend().select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {sparql_term(iri)} {{ ?s ?p ?o }} }}").rows
        for row in rows:
            graph.add((row["s"], row["p"], row["o"]))
        return rdf_response(graph, fmt)
    predicates = backend().select(
        SPARQL_PROLOGUE + f"SELECT ?p (COUNT(*) AS ?n) (SAMPLE(?l) AS ?label) WHERE {{ GRAPH {sparql_term(iri)} {{ ?s ?p ?o }} "
        "OPTIONAL { ?p rdfs:label ?l FILTER(langMatches(lang(?l), 'en')) } } GROUP BY ?p ORDER BY DESC(?n) ?p").rows
    origin = backend().select(
        SPARQL_PROLOGUE + f"SELECT ?doc (SAMPLE(?l) AS ?label) WHERE {{ {sparql_term(iri)} prov:wasDerivedFrom ?doc . "
        "OPTIONAL { ?doc rdfs:label ?l FILTER(langMatches(lang(?l), 'en')) } } GROUP BY ?doc").rows
    from .pages import describer, page_url

    names = describer().labels([r["p"] for r in predicates] + [r["doc"] for r in origin])  # in the page's language

    def named(row: dict, key: str) -> dict:
        labelled = row.get("label") is not None
        return {"label": names[row[key]].text if labelled else str(row[key]),
                "lang": names[row[key]].lang if labelled else None}

    return render_template(
        "graph.html", iri=str(iri), name=name,
        total=sum(int(row["n"]) for row in predicates),
        predicates=sorted(({"iri": str(r["p"]), **named(r, "p"), "count": int(r["n"])}
                           for r in predicates), key=lambda p: (-p["count"], text_key(p["label"]))),
        origin=[{"url": page_url(r["doc"]), **named(r, "doc")} for r in origin],
    )
