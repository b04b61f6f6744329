"""SHACL validation of the data and the check that every project term in use is declared; a report a person can act on.

The shapes run on one graph: the union of the ontology and every data file, so that an entity described in
data/core.ttl and attested in a source file is judged as a whole, and sh:targetClass follows rdfs:subClassOf.
Each result is traced back to the data file (named graph) that asserts its focus node.
Measured on the real data: this pre-unioned graph validates in about 3 s; handing pySHACL the ontology as
ont_graph with inference='rdfs' gives the same results in about 9 s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from .config import Settings
from .dataset import data_files, graph_name, load_data, parse_turtle
from .namespaces import DCTERMS, PREFIXES, R2P, RDF, RDFS, SH, SHAPES_NS, SKOS
from .sparql_text import tokens, unescape_local

SEVERITIES = ("Violation", "Warning", "Info")
"""Severities from the most to the least serious; only violations make the data fail."""

R2P_NS = str(R2P._NS)


@dataclass(frozen=True)
class Result:
    """One SHACL result, with what a person needs to find and fix it."""

    severity: str
    focus: str
    label: str
    path: str
    value: str
    message: str
    file: str
    shape: str

    def sort_key(self) -> tuple:
        return (self.file, SEVERITIES.index(self.severity), self.focus, self.path, self.value, self.message)


@dataclass(frozen=True)
class UndeclaredTerm:
    """An IRI in the ontology's namespace that a file uses but the ontology does not declare."""

    file: str
    line: int
    term: str


@dataclass
class ValidationReport:
    """The outcome of `validate`: SHACL results and undeclared terms, and pySHACL's own report graph."""

    results: list[Result] = field(default_factory=list)
    undeclared: list[UndeclaredTerm] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph, repr=False, compare=False)
    """pySHACL's report (an sh:ValidationReport with its sh:result nodes), for tools that read SHACL; it does not
    cover undeclared terms, which are not a SHACL check."""

    @property
    def conforms(self) -> bool:
        """True when there is no violation and no undeclared term; warnings and infos do not count."""
        return not self.undeclared and not any(r.severity == "Violation" for r in self.results)

    def by_severity(self, severity: str) -> list[Result]:
        return [r for r in self.results if r.severity == severity]

    @property
    def violations(self) -> list[Result]:
        return self.by_severity("Violation")

    @property
    def warnings(self) -> list[Result]:
        return self.by_severity("Warning")

    def counts(self) -> dict[str, int]:
        counts = {severity: len(self.by_severity(severity)) for severity in SEVERITIES}
        counts["Undeclared"] = len(self.undeclared)
        return counts

    def summary(self) -> str:
        c = self.counts()
        parts = [
            _plural(c["Violation"], "violation"), _plural(c["Warning"], "warning"), _plural(c["Info"], "info", "infos"),
            _plural(c["Undeclared"], "undeclared term"),
        ]
        return ", ".join(parts) + (": the data conforms" if self.conforms else ": the data does NOT conform")

    def as_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [asdict(r) for r in self.results],
            "undeclared": [asdict(u) for u in self.undeclared],
        }

    def text(self) -> str:
        """The report grouped by file, most serious first, then by entity."""
        lines = [f"Validation: {self.summary()}"]
        by_file: dict[str, list[Result]] = {}
        for result in self.results:
            by_file.setdefault(result.file or "(no data file)", []).append(result)
        for file in sorted(by_file):
            lines += ["", file]
            for r in by_file[file]:
                entity = f"{r.focus} ({r.label})" if r.label else r.focus
                lines.append(f"  {r.severity.upper():9} {entity}")
                where = f"{r.path}: " if r.path else ""
                lines.append(f"            {where}{r.message}")
                if r.value:
                    lines.append(f"            value: {r.value}")
        if self.undeclared:
            lines += ["", "Terms in the r2p: namespace that ontology/r2pkg.ttl does not declare"]
            for u in self.undeclared:
                lines.append(f"  {u.file}:{u.line}  {u.term}" if u.line else f"  {u.file}  {u.term}")
        return "\n".join(lines) + "\n"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


class _HashedList(list):
    """A list whose `in` is a set lookup: what pySHACL's constraint-parameter list needs (see below)."""

    def __init__(self, items):
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item) -> bool:
        return item in self._members


def _hash_pyshacl_constraint_lookup() -> None:
    """pySHACL (0.40) checks every predicate of a shape against its list of about 40 constraint parameters by
    comparing rdflib terms one by one, for every focus node of every property shape: 5.8 million comparisons and
    about 15% of validation on the project's data. Its module-level cache of that list (`pyshacl.shape.CONSTRAINT_PARAMS`)
    is filled here with the same items in the same order, in a list that looks members up by hash. Should a pySHACL
    release drop that cache, this does nothing."""
    try:
        import pyshacl.shape
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:
        return
    cached = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    if (cached is None or type(cached[0]) is list) and isinstance(ALL_CONSTRAINT_PARAMETERS, list):
        pyshacl.shape.CONSTRAINT_PARAMS = (_HashedList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)


def load_shapes(settings: Settings) -> Graph:
    """Every shapes file, in one graph; a syntax error raises LoadError naming the file and line."""
    graph = Graph()
    for shapes in _shape_files(settings).values():
        graph += shapes
    return graph


def _shape_files(settings: Settings) -> dict[Path, Graph]:
    return {path: parse_turtle(path) for path in sorted(settings.shapes_dir.glob("*.ttl"))}


def validate(settings: Settings, dataset: Dataset | None = None, data_dir: Path | None = None,
             ontology: Graph | None = None) -> ValidationReport:
    """Validate the data (the given dataset, or the files under `data_dir` or data/) against the shapes and the ontology.

    Raises LoadError when a data, ontology or shapes file cannot be parsed; nothing is validated then. The build
    hands over the dataset and ontology it already parsed.
    """
    files = sorted(data_dir.rglob("*.ttl")) if data_dir is not None else data_files(settings)
    if dataset is None:
        dataset = load_data(settings, files)
    ontology = ontology if ontology is not None else parse_turtle(settings.ontology_file)
    shape_files = _shape_files(settings)
    shapes = Graph()
    for graph in shape_files.values():
        shapes += graph
    names = _namespace_manager(dataset, shapes)
    file_of_graph = {graph_name(settings, path): _relative(settings, path) for path in files}

    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    union += ontology
    _hash_pyshacl_constraint_lookup()
    _, results_graph, _ = shacl_validate(
        union, shacl_graph=shapes, inference="none", abort_on_first=False, allow_infos=True, allow_warnings=True,
    )
    results = _results(results_graph, dataset, union, names, file_of_graph)
    undeclared = _undeclared(settings, dataset, shape_files, ontology, file_of_graph, files)
    for prefix, namespace in names.namespaces():
        results_graph.bind(prefix, namespace, override=True, replace=True)
    return ValidationReport(results=results, undeclared=undeclared, graph=results_graph)


def _relative(settings: Settings, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(settings.root.resolve()))
    except ValueError:
        return str(path)


def _namespace_manager(*graphs: Graph) -> NamespaceManager:
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace)
    manager.bind("shape", str(SHAPES_NS))
    for graph in graphs:
        for prefix, namespace in graph.namespaces():
            if prefix and prefix not in dict(manager.namespaces()):
                manager.bind(prefix, namespace, override=False)
    return manager


def _short(term, names: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return names.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3(names)
    return str(term)


def _label(graph: Graph, node) -> str:
    """The English label of a node, any label, or its title; for a span, what it attests."""
    best = ""
    for predicate in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal):
                if value.language in ("en", None):
                    return str(value)
                best = best or str(value)
    if best:
        return best
    if isinstance(node, BNode):
        for subject in graph.subjects(R2P.attestedBy, node):
            return f"span attesting {_label(graph, subject) or subject}"
    return ""


def _path_name(graph: Graph, path, names: NamespaceManager) -> str:
    """A result path as a person reads it: a property, or alternatives joined by '|' (stated or interpreted)."""
    from rdflib.collection import Collection

    if isinstance(path, URIRef):
        return _short(path, names)
    alternatives = graph.value(path, SH.alternativePath) if path is not None else None
    if alternatives is not None:
        return "|".join(_short(p, names) for p in Collection(graph, alternatives) if isinstance(p, URIRef))
    return ""


def _focus_name(graph: Graph, node, names: NamespaceManager) -> str:
    if isinstance(node, BNode):
        for subject in graph.subjects(R2P.attestedBy, node):
            return f"[span of {_short(subject, names)}]"
        return "[blank node]"
    return _short(node, names)


def _file_of(dataset: Dataset, focus, path, value, file_of_graph: dict) -> str:
    """The data file that asserts the offending statement, else the focus node's type, else anything about it."""
    patterns = []
    if isinstance(path, URIRef) and value is not None:
        patterns.append((focus, path, value))
    patterns += [(focus, RDF.type, None), (focus, None, None)]
    for pattern in patterns:
        found = sorted(f for f in (file_of_graph.get(_identifier(ctx)) for *_, ctx in dataset.quads(pattern)) if f)
        if found:
            return found[0]
    return ""


def _identifier(context) -> URIRef | None:
    return getattr(context, "identifier", context)


def _results(results_graph: Graph, dataset: Dataset, union: Graph, names: NamespaceManager, file_of_graph: dict) -> list[Result]:
    seen = set()
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(node, SH.focusNode)
        path = results_graph.value(node, SH.resultPath)
        value = results_graph.value(node, SH.value)
        severity = results_graph.value(node, SH.resultSeverity)
        shape = results_graph.value(node, SH.sourceShape)
        messages = sorted(str(m) for m in results_graph.objects(node, SH.resultMessage))
        key = (focus, path, value, shape)
        if key in seen:  # one property shape reached through two node shapes
            continue
        seen.add(key)
        shown_value = ""
        if value is not None and value != focus:
            shown_value = _short(value, names)
            if isinstance(value, URIRef) and (value_label := _label(union, value)):
                shown_value += f" ({value_label})"
        results.append(Result(
            severity=str(severity).rsplit("#", 1)[-1],
            focus=_focus_name(union, focus, names),
            label=_label(union, focus),
            path=_path_name(results_graph, path, names),
            value=shown_value,
            message=messages[0] if messages else "",
            file=_file_of(dataset, focus, path, value, file_of_graph),
            shape=_short(shape, names) if isinstance(shape, URIRef) else "",
        ))
    return sorted(results, key=Result.sort_key)


# --- undeclared terms -----------------------------------------------------------------------------------------------

def terms_in_text(text: str, namespace: str = R2P_NS) -> dict[str, int]:
    """Every IRI in `namespace` that a Turtle or SPARQL text names outside comments and strings, with its first line."""
    prefixes: dict[str, str] = {}
    found: dict[str, int] = {}
    lexemes = tokens(text)
    i = 0
    while i < len(lexemes):
        token = lexemes[i]
        i += 1
        if token.kind == "word" and token.text.upper() == "PREFIX" and i + 1 < len(lexemes) \
                and lexemes[i].kind == "pname" and lexemes[i + 1].kind == "iri":  # PREFIX (SPARQL), @prefix (Turtle)
            prefixes[lexemes[i].text[:-1]] = lexemes[i + 1].text[1:-1]
            i += 2
            continue
        if token.kind == "iri":
            iri = token.text[1:-1]
        elif token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + unescape_local(local)
        else:
            continue
        if iri.startswith(namespace) and len(iri) > len(namespace):
            found.setdefault(iri, text.count("\n", 0, token.start) + 1)
    return found


def declared_terms(ontology: Graph) -> set[URIRef]:
    """The terms of the r2p namespace that the ontology declares (gives a type)."""
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(R2P_NS)}


def _graph_terms(triples: Iterable[tuple]) -> set[URIRef]:
    terms = set()
    for triple in triples:
        for term in triple[:3]:
            if isinstance(term, Literal):
                term = term.datatype
            if isinstance(term, URIRef) and str(term).startswith(R2P_NS) and str(term) != R2P_NS:
                terms.add(term)
    return terms


def _undeclared(settings: Settings, dataset: Dataset, shape_files: dict[Path, Graph], ontology: Graph,
                file_of_graph: dict, files: list[Path]) -> list[UndeclaredTerm]:
    declared = declared_terms(ontology)
    path_of = {_relative(settings, p): p for p in files}
    used: list[tuple[str, set[URIRef], Path | None]] = []
    for graph_iri, file in sorted(file_of_graph.items(), key=lambda item: item[1]):
        used.append((file, _graph_terms(dataset.graph(graph_iri)), path_of.get(file)))
    for path, graph in shape_files.items():
        used.append((_relative(settings, path), _graph_terms(graph), path))
    for path in sorted(settings.queries_dir.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        used.append((_relative(settings, path), {URIRef(t) for t in terms_in_text(text)}, path))
    undeclared = []
    for file, terms, path in used:
        missing = sorted(terms - declared)
        if not missing:
            continue
        lines = terms_in_text(path.read_text(encoding="utf-8")) if path is not None and path.is_file() else {}
        for term in missing:
            undeclared.append(UndeclaredTerm(file=file, line=lines.get(str(term), 0), term=f"r2p:{term[len(R2P_NS):]}"))
    return sorted(undeclared, key=lambda u: (u.file, u.line, u.term))
