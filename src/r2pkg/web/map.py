"""/map: every state on a world map, coloured by what applies to it, by its place in the Global Network of R2P Focal
Points and its Steering Group, or by whether a national focal point is recorded; the table beside it says the same."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request

from .pages import describer, page_url

bp = Blueprint("map", __name__)


@dataclass(frozen=True)
class Colouring:
    key: str
    title: str
    pattern: str  # binds ?value for ?state (a count, or 1 when it holds)
    counts: bool
    caption: str
    none: str


COLOURINGS = {c.key: c for c in [
    Colouring("applies", "Recommendations that apply to it", "?rec r2p:appliesTo ?state . BIND(?rec AS ?value)", True,
              "recommendations that apply to each state by what the sources state (directly, through a network it "
              "is a member of, or through a category it belongs to); interpretations are not counted",
              "No recommendation applies to any state."),
    Colouring("network", "Member of the Global Network of R2P Focal Points",
              "?state org:memberOf orgn:global-network-r2p-focal-points . BIND(1 AS ?value)", False,
              "states the sources name as members of the Global Network of R2P Focal Points",
              "The sources name no state as a member of the Global Network."),
    Colouring("steering-group", "Member of the Network's Steering Group",
              "?state org:memberOf orgn:gnfp-steering-group . BIND(1 AS ?value)", False,
              "states the sources name as members of the Global Network's Steering Group",
              "The sources name no state as a member of the Steering Group."),
    Colouring("focal-point", "National R2P focal point recorded",
              "?post a r2p:NationalFocalPointPost ; org:postIn ?state . BIND(?post AS ?value)", False,
              "states with a national R2P focal point recorded in the sources",
              "No national focal point is recorded in the sources for any state."),
]}


@dataclass
class StateRow:
    iri: object
    label: object
    numeric: str
    value: int


@bp.get("/map")
def world_map():
    key = request.args.get("colour", "applies")
    colouring = COLOURINGS.get(key)
    if colouring is None:
        abort(400, description=f"colour must be one of: {', '.join(COLOURINGS)}")
    d = describer()
    rows = d.select(f"""SELECT ?state ?numeric (COUNT(DISTINCT ?value) AS ?n) WHERE {{
      ?state a r2p:State . OPTIONAL {{ ?state r2p:iso3166Numeric ?numeric }}
      OPTIONAL {{ {colouring.pattern} }}
    }} GROUP BY ?state ?numeric""")
    labels = d.labels(r["state"] for r in rows)
    states = sorted((StateRow(r["state"], labels[r["state"]], str(r.get("numeric", "")), int(r["n"])) for r in rows),
                    key=lambda s: s.label.text.casefold())
    marked = [s for s in states if s.value]
    return render_template("map.html", colourings=COLOURINGS.values(), colouring=colouring, states=states,
                           marked=len(marked), highest=max((s.value for s in states), default=0),
                           page_url=page_url, lang=d.lang)
