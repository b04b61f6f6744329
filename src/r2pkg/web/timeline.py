"""/timeline: events, commitments, initiatives and documents in date order, by year, filterable by actor and source."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from rdflib import URIRef

from .collation import text_key
from .page_cache import cached_page
from .pages import describer, page_url

bp = Blueprint("timeline", __name__)


@dataclass
class Dated:
    """One dated thing: its date as the data gives it (a year, a month or a day), its end, kinds, sources, actors."""

    iri: URIRef
    when: str
    end: str | None = None
    types: set = field(default_factory=set)
    documents: set = field(default_factory=set)
    actors: set = field(default_factory=set)

    @property
    def year(self) -> str:
        return self.when[:4]


def _choice(name: str, allowed: set) -> URIRef | None:
    value = request.args.get(name)
    if not value:
        return None
    if URIRef(value) not in allowed:
        abort(400, description=gettext("%(name)s=%(value)s: no dated entry of the timeline has this %(name)s.",
                                       name=name, value=repr(value)))
    return URIRef(value)


@bp.get("/timeline")
@cached_page
def timeline():
    d = describer()
    items: dict[URIRef, Dated] = {}
    for row in d.select("timeline"):
        item = items.setdefault(row["x"], Dated(row["x"], str(row["when"])))
        item.when = min(item.when, str(row["when"]))
        if "end" in row:
            item.end = str(row["end"])
        for key, target in (("type", item.types), ("doc", item.documents), ("actor", item.actors)):
            if key in row:
                target.add(row[key])
    actors = set().union(*(i.actors for i in items.values())) if items else set()
    documents = set().union(*(i.documents for i in items.values())) if items else set()
    actor, document = _choice("actor", actors), _choice("source", documents)
    shown = [i for i in items.values() if (actor is None or actor in i.actors) and (document is None or document in i.documents)]
    labels = d.labels(set(items) | actors | documents | set().union(*(i.types for i in items.values())))
    shown.sort(key=lambda i: (i.when, text_key(labels[i.iri].text)))
    years: dict[str, list[Dated]] = defaultdict(list)
    for item in shown:
        years[item.year].append(item)
    by_label = lambda iris: sorted(iris, key=lambda x: text_key(labels[x].text))  # noqa: E731
    return render_template("timeline.html", years=years, labels=labels, page_url=page_url, lang=d.lang,
                           actors=by_label(actors), documents=by_label(documents), actor=actor, document=document,
                           total=len(items), by_label=by_label)
