"""The order of labels a person reads: letters compared without case or accents first ("État" with "Etat", before
"Ghana"), then exactly, so equal-looking labels keep a fixed order. Lists of things are sorted by it, never by IRI."""

from __future__ import annotations

import unicodedata

from rdflib import URIRef


def text_key(text: str) -> tuple[str, str]:
    """Sort key of a label: accents and case folded away, then the text itself as the tie-break."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return (folded, text)


def by_label(labels: dict):
    """Sort key of terms by their labels (`labels`: IRI -> Label in the page's language); resources before plain
    values, the term itself breaking ties."""

    def key(term) -> tuple:
        label = labels.get(term) if isinstance(term, URIRef) else None
        return (label is None and not isinstance(term, URIRef), text_key(label.text if label else str(term)), str(term))

    return key
