"""/map: every state on a world map, coloured by what applies to it, by its place in the Global Network of R2P Focal
Points and its Steering Group, or by whether a national focal point is recorded; the table beside it says the same."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template

from .arguments import one_of
from .collation import text_key
from .page_queries import blocks
from .page_cache import cached_page
from .pages import describer, page_url

bp = Blueprint("map", __name__)


@dataclass(frozen=True)
class Colouring:
    """One way to colour the map (a block of queries/map-colourings.rq)."""

    key: str
    title: str
    pattern: str  # binds ?value for ?state
    counts: bool
    caption: str
    none: str


COLOURINGS = {b.header["colouring"]: Colouring(b.header["colouring"], b.header["title"], b.pattern,
                                               b.header["counts"] == "yes", b.header["caption"], b.header["none"])
              for b in blocks("map-colourings")}


@dataclass
class StateRow:
    iri: object
    label: object
    numeric: str
    value: int


@bp.get("/map")
@cached_page
def world_map():
    colouring = COLOURINGS[one_of("colour", COLOURINGS, "applies")]
    d = describer()
    rows = d.select("state-values", pattern=colouring.pattern)
    labels = d.labels(r["state"] for r in rows)
    states = sorted((StateRow(r["state"], labels[r["state"]], str(r.get("numeric", "")), int(r["n"])) for r in rows),
                    key=lambda s: text_key(s.label.text))
    marked = [s for s in states if s.value]
    return render_template("map.html", colourings=COLOURINGS.values(), colouring=colouring, states=states,
                           marked=len(marked), highest=max((s.value for s in states), default=0),
                           page_url=page_url, lang=d.lang)
