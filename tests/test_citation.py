"""Citations: the three forms name the entity, its page and the release, and parse in their own formats."""

from __future__ import annotations

import datetime as dt
import json

from pybtex.database import parse_string

from r2pkg.citation import Release, cite

RELEASE = Release.from_manifest({"built": "2026-12-02T02:07:17+00:00", "version": "0.1.0"}, "https://w3id.org/r2pkg/")
GHANA = "https://w3id.org/r2pkg/id/state/ghana"


def test_release_iri_is_made_from_its_build_time():
    assert RELEASE.stamp == "20261202T020717Z"
    assert RELEASE.iri == "https://w3id.org/r2pkg/release/20261202T020717Z"
    assert Release.from_manifest({}, "https://w3id.org/r2pkg/") is None


def test_three_forms_of_one_citation():
    c = cite("Ghana", GHANA, "https://kg.example.org/id/state/ghana", RELEASE, accessed=dt.date(2026, 12, 3))
    assert c.text == ("r2pkg developers. “Ghana”. In: r2pkg: the Responsibility to Protect knowledge graph, release "
                      "20261202T020717Z (version 0.1.0), built 2 December 2026. https://w3id.org/r2pkg/id/state/ghana "
                      "(release https://w3id.org/r2pkg/release/20261202T020717Z). Accessed 3 December 2026.")
    entry = parse_string(c.bibtex, "bibtex").entries["r2pkg-state-ghana-20261202"]
    assert entry.type == "misc" and entry.fields["title"] == "Ghana" and entry.fields["year"] == "2026"
    assert entry.fields["url"] == "https://kg.example.org/id/state/ghana"
    assert RELEASE.iri in entry.fields["note"] and GHANA in entry.fields["note"]
    assert [str(p) for p in entry.persons["author"]] == ["{r2pkg developers}"]  # one body, not a person
    [item] = json.loads(c.csl_json)
    assert item["type"] == "dataset" and item["title"] == "Ghana" and item["source"] == RELEASE.iri
    assert item["issued"] == {"date-parts": [[2026, 12, 2]]} and item["accessed"] == {"date-parts": [[2026, 12, 3]]}


def test_without_a_release_the_citation_says_so():
    c = cite("Ghana", GHANA, "http://127.0.0.1:5000/id/state/ghana", None, accessed=dt.date(2026, 12, 3))
    assert "unreleased data" in c.text and "release http" not in c.text
    assert "issued" not in c.csl


def test_a_page_citation_names_no_day_of_access():
    """A page is kept for the whole release, so its citation leaves the day of access to the reader."""
    c = cite("Ghana", GHANA, "https://kg.example.org/id/state/ghana", RELEASE)
    assert c.text.endswith("(release https://w3id.org/r2pkg/release/20261202T020717Z).")
    assert "urldate" not in parse_string(c.bibtex, "bibtex").entries["r2pkg-state-ghana-20261202"].fields
    assert "accessed" not in c.csl
