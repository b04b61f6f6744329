"""The Python API: load the built graph and ask it questions, as rows, plain dicts or a pandas DataFrame.

Every question of the catalogue (queries/*.rq) is also a method of `KnowledgeGraph.catalogue`, named after its file
with `_` for `-`, that takes the question's parameters as keyword arguments and documents itself for `help()`:

    kg = r2pkg.load()
    kg.catalogue.applies_to_actor(actor="state:ghana").to_dataframe()
    help(kg.catalogue)                     # every question, its parameters and columns
"""

from __future__ import annotations

import datetime
import inspect
import re
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .catalogue import CatalogueError, CompetencyQuestion, load_catalogue, parse_query_file, resolve
from .config import Settings
from .store import EmbeddedBackend, RemoteBackend, dataset_path


def python_value(term: Node) -> Any:
    """An RDF term as a plain Python value: IRIs and blank nodes as str, literals by their datatype."""
    if isinstance(term, (URIRef, BNode)):
        return str(term)
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Literal):  # no Python type for it (xsd:gYear, xsd:gYearMonth, ...): its lexical form
            return str(value)
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, (str, int, float, bool, datetime.date, datetime.datetime)):
            return value
        return str(term)
    return term


@dataclass
class Result:
    """The answer to a SELECT: column names and rows of plain Python values."""

    columns: list[str]
    rows: list[dict[str, Any]]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def tuples(self) -> list[tuple]:
        return [tuple(row.get(c) for c in self.columns) for row in self.rows]

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as plain dicts, one key per column in column order (None where a variable is unbound)."""
        return [{column: row.get(column) for column in self.columns} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs the `pandas` extra)."""
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install 'r2pkg[pandas]'") from error
        return pd.DataFrame(self.tuples(), columns=self.columns)


def python_name(name: str) -> str:
    """The method name of a catalogue question: its file stem with `_` for `-` ('applies-to-actor' -> 'applies_to_actor')."""
    identifier = re.sub(r"\W", "_", name)
    return identifier if identifier.isidentifier() and not identifier[0].isdigit() else f"q_{identifier}"


def question_doc(question: CompetencyQuestion) -> str:
    """What `help()` shows for a catalogue question: title, question, parameters with defaults, columns."""
    lines = [question.title, "", textwrap.fill(question.question, 88), ""]
    if question.params:
        lines.append("Keyword arguments (a full IRI or a prefixed name such as state:ghana):")
        for name, default in question.params.items():
            lines.append(f"    {name}: default {default}" if default else f"    {name}: no default (left open)")
        lines.append("")
    lines.append("Returns a Result with the columns: " + ", ".join(question.columns))
    lines.append(f"Catalogue name: {question.name} (queries/{question.name}.rq); topic: {question.topic}")
    return "\n".join(lines)


class Catalogue:
    """The questions of the catalogue as methods: `kg.catalogue.<name>(**params)` returns a Result."""

    def __init__(self, graph: "KnowledgeGraph"):
        self._graph = graph

    def __iter__(self):
        return iter(self._graph.questions())

    def __len__(self) -> int:
        return len(self._graph.questions())

    def __getitem__(self, name: str):
        """The method of a question by its catalogue name ('applies-to-actor') or method name."""
        method = getattr(self, python_name(name), None)
        if method is None or not callable(method) or name.startswith("_"):
            raise KeyError(name)
        return method

    def __repr__(self) -> str:
        return "<Catalogue: " + ", ".join(python_name(q.name) for q in self) + ">"


def _question_method(question: CompetencyQuestion):
    def ask(self, **params: str) -> Result:
        return self._graph.query(question.name, **{k: v for k, v in params.items() if v is not None})

    name = python_name(question.name)
    ask.__name__ = name
    ask.__qualname__ = f"Catalogue.{name}"
    ask.__doc__ = question_doc(question)
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    parameters += [inspect.Parameter(python_name(p), inspect.Parameter.KEYWORD_ONLY, default=default or None,
                                     annotation=str) for p, default in question.params.items()]
    ask.__signature__ = inspect.Signature(parameters, return_annotation=Result)
    return ask


def catalogue_class(questions: list[CompetencyQuestion]) -> type:
    """A Catalogue subclass with one documented method per question, so help() and tab completion list them all."""
    methods = {python_name(question.name): _question_method(question) for question in questions}
    listing = "\n".join(f"    {python_name(q.name)}({', '.join(f'{p}=...' for p in q.params)}): {q.title}"
                        for q in questions)
    methods["__doc__"] = ("The questions of the catalogue as methods; each returns a Result "
                          "(.rows, .to_dicts(), .to_dataframe()).\n\n" + listing)
    return type("Catalogue", (Catalogue,), methods)


class KnowledgeGraph:
    """A handle on the graph: run catalogue questions by name (or as methods of `catalogue`), .rq files, or SPARQL."""

    def __init__(self, backend, settings: Settings):
        self.backend = backend
        self.settings = settings
        self._catalogue = None

    def questions(self) -> list[CompetencyQuestion]:
        return load_catalogue(self.settings)

    @property
    def catalogue(self) -> Catalogue:
        """Every catalogue question as a method taking its parameters as keyword arguments (see help())."""
        if self._catalogue is None:
            self._catalogue = catalogue_class(self.questions())(self)
        return self._catalogue

    def query(self, query: str, **params: str) -> Result:
        """Run a catalogue name, a path to a .rq file, or SELECT text; `params` fill the query's $parameters."""
        text = self._text(query, params)
        answer = self.backend.select(text)
        return Result(answer.variables, [{k: python_value(v) for k, v in row.items()} for row in answer.rows])

    def ask(self, query: str) -> bool:
        return self.backend.ask(query)

    def construct(self, query: str):
        """A CONSTRUCT or DESCRIBE answer as an rdflib Graph."""
        return self.backend.construct(query)

    def dataframe(self, query: str, **params: str):
        return self.query(query, **params).to_dataframe()

    def applies_to(self, actor: str, *, include_interpreted: bool = False, max_specificity: int = 4) -> Result:
        """What applies to an actor (IRI or prefixed name such as state:kenya), ranked by specificity (1 named
        directly … 4 only through a broad category), with path, addressee and basis. By default only addressees
        the sources state; `include_interpreted=True` adds those the project's authors read from context."""
        return self.query("applies-to-actor", actor=actor, include_interpreted=str(bool(include_interpreted)).lower(),
                          max_specificity=str(int(max_specificity)))

    def addressees(self, *, include_interpreted: bool = False) -> Result:
        """Who each recommendation targets, with basis "stated" (the source names it) or "interpreted"."""
        return self.query("recommendations-by-addressee", include_interpreted=str(bool(include_interpreted)).lower())

    def explain(self, subject: str, predicate: str, obj: str):
        """Why the graph holds a statement (terms as full IRIs or prefixed names): an `explain.Explanation` tree."""
        from .explain import Explainer, parse_term

        terms = (parse_term(subject, "subject"), parse_term(predicate, "predicate"), parse_term(obj, "object"))
        return Explainer(self.backend).explain(*terms)

    def _text(self, query: str, params: dict[str, str]) -> str:
        stripped = query.strip()
        if stripped.endswith(".rq"):
            if not Path(stripped).is_file():
                raise CatalogueError(f"no such query file: {stripped}")
            return parse_query_file(Path(stripped), require_header=False).bind(params)
        if re.fullmatch(r"[\w-]+", stripped):
            return resolve(stripped, self.settings).bind(params)
        if params:
            raise CatalogueError("parameters apply only to catalogue queries and .rq files")
        return query


def load(path: str | Path | None = None, *, endpoint: str | None = None, settings: Settings | None = None) -> KnowledgeGraph:
    """Open the graph: the current build (or the N-Quads file at `path`) in memory, or a remote SPARQL endpoint."""
    settings = settings or Settings.from_env()
    if endpoint:
        return KnowledgeGraph(RemoteBackend(endpoint), settings)
    target = Path(path) if path else dataset_path(settings)
    return KnowledgeGraph(EmbeddedBackend.from_file(target), settings)
