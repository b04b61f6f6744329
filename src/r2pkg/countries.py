"""Generate data/countries.ttl: ISO 3166-1 codes and names in the six UN languages for every state in the data.

The codes and names come from the data bundled with hdx-python-country (never fetched live), which each state
names as its `dct:source`. Codes go on r2p:iso3166* properties, never on org:identifier (an OWL key in ORG).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS

from .canonical import canonical_turtle
from .config import Settings
from .dataset import data_files, parse_turtle
from .namespaces import R2P

PACKAGE = URIRef("https://pypi.org/project/hdx-python-country/")
"""The package the codes and names come from, named by every state as its dct:source."""
PACKAGE_REPOSITORY = URIRef("https://github.com/OCHA-DAP/hdx-python-country")
PACKAGE_LICENSE = URIRef("https://opensource.org/licenses/MIT")

GRAPH_NAME = "countries"

OVERRIDES: dict[str, str] = {
    "The Gambia": "GMB",
}
"""English labels of the data that the package does not know verbatim, mapped to their ISO 3166-1 alpha-3 code."""

LANGUAGES: dict[str, str] = {
    "en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "zh": "Chinese", "ar": "Arabic",
}
"""The six official UN languages and the column prefix hdx-python-country uses for each."""


class CountryError(Exception):
    """A state of the data could not be matched to a country of the package."""


@dataclass(frozen=True)
class Country:
    """One country as the package describes it."""

    alpha2: str
    alpha3: str
    numeric: str
    short: dict[str, str]
    """Short name (UNTERM) per language."""
    other: dict[str, set[str]]
    """Other names per language (M49 name, English formal name) that differ from the short one."""


def countries_file(settings: Settings) -> Path:
    return settings.data_dir / f"{GRAPH_NAME}.ttl"


def _package_data() -> dict:
    from hdx.location.country import Country as HdxCountry

    return HdxCountry.countriesdata(use_live=False)


def _country(record: dict) -> Country:
    short, other = {}, {}
    for lang, column in LANGUAGES.items():
        name = (record.get(f"{column} Short") or "").strip()
        short[lang] = name
        alternatives = {(record.get(f"M49 {column}") or "").strip()}
        if lang == "en":
            formal = (record.get("English Formal") or "").strip()
            alternatives.add(formal[4:] if formal.startswith("the ") else formal)
        other[lang] = {a for a in alternatives if a and a != name}
    return Country(
        alpha2=record["ISO 3166-1 Alpha 2-Codes"],
        alpha3=record["ISO 3166-1 Alpha 3-Codes"],
        numeric=str(record["m49 numerical code"]).zfill(3),
        short=short,
        other=other,
    )


def lookup(label: str, data: dict | None = None) -> Country:
    """The package's country for an English state label: an explicit override, else an exact name match."""
    data = data or _package_data()
    iso3 = OVERRIDES.get(label) or data["countrynames2iso3"].get(label.strip().upper())
    if iso3 is None or iso3 not in data["countries"]:
        raise CountryError(f"no country named {label!r} in hdx-python-country: add it to r2pkg.countries.OVERRIDES")
    return _country(data["countries"][iso3])


def states(settings: Settings) -> dict[URIRef, str]:
    """Every r2p:State of the data files (except countries.ttl itself) with its one English label."""
    target = countries_file(settings)
    graph = Graph()
    for path in data_files(settings):
        if path.resolve() != target.resolve():
            parse_turtle(path, into=graph)
    found: dict[URIRef, str] = {}
    for state in sorted(set(graph.subjects(RDF.type, R2P.State))):
        english = sorted({str(o) for o in graph.objects(state, RDFS.label) if isinstance(o, Literal) and o.language == "en"})
        if len(english) != 1:
            raise CountryError(f"state {state} needs exactly one English rdfs:label, has {english or 'none'}")
        found[state] = english[0]
    return found


def countries_graph(settings: Settings) -> Graph:
    """The content of data/countries.ttl for the states the data holds now."""
    data = _package_data()
    graph = Graph()
    graph.add((settings.graph_iri(GRAPH_NAME), PROV.wasDerivedFrom, PACKAGE))
    graph.add((PACKAGE, RDF.type, PROV.Entity))
    graph.add((PACKAGE, RDF.type, SDO.SoftwareSourceCode))
    graph.add((PACKAGE, RDFS.label, Literal("hdx-python-country", lang="en")))
    graph.add((PACKAGE, DCTERMS.description, Literal(
        "Python package of the UN OCHA Humanitarian Data Exchange with ISO 3166-1 codes and country names in the "
        "six UN languages; its bundled data is the source of the codes and non-English names here.", lang="en")))
    graph.add((PACKAGE, DCTERMS.source, PACKAGE_REPOSITORY))
    graph.add((PACKAGE, DCTERMS.license, PACKAGE_LICENSE))
    for state, label in states(settings).items():
        country = lookup(label, data)
        graph.add((state, DCTERMS.source, PACKAGE))
        graph.add((state, R2P.iso3166Alpha2, Literal(country.alpha2)))
        graph.add((state, R2P.iso3166Alpha3, Literal(country.alpha3)))
        graph.add((state, R2P.iso3166Numeric, Literal(country.numeric)))
        for lang in LANGUAGES:
            name = country.short[lang]
            if lang == "en":
                if name and name != label:
                    graph.add((state, SKOS.altLabel, Literal(name, lang=lang)))
            elif name:
                graph.add((state, RDFS.label, Literal(name, lang=lang)))
            for alternative in sorted(country.other[lang]):
                if not (lang == "en" and alternative == label):
                    graph.add((state, SKOS.altLabel, Literal(alternative, lang=lang)))
    return graph


def generate(settings: Settings, check: bool = False) -> bool:
    """Write data/countries.ttl (or, with check, only compare); True when the file was already up to date."""
    text = canonical_turtle(countries_graph(settings))
    path = countries_file(settings)
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == text:
        return True
    if not check:
        path.write_text(text, encoding="utf-8")
    return False
