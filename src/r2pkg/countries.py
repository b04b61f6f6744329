"""Generate data/countries.ttl: every UN member and observer state, with ISO 3166-1 codes, names in the six UN
languages, and UN membership (role member or observer).

The codes, names and the list of Member States (the package's "Appears in DGACM list" column: the UN's own list of
its 193 Member States) come from the data bundled with hdx-python-country (never fetched live), which each state
and membership names as its `dct:source`. The two observer states are not in that list; their status names the UN's
page on non-member states as its source. States the sources name keep their IRIs; the others get a slug made from
their English short name. Codes go on r2p:iso3166* properties, never on org:identifier (an OWL key in ORG).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS

from .canonical import canonical_turtle
from .config import Settings
from .dataset import data_files, parse_turtle
from .errors import R2pkgError
from .generated import write_if_changed
from .namespaces import ORG, PREFIXES, R2P

PACKAGE = URIRef("https://pypi.org/project/hdx-python-country/")
"""The package the codes and names come from, named by every state as its dct:source."""
PACKAGE_REPOSITORY = URIRef("https://github.com/OCHA-DAP/hdx-python-country")
PACKAGE_LICENSE = URIRef("https://opensource.org/licenses/MIT")

OBSERVERS_SOURCE = URIRef("https://www.un.org/en/about-us/non-member-states")
"""The UN's page on the non-member states that hold observer status, named by the two observer memberships."""
OBSERVER_STATES = ("VAT", "PSE")
"""ISO 3166-1 alpha-3 codes of the Holy See and the State of Palestine, the UN's non-member observer states."""

GRAPH_NAME = "countries"

OVERRIDES: dict[str, str] = {
    "The Gambia": "GMB",
}
"""English labels of the data that the package does not know verbatim, mapped to their ISO 3166-1 alpha-3 code."""

LANGUAGES: dict[str, str] = {
    "en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "zh": "Chinese", "ar": "Arabic",
}
"""The six official UN languages and the column prefix hdx-python-country uses for each."""


class CountryError(R2pkgError):
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


def slug(name: str) -> str:
    """A state's IRI slug from its English short name: no parenthesis, accents or apostrophes, words joined by '-'."""
    import re
    import unicodedata

    name = re.sub(r"\s*\(.*?\)", "", name).replace("'", "").replace("\u2019", "")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def un_states(data: dict) -> dict[str, dict]:
    """The package's records of the 193 UN Member States and the two observer states, by alpha-3 code."""
    return {
        iso3: record for iso3, record in data["countries"].items()
        if record.get("Appears in DGACM list") == "Y" or iso3 in OBSERVER_STATES
    }


def _describe_sources(graph: Graph, settings: Settings) -> None:
    graph.add((settings.graph_iri(GRAPH_NAME), PROV.wasDerivedFrom, PACKAGE))
    graph.add((settings.graph_iri(GRAPH_NAME), PROV.wasDerivedFrom, OBSERVERS_SOURCE))
    graph.add((PACKAGE, RDF.type, PROV.Entity))
    graph.add((PACKAGE, RDF.type, SDO.SoftwareSourceCode))
    graph.add((PACKAGE, RDFS.label, Literal("hdx-python-country", lang="en")))
    graph.add((PACKAGE, DCTERMS.description, Literal(
        "Python package of the UN OCHA Humanitarian Data Exchange with ISO 3166-1 codes and country names in the "
        "six UN languages, and the UN's list of its Member States; its bundled data is the source of the codes, "
        "the non-English names, the states no source names, and UN membership here.", lang="en")))
    graph.add((PACKAGE, DCTERMS.source, PACKAGE_REPOSITORY))
    graph.add((PACKAGE, DCTERMS.license, PACKAGE_LICENSE))
    graph.add((OBSERVERS_SOURCE, RDF.type, PROV.Entity))
    graph.add((OBSERVERS_SOURCE, RDFS.label, Literal("United Nations: non-member states", lang="en")))
    graph.add((OBSERVERS_SOURCE, DCTERMS.description, Literal(
        "The UN's page on the non-member states that have received a standing invitation to take part as "
        "observers: the Holy See and the State of Palestine.", lang="en")))


def countries_graph(settings: Settings) -> Graph:
    """The content of data/countries.ttl: every UN member and observer state, plus any other state the data holds."""
    data = _package_data()
    graph = Graph()
    _describe_sources(graph, settings)
    named = states(settings)
    by_code = {lookup(label, data).alpha3: (state, label) for state, label in named.items()}
    united_nations = URIRef(PREFIXES["orgn"] + "united-nations")
    records = un_states(data)
    for iso3 in sorted(set(records) | set(by_code)):
        country = _country(data["countries"][iso3])
        if iso3 in by_code:
            state, label = by_code[iso3]
        else:
            label = country.short["en"]
            state = URIRef(PREFIXES["state"] + slug(label))
            graph.add((state, RDF.type, R2P.State))
            graph.add((state, RDFS.label, Literal(label, lang="en")))
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
        if iso3 in records:
            observer = iso3 in OBSERVER_STATES
            membership = URIRef(PREFIXES["mship"] + "united-nations-" + state.rsplit("/", 1)[1])
            graph.add((membership, RDF.type, ORG.Membership))
            graph.add((membership, RDFS.label, Literal(
                f"{label} as {'observer state at' if observer else 'member of'} the United Nations", lang="en")))
            graph.add((membership, ORG.member, state))
            graph.add((membership, ORG.organization, united_nations))
            graph.add((membership, ORG.role, URIRef(PREFIXES["role"] + ("observer" if observer else "member"))))
            graph.add((membership, DCTERMS.source, OBSERVERS_SOURCE if observer else PACKAGE))
    return graph


def generate(settings: Settings, check: bool = False) -> bool:
    """Write data/countries.ttl (or, with check, only compare); True when the file was already up to date."""
    return write_if_changed(countries_file(settings), canonical_turtle(countries_graph(settings)), check)
