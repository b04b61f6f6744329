"""Citations of pages ("Cite this": plain text, BibTeX, CSL-JSON) and the release IRIs they name."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, current_app, redirect, request
from flask_babel import gettext
from rdflib import URIRef

from ..citation import Release, cite
from .arguments import one_of
from .resources import settings
from .downloads import manifest_of
from .pages import describer, page_url

bp = Blueprint("cite", __name__)

CITATION_FORMATS = {
    "text": "text/plain; charset=utf-8",
    "bibtex": "application/x-bibtex; charset=utf-8",
    "csl-json": "application/vnd.citationstyles.csl+json",
}


def current_release() -> Release | None:
    return Release.from_manifest(manifest_of(current_app), settings().base)


def citation_for(iri, title: str, accessed: dt.date | None = None):
    """The citation of a page of this site (None for an IRI this site has no page for)."""
    path = page_url(URIRef(str(iri)))
    if path is None:
        return None
    return cite(title, str(iri), request.url_root.rstrip("/") + path, current_release(), accessed)


@bp.app_context_processor
def citation_helpers():
    return {"citation_for": citation_for}


@bp.route("/cite")
def citation():
    """?iri=<an IRI of this graph>&format=text|bibtex|csl-json: the citation of its page, to download."""
    iri = request.args.get("iri", "")
    fmt = one_of("format", CITATION_FORMATS, "text")
    d = describer()
    if page_url(URIRef(iri)) is None or not d.exists(URIRef(iri)):
        abort(404, description=gettext("%(iri)s is not an IRI of this knowledge graph; give ?iri= a page's IRI.",
                                       iri=repr(iri)))
    found = citation_for(iri, d.labels([URIRef(iri)])[URIRef(iri)].text, dt.date.today())
    body = {"text": found.text, "bibtex": found.bibtex, "csl-json": found.csl_json}[fmt]
    return Response(body, mimetype=CITATION_FORMATS[fmt].split(";")[0], headers={"Content-Type": CITATION_FORMATS[fmt]})


@bp.route("/release/<stamp>")
@bp.route("/release/<stamp>/<path:rest>")
def release(stamp: str, rest: str = ""):
    """A release IRI: the current release leads to its downloads (or to a page as it is now); others are gone."""
    now = current_release()
    if now is not None and stamp == now.stamp:
        return redirect("/" + rest if rest else "/downloads", code=303)
    served = gettext("release %(stamp)s", stamp=now.stamp) if now else gettext("no release")
    abort(410, description=gettext("Release %(stamp)s is not served here; this server serves %(served)s. Entity IRIs "
                                   "stay stable across releases: the entity's page shows it as the current release "
                                   "has it.", stamp=stamp, served=served))
