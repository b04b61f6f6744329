"""The competency questions in queries/: their comment headers, parameters, and running them on a backend.

A query file opens with a header of `# key: value` lines:

    # title: Recommendations that apply to a state
    # question: Which recommendations apply to a given state, directly or through a category?
    # columns: recommendation, label, via
    # param: state = https://w3id.org/r2pkg/id/state/ghana
    # chart: bar label count

A parameter is written `$name` in the query body. Without a value it keeps its default from the header;
a value given by the caller is substituted as an RDF term (an IRI when it looks like one, else a literal).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Literal, URIRef

from .config import Settings
from .errors import R2pkgError
from .namespaces import PREFIXES

HEADER_LINE = re.compile(r"^#\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*)$")
PARAM_TOKEN = r"\$(?P<name>{name})\b"


OTHER_TOPIC = "Other questions"
"""The heading of a question that `queries/topics.toml` does not list."""


class CatalogueError(R2pkgError, ValueError):
    """A query file or a parameter is not usable; the message says which and why."""


@dataclass(frozen=True)
class Chart:
    kind: str
    label_column: str
    value_column: str


@dataclass(frozen=True)
class CompetencyQuestion:
    """One .rq file of the catalogue with its parsed header."""

    name: str
    path: Path
    title: str
    question: str
    columns: tuple[str, ...]
    text: str
    params: dict[str, str] = field(default_factory=dict)
    chart: Chart | None = None
    topic: str = OTHER_TOPIC

    def bind(self, values: dict[str, str] | None = None) -> str:
        """The query text with every `$param` replaced by the given value or the header's default."""
        merged = dict(self.params)
        for key, value in (values or {}).items():
            if key not in self.params:
                known = ", ".join(sorted(self.params)) or "none"
                raise CatalogueError(f"{self.name}: unknown parameter {key!r} (parameters: {known})")
            merged[key] = _as_default_kind(self.name, key, str(value), self.params[key])
        text = self.text
        for key, value in merged.items():
            if not value:
                continue  # no default: the parameter stays a free variable
            text = re.sub(PARAM_TOKEN.format(name=re.escape(key)), lambda _m, v=value: term_syntax(v), text)
        return text


def is_iri(value: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$", value)) and "://" in value


def _as_default_kind(query: str, name: str, value: str, default: str) -> str:
    """A value for a parameter whose default is an IRI must be an IRI too (a prefixed name such as state:ghana is
    expanded): a string would silently match nothing."""
    if not default or not is_iri(default) or is_iri(value):
        return value
    prefix, sep, local = value.strip().partition(":")
    if sep and prefix in PREFIXES and local:
        return f"{PREFIXES[prefix]}{local}"
    raise CatalogueError(
        f"{query}: parameter {name!r} wants an IRI such as {default} or a prefixed name such as "
        f"{prefixed(default)}, got {value!r}"
    )


def prefixed(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return f"<{iri}>"


def term_syntax(value: str) -> str:
    """A parameter value as SPARQL syntax: an absolute IRI becomes <iri>, anything else a plain string literal."""
    if is_iri(value):
        return URIRef(value).n3()
    return Literal(value).n3()


def parse_query_file(path: Path, require_header: bool = True) -> CompetencyQuestion:
    """Read one .rq file; a header without title, question or columns is an error (for a user's own file, given
    `require_header=False`, the title is the file name and the columns are the query's)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from error
    header: dict[str, str] = {}
    params: dict[str, str] = {}
    chart = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match["key"], match["value"].strip()
        if key == "param":
            name, _, default = value.partition("=")
            params[name.strip()] = default.strip()
        elif key == "chart":
            parts = value.split()
            if len(parts) != 3:
                raise CatalogueError(f"{path}: chart needs 'kind label-column value-column', got {value!r}")
            chart = Chart(*parts)
        else:
            header[key] = value
    missing = [key for key in ("title", "question", "columns") if not header.get(key)]
    if missing and not require_header:
        header = {"title": path.stem, "question": "", "columns": "", **header}
    elif missing:
        raise CatalogueError(f"{path}: header lacks {', '.join(missing)}")
    return CompetencyQuestion(
        name=path.stem,
        path=path,
        title=header["title"],
        question=header["question"],
        columns=tuple(c.strip() for c in header["columns"].split(",") if c.strip()),
        text=text,
        params=params,
        chart=chart,
    )


def load_topics(folder: Path) -> dict[str, str]:
    """Question name -> topic heading, from `topics.toml` of the queries folder (topics in file order)."""
    path = folder / "topics.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"{path}: {error}") from error
    topics: dict[str, str] = {}
    for topic in data.get("topic", []):
        for name in topic.get("questions", []):
            topics.setdefault(name, topic["name"])
    return topics


def topic_order(folder: Path) -> list[str]:
    """The topic headings in the order of `topics.toml`, then the heading of unlisted questions."""
    return list(dict.fromkeys([*load_topics(folder).values(), OTHER_TOPIC]))


def load_catalogue(settings: Settings | None = None, folder: Path | None = None) -> list[CompetencyQuestion]:
    """Every competency question in queries/ (not the qc/ checks), sorted by file name, each with its topic."""
    folder = folder or (settings or Settings.from_env()).queries_dir
    topics = load_topics(folder)
    return [replace(question, topic=topics.get(question.name, OTHER_TOPIC))
            for question in (parse_query_file(path) for path in sorted(folder.glob("*.rq")))]


def qc_queries(settings: Settings | None = None) -> list[Path]:
    """The quality-control queries that must return no rows."""
    return sorted(((settings or Settings.from_env()).queries_dir / "qc").glob("*-violation.rq"))


def resolve(name_or_file: str, settings: Settings | None = None) -> CompetencyQuestion:
    """A catalogue entry by name (file stem) or a path to any .rq file with a header."""
    settings = settings or Settings.from_env()
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return parse_query_file(path)
    candidate = settings.queries_dir / f"{name_or_file}.rq"
    if candidate.is_file():
        question = parse_query_file(candidate)
        return replace(question, topic=load_topics(settings.queries_dir).get(question.name, OTHER_TOPIC))
    names = ", ".join(q.name for q in load_catalogue(settings))
    raise CatalogueError(f"no query named {name_or_file!r}; known: {names}")
