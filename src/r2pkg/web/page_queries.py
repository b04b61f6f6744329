"""The SPARQL the pages run, read from the package's web/queries/: single queries and the tables built of blocks.

A query file holds one query whose `$name` parameters the caller fills; a table file (sections, index kinds, browser
facets) holds blocks of `# key: value` lines over a graph pattern. No file declares prefixes: every query text gets
the one PREFIX block of `namespaces.SPARQL_PROLOGUE`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rdflib import URIRef

from ..namespaces import PREFIXES, R2P, SPARQL_PROLOGUE

FOLDER = files(__package__) / "queries"
HEADER = re.compile(r"^#\s*(?P<key>[a-z-]+)\s*:\s*(?P<value>.*)$")
PARAMETER = re.compile(r"\$(?P<name>[A-Za-z_]\w*)")


@cache
def text(name: str) -> str:
    """The text of queries/<name>.rq as written (comments kept)."""
    return (FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def fill(template: str, **values: str) -> str:
    """A template with every `$name` replaced by the SPARQL syntax given for it; a parameter left out is an error."""
    def value(match: re.Match) -> str:
        if match["name"] not in values:
            raise KeyError(f"page query parameter ${match['name']} has no value")
        return values[match["name"]]

    return PARAMETER.sub(value, template)


def query(name: str, **values: str) -> str:
    """Page query <name> with its parameters filled, ready to run (the project's PREFIX block first)."""
    return SPARQL_PROLOGUE + fill(text(name), **values)


@dataclass(frozen=True)
class Block:
    """One entry of a table file: its `# key: value` header and the graph pattern below it."""

    header: dict[str, str]
    pattern: str

    @property
    def kind(self) -> str:
        """The block's first key (section, kind, column, facet, interpreted): what the block declares."""
        return next(iter(self.header))


@cache
def blocks(name: str) -> tuple[Block, ...]:
    """The blocks of table file <name>, in file order; comment paragraphs without keys are skipped."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text(name)):
        header: dict[str, str] = {}
        pattern = []
        for line in paragraph.strip().splitlines():
            match = HEADER.match(line)
            if match and not pattern:
                header[match["key"]] = match["value"].strip()
            elif not line.startswith("#"):
                pattern.append(line)
        if header and pattern:
            found.append(Block(header, "\n".join(pattern)))
    return tuple(found)


@cache
def table(name: str) -> dict:
    """The TOML table <name>.toml of the folder (the figures of /stats)."""
    return tomllib.loads((FOLDER / f"{name}.toml").read_text(encoding="utf-8"))


def term(curie: str) -> URIRef:
    """A prefixed name of a table's header (r2p:State) as an IRI; an unknown prefix or r2p term is an error."""
    prefix, _, local = curie.partition(":")
    return getattr(R2P, local) if prefix == "r2p" else URIRef(PREFIXES[prefix] + local)
