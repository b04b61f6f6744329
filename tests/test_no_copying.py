"""The project writes labels and summaries in its own words: no literal repeats eight words running of a source.

Proper names are names, not sentences: the labels of named things are exempt, and names are taken out of
descriptions before they are compared. Labels of recommendations, commitments, events and tenures are ours
and are checked like descriptions.
"""

from __future__ import annotations

from rdflib import Literal

from r2pkg.dataset import load_data
from r2pkg.namespaces import DCTERMS, R2P, RDF, RDFS, SKOS
from r2pkg.sources import normalise, read_source

WINDOW = 8
OWN_WORDS = {R2P.Recommendation, R2P.SuggestedAction, R2P.Commitment, R2P.Tenure}


def shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i:i + WINDOW]) for i in range(len(words) - WINDOW + 1)}


def copied_literals(dataset, source_shingles) -> list[str]:
    own_words = {s for s, _p, o, _g in dataset.quads((None, RDF.type, None, None)) if o in OWN_WORDS}
    names = sorted(
        {normalise(str(o)) for s, p, o, _g in dataset.quads((None, None, None, None))
         if p in (RDFS.label, SKOS.altLabel) and s not in own_words},
        key=len, reverse=True,
    )
    copied = []
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        if not isinstance(o, Literal) or p == DCTERMS.title:
            continue
        if p in (RDFS.label, SKOS.altLabel) and s not in own_words:
            continue
        text = f" {normalise(str(o))} "
        for name in names:
            if len(name.split()) >= 3:
                text = text.replace(f" {name} ", " | ")
        if shingles(text) & source_shingles:
            copied.append(f"{s} {p}: {o}")
    return copied


def source_shingles(settings) -> set:
    found = set()
    for path in sorted(settings.seeds_dir.glob("*.txt")):
        found |= shingles(normalise(read_source(path)))
    return found


def test_no_literal_copies_a_sentence_of_a_source(settings):
    assert copied_literals(load_data(settings), source_shingles(settings)) == []


def test_the_check_catches_a_copied_sentence(settings):
    from rdflib import Dataset, URIRef

    text = read_source(settings.seeds_dir / "000_0d30753e7e577810.txt")
    dataset = Dataset()
    rec = URIRef("https://w3id.org/r2pkg/id/recommendation/t")
    dataset.add((rec, RDF.type, R2P.Recommendation))
    dataset.add((rec, DCTERMS.description, Literal(text[2950:3150])))
    assert len(copied_literals(dataset, source_shingles(settings))) == 1
