"""The ontology: parses, declares and documents every term, carries its metadata, and matches r2pkg.namespaces.R2P."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from r2pkg.dataset import parse_turtle
from r2pkg.namespaces import ONTOLOGY_IRI, R2P

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
NS = str(R2P._NS)


@pytest.fixture(scope="module")
def ontology(settings) -> Graph:
    return parse_turtle(settings.ontology_file)


@pytest.fixture(scope="module")
def declared(ontology) -> dict[URIRef, set[URIRef]]:
    """Each declared IRI with the kinds (owl:Class, owl:ObjectProperty, ...) it is declared as."""
    found: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                found.setdefault(term, set()).add(kind)
    return found


def r2p_terms(declared) -> set[URIRef]:
    return {term for term in declared if str(term).startswith(NS)}


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    version = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert isinstance(version_iri, URIRef) and version is not None
    assert str(version_iri) == f"{ONTOLOGY_IRI}/{version}"
    assert isinstance(ontology.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)
    assert list(ontology.objects(ONTOLOGY_IRI, DCTERMS.creator))
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None


def test_each_term_is_declared_as_one_kind(declared):
    mixed = {term: kinds for term, kinds in declared.items() if len(kinds) > 1}
    assert mixed == {}


def test_every_r2p_term_used_is_declared(ontology, declared):
    used = {node for triple in ontology for node in triple if isinstance(node, URIRef) and str(node).startswith(NS)}
    assert used - set(declared) == set()


def test_every_term_has_an_english_label_and_definition(ontology, declared):
    """r2p terms and the reused classes and properties; reused annotation properties only describe the ontology."""
    undocumented = []
    for term, kinds in sorted(declared.items()):
        if not str(term).startswith(NS) and kinds == {OWL.AnnotationProperty}:
            continue
        labels = [label for label in ontology.objects(term, RDFS.label) if isinstance(label, Literal) and label.language == "en"]
        definitions = list(ontology.objects(term, SKOS.definition)) + list(ontology.objects(term, RDFS.comment))
        if len(labels) != 1 or not definitions:
            undocumented.append(str(term))
    assert undocumented == []


def test_declared_domains_and_ranges_are_declared_classes_or_datatypes(ontology, declared):
    classes = {term for term, kinds in declared.items() if OWL.Class in kinds}

    def is_class(node) -> bool:
        members = ontology.value(node, OWL.unionOf)
        if members is not None:
            return all(member in classes for member in ontology.items(members))
        return node in classes

    problems = []
    for term, kinds in declared.items():
        for domain in ontology.objects(term, RDFS.domain):
            if not is_class(domain):
                problems.append((str(term), "domain", str(domain)))
        for range_ in ontology.objects(term, RDFS.range):
            if OWL.ObjectProperty in kinds and not is_class(range_):
                problems.append((str(term), "object range", str(range_)))
            if OWL.DatatypeProperty in kinds and not (str(range_).startswith(str(XSD)) or range_ == RDFS.Literal):
                problems.append((str(term), "datatype range", str(range_)))
    assert problems == []


def test_r2p_object_properties_have_domain_and_range_or_an_inverse_that_does(ontology, declared):
    def typed(prop) -> bool:
        return (prop, RDFS.domain, None) in ontology or (prop, RDFS.range, None) in ontology

    untyped = []
    for term, kinds in declared.items():
        if str(term).startswith(NS) and OWL.ObjectProperty in kinds and not typed(term):
            inverses = set(ontology.objects(term, OWL.inverseOf)) | set(ontology.subjects(OWL.inverseOf, term))
            if not any(typed(inverse) for inverse in inverses):
                untyped.append(str(term))
    assert untyped == []


def test_namespace_terms_equal_the_ontology(declared):
    python_terms = {URIRef(NS + name) for name in R2P.__annotations__}
    ontology_terms = r2p_terms(declared)
    assert python_terms - ontology_terms == set(), "in r2pkg.namespaces.R2P but not declared in the ontology"
    assert ontology_terms - python_terms == set(), "declared in the ontology but missing from r2pkg.namespaces.R2P"


def test_classes_are_in_the_hierarchy(ontology, declared):
    """Every r2p class specialises something, so nothing floats outside the disjoint top-level kinds."""
    roots = {R2P.Actor, R2P.Mechanism, R2P.Commitment, R2P.Recommendation, R2P.Event, R2P.Situation, R2P.Place,
             R2P.Document, R2P.TextSpan, R2P.Tenure}
    orphans = [str(term) for term, kinds in declared.items()
               if str(term).startswith(NS) and OWL.Class in kinds and term not in roots
               and (term, RDFS.subClassOf, None) not in ontology]
    assert orphans == []


PACKAGE = Path(__file__).parents[1] / "src" / "r2pkg"
CURIE = re.compile(r"(?<![\w/#:.-])r2p:(?P<local>[A-Za-z_][\w-]*)(?![\w*-])|(?<![\w.])R2P\.(?P<attr>[A-Za-z]\w*)"
                   r"|<?https://w3id\.org/r2pkg/ontology#(?P<iri>[A-Za-z_][\w-]*)")


def _package_files():
    """The package's Python, page queries, templates and own scripts (not the vendored browser components)."""
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".rq", ".html", ".js") and "vendor" not in path.parts:
            yield path


def test_every_r2p_term_in_the_package_is_declared(declared):
    """Page queries, the tables of sections, kinds and facets, and any r2p term left in Python or a template."""
    from r2pkg.namespaces import SPARQL_PROLOGUE
    from r2pkg.validation import terms_in_text

    undeclared = set()
    for path in _package_files():
        text = path.read_text(encoding="utf-8")
        found = {URIRef(NS + next(name for name in match.groups() if name)) for match in CURIE.finditer(text)}
        if path.suffix == ".rq":  # what a SPARQL reader sees, with the prefixes every page query gets
            found |= {URIRef(term) for term in terms_in_text(SPARQL_PROLOGUE + text)}
        undeclared |= {f"{path.relative_to(PACKAGE)}: r2p:{term[len(NS):]}" for term in found - set(declared)}
    assert undeclared == set()


def test_page_queries_are_found_and_cover_the_pages():
    """Every page query the package ships is read through the package (so it works installed) and parses."""
    import pyoxigraph as ox

    from r2pkg.web import page_queries
    from r2pkg.web.browse import FACETS, KINDS
    from r2pkg.web.sections import section_table, sections_query

    names = sorted(p.name.removesuffix(".rq") for p in page_queries.FOLDER.iterdir() if p.name.endswith(".rq"))
    tables = {"sections", "kinds", "facets", "map-colourings"}
    samples = {"this": "<urn:x>", "document": "<urn:x>", "start": "0", "end": "1"}  # terms; others: patterns
    store = ox.Store()
    for name in set(names) - tables:
        text = page_queries.text(name)
        values = {param: samples.get(param, "") for param in page_queries.PARAMETER.findall(text)}
        store.query(page_queries.query(name, **values))
    for colouring in page_queries.blocks("map-colourings"):
        store.query(page_queries.query("state-values", pattern=colouring.pattern))
    store.query(sections_query(list(section_table()), "<urn:x>"))
    assert len(section_table()) == len(page_queries.blocks("sections"))
    assert set(KINDS) >= {"states", "recommendations"} and [f.key for f in FACETS][:2] == ["addressee", "category"]
