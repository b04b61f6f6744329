""""Cite this" on entity pages, /cite downloads, and the release IRIs a citation names."""

from __future__ import annotations

import json

import lxml.html
from pybtex.database import parse_string

from r2pkg.citation import Release

GHANA = "https://w3id.org/r2pkg/id/state/ghana"


def release_of(built_release) -> Release:
    manifest = json.loads((built_release / "manifest.json").read_text())
    return Release.from_manifest(manifest, "https://w3id.org/r2pkg/")


def test_entity_page_offers_three_citations_of_this_release(client, built_release):
    release = release_of(built_release)
    tree = lxml.html.fromstring(client.get("/id/recommendation/gnfp-2019-32").get_data(as_text=True))
    text = tree.get_element_by_id("cite-text").text_content()
    title = tree.xpath("string(//h1)").strip()
    assert text.startswith(f"r2pkg developers. “{title}”. In: r2pkg: the Responsibility to Protect knowledge graph, "
                           f"release {release.stamp} (version {release.version})")
    assert "https://w3id.org/r2pkg/id/recommendation/gnfp-2019-32 (release " + release.iri + ")" in text
    bibtex = parse_string(tree.get_element_by_id("cite-bibtex").text_content(), "bibtex")
    [entry] = bibtex.entries.values()
    assert entry.fields["title"] == title and release.iri in entry.fields["note"]
    [item] = json.loads(tree.get_element_by_id("cite-csl-json").text_content())
    assert item["source"] == release.iri and item["URL"].endswith("/id/recommendation/gnfp-2019-32")


def test_cite_downloads_each_form(client):
    bib = client.get("/cite", query_string={"iri": GHANA, "format": "bibtex"})
    assert bib.status_code == 200 and bib.headers["Content-Type"].startswith("application/x-bibtex")
    assert parse_string(bib.get_data(as_text=True), "bibtex").entries
    csl = client.get("/cite", query_string={"iri": GHANA, "format": "csl-json"})
    assert csl.headers["Content-Type"] == "application/vnd.citationstyles.csl+json"
    assert json.loads(csl.get_data(as_text=True))[0]["title"] == "Ghana"
    text = client.get("/cite", query_string={"iri": GHANA})
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8" and "“Ghana”" in text.get_data(as_text=True)


def test_cite_refuses_what_it_cannot_cite(client):
    unknown = client.get("/cite", query_string={"iri": "https://w3id.org/r2pkg/id/state/atlantis"})
    assert unknown.status_code == 404 and "not an IRI of this knowledge graph" in unknown.get_data(as_text=True)
    assert client.get("/cite", query_string={"iri": GHANA, "format": "ris"}).status_code == 400


def test_release_iris(client, built_release):
    release = release_of(built_release)
    current = client.get(f"/release/{release.stamp}")
    assert current.status_code == 303 and current.headers["Location"].endswith("/downloads")
    page = client.get(f"/release/{release.stamp}/id/state/ghana")
    assert page.status_code == 303 and page.headers["Location"].endswith("/id/state/ghana")
    gone = client.get("/release/20160101T000000Z/id/state/ghana")
    assert gone.status_code == 410
    assert f"this server serves release {release.stamp}" in gone.get_data(as_text=True)
