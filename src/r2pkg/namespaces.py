"""IRIs of the project as checked Python names: the ontology (R2P), the instance and graph bases, and reused vocabularies."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace, Namespace

__all__ = [
    "R2P", "OA", "VANN", "SH", "SD", "W3C_FORMATS", "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD",
    "ONTOLOGY_IRI", "SHAPES_NS", "PREFIXES", "ID_KINDS", "DEFAULT_BASE", "SPARQL_PROLOGUE", "local_name",
]

DEFAULT_BASE = "https://w3id.org/r2pkg/"
ONTOLOGY_IRI = URIRef(DEFAULT_BASE + "ontology")
SHAPES_NS = Namespace(DEFAULT_BASE + "shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
"""The W3C vocabulary naming media formats (the service description lists its answers' formats with it)."""


class R2P(DefinedNamespace):
    """Terms of the r2pkg ontology (ontology/r2pkg.ttl); a test keeps this list and the ontology equal."""

    _NS = Namespace(DEFAULT_BASE + "ontology#")
    _fail = True

    AcademicInstitution: URIRef
    Actor: URIRef
    ActorCategory: URIRef
    AddresseeInterpretation: URIRef
    Agenda: URIRef
    Agreement: URIRef
    ArmedGroup: URIRef
    AtrocityCrime: URIRef
    BroadActorCategory: URIRef
    CivilSocietyNetwork: URIRef
    CivilSocietyOrganisation: URIRef
    CodeOfConduct: URIRef
    Commitment: URIRef
    Company: URIRef
    Conference: URIRef
    Derivation: URIRef
    Dialogue: URIRef
    DialogueSession: URIRef
    Document: URIRef
    EarlyWarningSystem: URIRef
    EducationalTool: URIRef
    Event: URIRef
    FocalPointPost: URIRef
    Foundation: URIRef
    GovernmentBody: URIRef
    InferenceRule: URIRef
    Initiative: URIRef
    IntergovernmentalOrganisation: URIRef
    InternationalOrganisation: URIRef
    Interpretation: URIRef
    InvestigativeMechanism: URIRef
    Measure: URIRef
    Mechanism: URIRef
    Meeting: URIRef
    MeetingReport: URIRef
    MemberRole: URIRef
    NationalFocalPointPost: URIRef
    Network: URIRef
    Norm: URIRef
    OperationalPractice: URIRef
    Organisation: URIRef
    Partnership: URIRef
    PeacekeepingOperation: URIRef
    Person: URIRef
    Pillar: URIRef
    PillarInterpretation: URIRef
    Place: URIRef
    Policy: URIRef
    PolicyMemo: URIRef
    Post: URIRef
    Principles: URIRef
    QuantitativeFact: URIRef
    Recommendation: URIRef
    RegionalFocalPointPost: URIRef
    RegionalOrganisation: URIRef
    Resolution: URIRef
    ReviewMechanism: URIRef
    Situation: URIRef
    SourceDocument: URIRef
    SpecialPoliticalMission: URIRef
    State: URIRef
    StateNetwork: URIRef
    Strategy: URIRef
    SubRegionalOrganisation: URIRef
    SuggestedAction: URIRef
    Tenure: URIRef
    TextSpan: URIRef
    Theme: URIRef
    ThemeInterpretation: URIRef
    Tool: URIRef
    TrainingCourse: URIRef
    TrainingEvent: URIRef
    UNCountryTeam: URIRef
    UNEntity: URIRef
    UNFieldPresence: URIRef
    UNOffice: URIRef
    UNOrgan: URIRef
    Workshop: URIRef
    WorldSummit: URIRef
    addressedTo: URIRef
    appliesByInterpretationTo: URIRef
    appliesDirectlyTo: URIRef
    appliesThroughAffiliationTo: URIRef
    appliesThroughBroadCategoryTo: URIRef
    appliesThroughCategoryTo: URIRef
    appliesTo: URIRef
    attestedBy: URIRef
    basedIn: URIRef
    byRule: URIRef
    committedBy: URIRef
    committedTo: URIRef
    concernsActor: URIRef
    concernsCrime: URIRef
    concernsMechanism: URIRef
    concernsSituation: URIRef
    contentSha256: URIRef
    coversActor: URIRef
    coversClass: URIRef
    coversMembersOf: URIRef
    derives: URIRef
    discussedMechanism: URIRef
    discussedSituation: URIRef
    endDate: URIRef
    excludesClass: URIRef
    foundedBy: URIRef
    foundedIn: URIRef
    hasInterpretation: URIRef
    hasTheme: URIRef
    heldAsOf: URIRef
    heldIn: URIRef
    hosted: URIRef
    hostedBy: URIRef
    inCategory: URIRef
    inDocument: URIRef
    inYear: URIRef
    inYearMonth: URIRef
    interpretedAddressee: URIRef
    interpretedAs: URIRef
    interpretedPillar: URIRef
    interpretedTheme: URIRef
    isFormer: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    iso3166Numeric: URIRef
    issuedAt: URIRef
    locatedIn: URIRef
    madeCommitment: URIRef
    measure: URIRef
    onDate: URIRef
    operatedBy: URIRef
    operates: URIRef
    partOf: URIRef
    participant: URIRef
    participatedIn: URIRef
    precededBy: URIRef
    premise: URIRef
    produced: URIRef
    producedBy: URIRef
    quantity: URIRef
    quantityOf: URIRef
    quantityQualifier: URIRef
    rationale: URIRef
    receivesRecommendation: URIRef
    relatedMechanism: URIRef
    relatesToPillar: URIRef
    reportedIn: URIRef
    reportsOn: URIRef
    ruleFile: URIRef
    situationIn: URIRef
    sourceFile: URIRef
    spanSha256: URIRef
    specificityRank: URIRef
    startDate: URIRef
    statedIn: URIRef
    supportedBy: URIRef
    supports: URIRef
    tenureHolder: URIRef
    tenurePost: URIRef
    usedBy: URIRef
    uses: URIRef
    viaInstrument: URIRef


ID_KINDS: dict[str, str] = {
    "cat": "category", "commit": "commitment", "crime": "crime", "doc": "document", "drv": "derivation",
    "event": "event", "fact": "fact", "measure": "measure", "mech": "mechanism", "mship": "membership",
    "orgn": "organisation", "person": "person", "pillar": "pillar", "place": "place", "post": "post",
    "rec": "recommendation", "role": "role", "rule": "rule", "scheme": "scheme", "sit": "situation",
    "state": "state", "stmt": "statement", "tenure": "tenure", "theme": "theme",
}
"""Prefix of each kind of instance IRI, as data files declare them (id/<kind>/<slug>)."""

PREFIXES: dict[str, str] = {
    "r2p": str(R2P._NS),
    **{prefix: f"{DEFAULT_BASE}id/{kind}/" for prefix, kind in ID_KINDS.items()},
    "graph": DEFAULT_BASE + "graph/",
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "oa": str(OA),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "skos": str(SKOS),
    "xsd": str(XSD),
}

SPARQL_PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(PREFIXES.items()))
"""The PREFIX block of every query the project writes, built from the one prefix table above."""


def local_name(iri: str) -> str:
    """The last segment of an IRI (after its last '#' or '/'), for a label where none is recorded."""
    text = str(iri)
    return re.split(r"[#/]", text.rstrip("/#"))[-1] or text
