"""`r2pkg explain S P O`: why the graph holds a statement, as a tree down to the sources' locators."""

from __future__ import annotations

import json
import sys

import click

from . import main, reports_errors


def _render(explanation, tree, labels) -> None:
    from rich.markup import escape

    if explanation.about_span:
        tree.add("[green]as the data gives it[/green] (about a blank node: a text span or an RDF list)")
    for support in explanation.asserted:
        if support.document is not None:
            spans = "; ".join(f"characters {s.start}–{s.end} (sha256 {(s.sha256 or '')[:12]}…)" for s in support.spans)
            tree.add(f"[green]stated[/green] in {escape(labels(support.document))}"
                     + (f": {escape(spans)}" if spans else " (no span of the subject in this document)"))
        elif support.outside_sources:
            tree.add(f"[green]asserted[/green] in {escape(labels(support.graph))}, from "
                     + ", ".join(escape(labels(s)) for s in support.outside_sources))
        elif support.spans:
            named = "; ".join(f"{labels(s.document)} characters {s.start}–{s.end}" for s in support.spans[:5])
            more = f" and {len(support.spans) - 5} more" if len(support.spans) > 5 else ""
            tree.add(f"[green]asserted[/green] in {escape(labels(support.graph))}; the subject is named in "
                     f"{escape(named)}{more}")
        else:
            tree.add(f"[green]asserted[/green] in {escape(labels(support.graph))}")
    if explanation.inferred:
        rule = escape(explanation.rule_label or labels(explanation.rule) if explanation.rule else "an unrecorded rule")
        branch = tree.add(f"[yellow]inferred[/yellow] by rule [bold]{rule}[/bold]"
                          + (f" — {escape(explanation.rule_description)}" if explanation.rule_description else ""))
        for premise in explanation.premises:
            child = branch.add(escape(f"{labels(premise.subject)} {labels(premise.predicate)} {labels(premise.object)}"))
            _render(premise, child, labels)
        if explanation.truncated:
            branch.add("[dim]… (cut: the tree is too large)[/dim]")


@main.command("explain")
@click.argument("subject")
@click.argument("predicate")
@click.argument("object")
@click.option("--format", "fmt", type=click.Choice(["tree", "json"]), default="tree", show_default=True)
@click.option("--endpoint", metavar="URL", help="Ask a SPARQL 1.1 endpoint instead of the embedded build.")
@reports_errors
def explain_command(subject: str, predicate: str, object: str, fmt: str, endpoint: str | None) -> None:
    """Why the graph holds SUBJECT PREDICATE OBJECT (full IRIs or prefixed names such as rec:gnfp-2019-09
    r2p:appliesTo state:ghana; a literal object in N-Triples syntax): the sources that state it, or the rule and
    premises that infer it, recursively down to the source spans. Exit 1 when the graph does not hold it."""
    from ..api import load
    from ..explain import Explainer, parse_term
    from ..namespaces import PREFIXES

    terms = (parse_term(subject, "subject"), parse_term(predicate, "predicate"), parse_term(object, "object"))
    graph = load(endpoint=endpoint)
    explanation = Explainer(graph.backend).explain(*terms)
    if not explanation.found:
        click.echo(f"the graph does not hold {' '.join(t.n3() for t in terms)}", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps(explanation.as_dict(), indent=2, ensure_ascii=False))
        return

    def labels(term) -> str:
        text = str(term)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return term.n3() if hasattr(term, "n3") else text

    from rich.console import Console
    from rich.tree import Tree

    root = Tree(f"[bold]{labels(explanation.subject)} {labels(explanation.predicate)} {labels(explanation.object)}[/bold]")
    _render(explanation, root, labels)
    Console(width=max(100, Console().width)).print(root)
