"""Compact JSON-LD of a whole dataset in one linear pass: each graph's subjects grouped into one node object, keys
and values compacted with the published context (ontology/context.jsonld).

PyLD's compaction scans every term of the context for every IRI it compacts (about 25 s for the seed build's 177k
quads, growing with data × terms); this writer looks each IRI up once in tables made from the context. It reads only
the context features the project's context uses (prefixes, terms with @id and a @type coercion) and refuses any
other, so a new context feature cannot silently change what the file means.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import BinaryIO

import pyoxigraph as ox

from .errors import R2pkgError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_GEN_DELIMS = tuple(":/?#[]@")
_UP_TO_LAST_GEN_DELIM = re.compile(r".*[:/?#\[\]@]", re.DOTALL)
"""Matched against iri[:end], it ends just after the last gen-delim before `end` (one C call instead of seven rfinds)."""
_TERM_KEYS = {"@id", "@type"}


class ContextError(R2pkgError, ValueError):
    """The context uses a feature this writer does not apply (containers, language maps, @vocab, …)."""


class Compactor:
    """IRI and value compaction with one context: prefixes (terms whose IRI ends in a gen-delim, JSON-LD 1.1's
    prefix flag), and terms mapping a property to a key, with an optional @type coercion ('@id' or a datatype IRI)."""

    def __init__(self, context: dict):
        for key in context:
            if key.startswith("@"):
                raise ContextError(f"the JSON-LD writer does not apply {key} in a context")
        self.prefixes: dict[str, str] = {}
        for name, definition in context.items():
            if isinstance(definition, str) and definition.endswith(_GEN_DELIMS) and ":" not in name:
                self.prefixes[name] = definition
        self._namespaces = {namespace: name for name, namespace in sorted(self.prefixes.items(), reverse=True)}
        self.term_iri: dict[str, str] = {}
        self.property_term: dict[str, tuple[str, str | None]] = {}
        for name, definition in sorted(context.items(), key=lambda item: (len(item[0]), item[0])):
            if isinstance(definition, str):
                iri, coercion = self._expand(definition), None
            elif isinstance(definition, dict):
                if set(definition) - _TERM_KEYS:
                    raise ContextError(f"term {name}: the JSON-LD writer does not apply {sorted(set(definition) - _TERM_KEYS)}")
                iri = self._expand(definition.get("@id", name))
                coercion = definition.get("@type")
                if coercion not in (None, "@id"):
                    coercion = self._expand(coercion)
            else:
                raise ContextError(f"term {name}: unsupported definition {definition!r}")
            self.term_iri[name] = iri
            if name not in self.prefixes:
                self.property_term.setdefault(iri, (name, coercion))
        self._ids: dict[str, str] = {}
        self._vocab: dict[str, str] = {}

    def _expand(self, value: str) -> str:
        prefix, colon, suffix = value.partition(":")
        if colon and not suffix.startswith("//") and prefix in self.prefixes:
            return self.prefixes[prefix] + suffix
        if not colon:
            raise ContextError(f"cannot expand {value!r}: not an IRI or compact IRI")
        return value

    def _compact_iri(self, iri: str) -> str:
        """prefix:suffix with the longest matching prefix, which expands back to `iri` (a value when vocab is false)."""
        scheme, _, rest = iri.partition(":")
        if scheme in self.prefixes and not rest.startswith("//"):
            raise ContextError(f"{iri} would be read as a compact IRI with prefix {scheme}")
        end = len(iri) - 1
        while end > 0:
            found = _UP_TO_LAST_GEN_DELIM.match(iri, 0, end)
            if found is None:
                break
            end = found.end() - 1
            name = self._namespaces.get(iri[: end + 1])
            if name is not None and not iri.startswith("//", end + 1):
                return f"{name}:{iri[end + 1:]}"
        return iri

    def node_id(self, term) -> str:
        """A subject, graph name or @id value: compact IRI, or _:label."""
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        iri = term.value
        found = self._ids.get(iri)
        if found is None:
            found = self._ids[iri] = self._compact_iri(iri)
        return found

    def vocab(self, iri: str) -> str:
        """A @type value or datatype (vocab is true: a term name would be read as the term's IRI, so none is used)."""
        found = self._vocab.get(iri)
        if found is None:
            found = self._compact_iri(iri)
            if self.term_iri.get(found, iri) != iri:
                found = iri
            if self.term_iri.get(found, iri) != iri:
                raise ContextError(f"{iri} cannot be written: it is the name of another term")
            self._vocab[iri] = found
        return found

    def key(self, predicate: str) -> tuple[str, str | None]:
        """The key of a property (its term, else its compact or full IRI) and the key's @type coercion."""
        found = self.property_term.get(predicate)
        if found is None:
            found = self.property_term[predicate] = (self.vocab(predicate), None)
        return found

    def value(self, term, coercion: str | None):
        """An object as JSON-LD: a bare string where the key's coercion (or plain xsd:string) makes it exact."""
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            datatype = term.datatype.value
            if datatype == coercion or (datatype == XSD_STRING and coercion is None):
                return term.value
            if datatype == XSD_STRING:
                return {"@value": term.value}
            return {"@value": term.value, "@type": self.vocab(datatype)}
        node = self.node_id(term)
        return node if coercion == "@id" else {"@id": node}


def _sort_key(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _nodes(compactor: Compactor, quads: Iterable) -> list[dict]:
    """One node object per subject of `quads` (all of one graph), keys and values sorted, a single value not wrapped
    in a list."""
    ids, keys, objects = {}, {}, {}  # per term object: its compact form, so each is worked out once
    subjects: dict[str, dict[str, list]] = {}
    for subject, predicate, obj, _ in quads:
        sid = ids.get(subject)
        if sid is None:
            sid = ids[subject] = compactor.node_id(subject)
        node = subjects.get(sid)
        if node is None:
            node = subjects[sid] = {}
        key = keys.get(predicate)
        if key is None:
            key = keys[predicate] = ("@type", "@type") if predicate.value == RDF_TYPE else compactor.key(predicate.value)
        value = objects.get((obj, key[1]))
        if value is None:
            if key[1] == "@type":
                if isinstance(obj, ox.Literal):
                    key = compactor.key(predicate.value)
                    value = compactor.value(obj, key[1])
                else:
                    value = compactor.vocab(obj.value) if isinstance(obj, ox.NamedNode) else compactor.node_id(obj)
            else:
                value = compactor.value(obj, key[1])
            if not isinstance(obj, ox.Literal):
                objects[(obj, key[1])] = value
        values = node.get(key[0])
        if values is None:
            node[key[0]] = [value]
        else:
            values.append(value)
    nodes = []
    for subject in sorted(subjects):
        properties = subjects[subject]
        node = {"@id": subject}
        for key in sorted(properties, key=lambda k: (k != "@type", k)):
            values = properties[key]
            node[key] = values[0] if len(values) == 1 else sorted(values, key=_sort_key)
        nodes.append(node)
    return nodes


def write_dataset(quads: Iterable[ox.Quad] | ox.Store, context: dict, out: BinaryIO) -> None:
    """Write `quads` as one compact JSON-LD document: the context, then the default graph's nodes and one
    {"@id": graph, "@graph": [...]} per named graph, one node per line."""
    compactor = Compactor(context["@context"])
    graphs: dict[object, Iterable] = {}
    if isinstance(quads, ox.Store):  # graph by graph from the store's index, nothing gathered first
        graphs = {graph: quads.quads_for_pattern(None, None, None, graph) for graph in quads.named_graphs()}
        default = quads.quads_for_pattern(None, None, None, ox.DefaultGraph())
    else:
        for quad in quads:
            in_graph = graphs.get(quad[3])
            if in_graph is None:
                in_graph = graphs[quad[3]] = []
            in_graph.append(quad)
        default = graphs.pop(ox.DefaultGraph(), [])
    parts = [_nodes(compactor, default)]
    for name in sorted(graphs, key=compactor.node_id):
        parts.append((compactor.node_id(name), _nodes(compactor, graphs[name])))
    dump = json.JSONEncoder(ensure_ascii=False).encode
    out.write(b'{\n"@context": ' + json.dumps(context["@context"], indent=1, ensure_ascii=False).encode("utf-8"))
    entries = [dump(node) for node in parts[0]]
    for name, nodes in parts[1:]:
        entries.append('{"@id": %s, "@graph": [\n%s\n]}' % (dump(name), ",\n".join(dump(node) for node in nodes)))
    out.write(b',\n"@graph": [\n' + ",\n".join(entries).encode("utf-8") + b"\n]\n}\n")
