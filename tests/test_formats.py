"""The format registry and its one negotiation: Accept read as HTTP says, `format=` names, and each format once."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from r2pkg.formats import (BY_KEY, DOWNLOADS, FORMATS, GRAPH_ANSWERS, HTML, SELECT_ANSWERS, negotiate,
                           rdf_documents)

PAGE = [HTML, *rdf_documents(datasets=True)]


def chosen(offers, accept: str | None = None, asked: str | None = None) -> tuple[str, str] | None:
    choice = negotiate(offers, parse_accept_header(accept, MIMEAccept) if accept is not None else None, asked)
    return (choice.format.key, choice.media_type) if choice else None


@pytest.mark.parametrize(("offers", "accept", "expected"), [
    (PAGE, "text/turtle;charset=utf-8", ("ttl", "text/turtle")),
    (PAGE, "text/turtle; charset=UTF-8; q=0.5, application/pdf", ("ttl", "text/turtle")),
    (PAGE, 'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', ("jsonld", "application/ld+json")),
    (SELECT_ANSWERS, "text/csv; charset=utf-8", ("csv", "text/csv")),
    (PAGE, "text/turtle; charset=iso-8859-1", None),  # every text here is UTF-8
    (PAGE, "text/turtle; charset=iso-8859-1, application/n-triples;q=0.5", ("nt", "application/n-triples")),
    (PAGE, "text/html;q=0, */*", ("ttl", "text/turtle")),
    (PAGE, "text/turtle;q=0", None),
    (PAGE, "text/turtle;q=0, text/*", ("html", "text/html")),
    (SELECT_ANSWERS, "application/sparql-results+json;q=0, */*;q=0.1", ("xml", "application/sparql-results+xml")),
    (GRAPH_ANSWERS, "text/*", ("ttl", "text/turtle")),
    (PAGE, "application/json", ("jsonld", "application/json")),
    (SELECT_ANSWERS, "application/json", ("json", "application/json")),
    (GRAPH_ANSWERS, "application/xml", ("rdf", "application/xml")),
    (PAGE, "", ("html", "text/html")),
    (SELECT_ANSWERS, None, ("json", "application/sparql-results+json")),
    (PAGE, "application/pdf, image/*", None),
])
def test_accept(offers, accept, expected):
    assert chosen(offers, accept) == expected


@pytest.mark.parametrize(("offers", "asked", "expected"), [
    (GRAPH_ANSWERS, "turtle", ("ttl", "text/turtle")),
    (GRAPH_ANSWERS, "XML", ("rdf", "application/rdf+xml")),
    (SELECT_ANSWERS, "xml", ("xml", "application/sparql-results+xml")),
    (GRAPH_ANSWERS, "json", ("jsonld", "application/ld+json")),
    (SELECT_ANSWERS, "srj", ("json", "application/sparql-results+json")),
    (SELECT_ANSWERS, "ttl", None),
    (GRAPH_ANSWERS, "nq", None),
    (PAGE, "nq", ("nq", "application/n-quads")),
    (PAGE, "html", ("html", "text/html")),
])
def test_format_name_wins_over_accept(offers, asked, expected):
    assert chosen(offers, "text/csv, text/html", asked) == expected


def test_each_format_once():
    assert len(BY_KEY) == len(FORMATS)
    media_types = [t for f in FORMATS for t in f.media_types]
    for offers in (PAGE, GRAPH_ANSWERS, SELECT_ANSWERS):
        types = [t for f in offers for t in f.media_types]
        assert len(types) == len(set(types))  # within what one resource offers, a media type names one format
        names = [n for f in offers for n in set(f.names)]
        assert len(names) == len(set(names))
    assert set(media_types) >= {"text/turtle", "application/sparql-results+json", "text/n3"}
    assert list(DOWNLOADS) == ["ttl", "nt", "nq", "trig", "jsonld", "rdf"]
    assert all(f.w3c is not None for f in [*SELECT_ANSWERS, *GRAPH_ANSWERS])
