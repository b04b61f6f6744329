"""The front door: search, "start with your state or organisation", the ways in, and a few headline figures.

It is for people who do not write SPARQL; the query editor keeps its own address (/query).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from rdflib import URIRef

from .collation import text_key
from .page_cache import cached_page
from .pages import describer, page_url, requested_lang

bp = Blueprint("home", __name__)

GROUPS = {1: _l("States"), 2: _l("Regional organisations"), 3: _l("Other organisations, offices and networks")}

@bp.get("/")
@cached_page
def home():
    d = describer()
    rows = d.select("starting-points")
    group_of: dict[URIRef, int] = {}
    for row in rows:
        group_of[row["x"]] = min(int(row["group"]), group_of.get(row["x"], 9))
    labels = d.labels(group_of)
    groups = [(title, sorted((x for x, g in group_of.items() if g == key), key=lambda x: text_key(labels[x].text)))
              for key, title in GROUPS.items()]
    [figures] = d.select("headline-figures") or [{}]
    return render_template("home.html", groups=groups, labels=labels, page_url=page_url, lang=d.lang,
                           figures={k: int(v) for k, v in figures.items()})


@bp.get("/start")
def start():
    """The form of "start with your state or organisation": go to the page of the one chosen."""
    iri = request.args.get("entity", "")
    path = page_url(URIRef(iri)) if iri else None
    if not path or not path.startswith("/id/"):
        abort(400, description=_l("Choose a state or an organisation from the list."))
    lang = requested_lang()  # a language tag, else a 400
    return redirect(path + (f"?lang={lang}" if lang != "en" else "") + "#applies", code=303)


