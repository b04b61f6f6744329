"""/sources: the source documents with their full record, and each locator's passage shown in its context.

The passage view needs the source texts (`r2pkg serve --sources DIR`); without them the page says where the original
can be found. Only spans the data declares are shown, each checked against its hash first.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext
from rdflib import URIRef

from ..explain import Span
from ..passages import SourceRecord, SourceTexts
from .collation import text_key
from .resources import backend, computed, settings
from .describe import SLUG_RE, Describer, sparql_term
from .page_cache import cached_page
from .pages import describer, page_url

bp = Blueprint("sources", __name__)




def source_texts() -> SourceTexts:
    """The source texts of this server, read and checked once, on first use (the store must answer by then)."""
    def load() -> SourceTexts:
        d = Describer(backend(), settings().base)
        records = [SourceRecord(str(r["doc"]), str(r["file"]), str(r["hash"]) if "hash" in r else None)
                   for r in d.select("source-documents")]
        return SourceTexts(current_app.config.get("SOURCES_DIR"), records)

    return computed("source_texts", load)


def passage_url(span: Span) -> str | None:
    """The address of a span's passage view, for a document of this site."""
    page = page_url(span.document)
    if not page or not page.startswith("/id/document/"):
        return None
    slug = page.rsplit("/", 1)[1]
    return f"/sources/{slug}/passage?" + urlencode({"start": span.start, "end": span.end})


def locator(span: Span):
    """The place of a span as a person reads it (section and paragraph), when this server has the text."""
    return source_texts().place(str(span.document), span.start)





def _records(d: Describer) -> list[dict]:
    records: dict[URIRef, dict] = {}
    for row in d.select("source-records"):
        record = records.setdefault(row["doc"], defaultdict(set))
        for key in ("title", "kind", "publisher", "issued", "event", "start", "end", "place", "host", "graph", "original"):
            if key in row:
                record[key].add(row[key])
    counts: dict[URIRef, list] = defaultdict(list)
    for row in d.select("source-statement-kinds"):
        counts[row["doc"]].append((row["type"], int(row["n"])))
    iris = set(records)
    for record in records.values():
        for key in ("kind", "publisher", "event", "place", "host", "graph"):
            iris |= {v for v in record[key] if isinstance(v, URIRef)}
    iris |= {t for pairs in counts.values() for t, _ in pairs}
    labels = d.labels(iris)
    texts = source_texts()
    out = []
    for doc, record in records.items():
        out.append({
            "iri": doc, "url": page_url(doc), "label": labels[doc],
            "slug": str(doc).rsplit("/", 1)[1],
            "record": record, "labels": labels,
            "counts": sorted(counts.get(doc, []), key=lambda pair: text_key(labels[pair[0]].text)),
            "text_problem": None if texts.has(str(doc)) else texts.problems.get(str(doc)),
        })
    out.sort(key=lambda r: (min((str(s) for s in r["record"]["start"]), default="9999"), text_key(r["label"].text)))
    return out


@bp.route("/sources")
@cached_page
def index():
    d = describer()
    return render_template("sources.html", sources=_records(d), page_url=page_url,
                           has_texts=current_app.config.get("SOURCES_DIR") is not None)


@bp.route("/sources/<slug>/passage")
def passage(slug: str):
    d = describer()
    if not SLUG_RE.match(slug):
        abort(404, description=gettext("There is no source document %(name)s in this knowledge graph.", name=repr(slug)))
    document = URIRef(f"{settings().base}id/document/{slug}")
    try:
        start, end = int(request.args.get("start", "")), int(request.args.get("end", ""))
    except ValueError:
        abort(400, description=gettext("Give the characters of the passage as ?start=…&end=… (whole numbers)."))
    where = {"document": sparql_term(document), "start": str(start), "end": str(end)}
    rows = d.select("span-checksum", **where)
    if not rows:
        if not d.exists(document):
            abort(404, description=gettext("There is no source document %(name)s in this knowledge graph.",
                                           name=repr(slug)))
        abort(404, description=gettext("No locator in the data points at characters %(start)s–%(end)s of %(name)s; "
                                       "only the passages the data cites are shown.", start=start, end=end, name=slug))
    span = Span(document, start, end, str(rows[0]["hash"]) if "hash" in rows[0] else None)
    labels = d.labels([document])
    record = next((r for r in _records(d) if r["iri"] == document), None)
    try:
        shown, problem = source_texts().passage(str(document), start, end, span.sha256), None
    except LookupError as error:
        shown, problem = None, str(error)
    cited = sorted({r["x"] for r in d.select("span-subjects", **where)}, key=str)
    cited_labels = d.labels(cited)
    return render_template("passage.html", span=span, document_label=labels[document], record=record,
                           passage=shown, problem=problem, page_url=page_url,
                           cited=[(x, cited_labels[x]) for x in sorted(cited, key=lambda x: text_key(cited_labels[x].text))])


@bp.app_context_processor
def locator_helpers():
    """Every page can turn a span into a readable locator and a link to its passage."""
    return {"passage_url": passage_url, "locator": locator}
