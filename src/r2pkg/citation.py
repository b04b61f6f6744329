"""How to cite a page of the graph: plain text, BibTeX and CSL-JSON, naming the release it was read from.

A release is identified by its build time (`{base}release/<stamp>`) and the software version that built it, so a
citation still says which state of the data it quotes after the data changes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from pybtex.database import BibliographyData, Entry

PUBLISHER = "r2pkg developers"
TITLE = "r2pkg: the Responsibility to Protect knowledge graph"


@dataclass(frozen=True)
class Release:
    """The release a server serves: its build time, the version that built it and its IRI."""

    version: str
    built: dt.datetime
    iri: str

    @property
    def stamp(self) -> str:
        return self.built.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    @classmethod
    def from_manifest(cls, manifest: dict, base: str) -> "Release | None":
        if not manifest.get("built"):
            return None
        built = dt.datetime.fromisoformat(manifest["built"])
        stamp = built.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        return cls(str(manifest.get("version", "")), built, f"{base}release/{stamp}")


@dataclass(frozen=True)
class Citation:
    """One cited resource in the three forms a page offers."""

    text: str
    bibtex: str
    csl: dict

    @property
    def csl_json(self) -> str:
        """CSL-JSON as citation managers import it: a list of items."""
        return json.dumps([self.csl], ensure_ascii=False, indent=2)


def _key(iri: str, release: Release | None) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", iri.rsplit("/id/", 1)[-1]).strip("-")
    return f"r2pkg-{slug}" + (f"-{release.built:%Y%m%d}" if release else "")


def cite(title: str, iri: str, url: str, release: Release | None, accessed: dt.date | None = None) -> Citation:
    """The citation of the resource `iri` (its page at `url`) as read from `release`; `accessed` only when given
    (a page kept for the whole release cannot know the reader's day)."""
    when = release.built.astimezone(dt.timezone.utc) if release else None
    version = f"release {release.stamp} (version {release.version})" if release else "unreleased data"
    text = (f"{PUBLISHER}. “{title}”. In: {TITLE}, {version}"
            + (f", built {when:%-d %B %Y}" if when else "") + f". {iri}"
            + (f" (release {release.iri})" if release else "") + "."
            + (f" Accessed {accessed:%-d %B %Y}." if accessed else ""))
    # The author in braces: a body, not a person's name.
    fields = {"title": title, "author": "{" + PUBLISHER + "}", "howpublished": TITLE, "url": url, "note": f"{iri}; {version}"
              + (f"; release IRI {release.iri}" if release else "")}
    if accessed:
        fields["urldate"] = accessed.isoformat()
    if when:
        fields.update(year=str(when.year), month=str(when.month))
    if release:
        fields["version"] = release.version
    bibtex = BibliographyData({_key(iri, release): Entry("misc", fields)}).to_string("bibtex")
    csl = {
        "id": _key(iri, release), "type": "dataset", "title": title, "author": [{"literal": PUBLISHER}],
        "container-title": TITLE, "URL": url, "note": iri,
    }
    if accessed:
        csl["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if release:
        csl["version"] = f"{release.version} ({release.stamp})"
        csl["issued"] = {"date-parts": [[when.year, when.month, when.day]]}
        csl["source"] = release.iri
    return Citation(text, bibtex, csl)
