"""A researcher's first hour with r2pkg: three questions the five sources answer, asked from Python.

Run it after `r2pkg build` (the test suite runs it too, so it never goes stale):

    .venv/bin/python docs/tutorial.py

Each step prints what it finds and checks it, so a change in the data or the API that breaks the walk-through fails
loudly instead of printing nothing.
"""

from __future__ import annotations

import r2pkg
from r2pkg.api import python_name


def main() -> None:
    # Open the current build in memory (r2pkg.load(endpoint=URL) asks any SPARQL 1.1 endpoint instead).
    kg = r2pkg.load()

    # The example catalogue is there as methods; help(kg.catalogue) lists them with their parameters,
    # `r2pkg query --list` does the same on the command line.
    print(f"{len(kg.catalogue)} questions in the catalogue, for example:")
    for question in list(kg.catalogue)[:3]:
        print(f"  kg.catalogue.{python_name(question.name)}(): {question.title}")

    # --- Question 1: what do the sources ask of Ghana? --------------------------------------------------------
    # A recommendation applies to a state when it is addressed to it, to a category that covers it ("states"),
    # to an organisation or network it belongs to, or to a post in it. Parameters are keyword arguments; a
    # prefixed name such as state:ghana stands for the full IRI.
    ghana = kg.catalogue.applies_to_actor(actor="state:ghana")
    frame = ghana.to_dataframe()
    print(f"\n1. {len(frame)} recommendations apply to Ghana. Through which addressee, how many:")
    by_route = frame.groupby("via_label")["recommendation"].nunique().sort_values(ascending=False)
    print(by_route.to_string())
    assert len(frame) > 0 and by_route.sum() >= frame["recommendation"].nunique()

    # The same question for another state is one argument away: compare what applies to both.
    nigeria = {row["recommendation"] for row in kg.catalogue.applies_to_actor(actor="state:nigeria")}
    shared = set(frame["recommendation"]) & nigeria
    print(f"   {len(shared)} of them apply to Nigeria as well.")

    # --- Question 2: which themes do the recommendations address most? ---------------------------------------
    themes = kg.catalogue.recommendations_by_theme().to_dataframe()
    top = themes.sort_values("recommendations", ascending=False).head(3)
    print("\n2. The three themes with the most recommendations:")
    for row in top.itertuples():
        print(f"   {row.theme_label}: {row.recommendations}")
    assert list(top["recommendations"]) == sorted(top["recommendations"], reverse=True)

    # --- Question 3: your own SPARQL: how many recommendations does each source address to the UN itself? ----
    # Rows come back as plain Python values (IRIs as str, numbers as int) and convert to dicts or a DataFrame.
    per_source = kg.query("""
        PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?source ?title (COUNT(DISTINCT ?rec) AS ?recommendations) WHERE {
          ?rec a r2p:Recommendation ;
               r2p:addressedTo <https://w3id.org/r2pkg/id/organisation/united-nations> ;
               r2p:statedIn ?source .
          ?source rdfs:label ?title .
          FILTER(lang(?title) = "en" || lang(?title) = "")
        }
        GROUP BY ?source ?title
        ORDER BY DESC(?recommendations) ?title
    """)
    print("\n3. Recommendations addressed to the United Nations itself, per source:")
    for row in per_source.to_dicts():
        print(f"   {row['recommendations']:3}  {row['title']}")
    assert per_source.columns == ["source", "title", "recommendations"]
    assert all(isinstance(row["recommendations"], int) and row["recommendations"] > 0 for row in per_source)


if __name__ == "__main__":
    main()
