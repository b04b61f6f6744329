"""The project's own vocabularies (actor categories, themes, pillars, measures, atrocity crimes, their concept schemes
and the roles in organisations) are labelled in the six UN languages, and the pages show them in the page's language:
a French reader filters by « Alerte rapide », not "Early warning"."""

from __future__ import annotations

from collections import defaultdict

import lxml.html
import pytest

from r2pkg.namespaces import SPARQL_PROLOGUE
from r2pkg.web.language import LANGUAGES

ID = "https://w3id.org/r2pkg/id/"
SCHEMES = {ID + "scheme/" + name for name in ("actor-categories", "themes", "pillars", "measures", "atrocity-crimes")}

VOCABULARY_LABELS = SPARQL_PROLOGUE + """
SELECT DISTINCT ?x ?label (lang(?label) AS ?lang) WHERE {
  { ?x skos:inScheme ?scheme . ?scheme a skos:ConceptScheme } UNION { ?x a skos:ConceptScheme } UNION { ?x a org:Role }
  OPTIONAL { ?x rdfs:label ?label }
}"""


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


def shown(tree, xpath: str) -> list[tuple[str, str]]:
    """The (language, text) of the labels the xpath finds (spans written by the `label` macro)."""
    return [(span.get("lang"), span.text_content().strip()) for span in tree.xpath(xpath)]


def test_every_vocabulary_entry_has_one_label_in_each_un_language(kg):
    languages = defaultdict(list)
    for row in kg.query(VOCABULARY_LABELS).rows:
        languages[str(row["x"])] += [row["lang"]] if row.get("label") is not None else []
    assert SCHEMES <= set(languages), "the five concept schemes"
    members = [x for x in languages if x not in SCHEMES]
    assert sum(x.startswith(ID + "theme/") for x in members) == 19
    assert {ID + "role/member", ID + "role/observer", ID + "role/secretariat", ID + "category/states",
            ID + "crime/genocide", ID + "pillar/pillar-3", ID + "measure/years"} <= set(members)
    missing = {x: sorted(found) for x, found in languages.items() if sorted(found) != sorted(LANGUAGES)}
    assert missing == {}, "each needs exactly one rdfs:label in ar, zh, en, fr, ru and es"


@pytest.mark.parametrize("lang, early_warning, states", [
    ("en", "Early warning", "States"),
    ("fr", "Alerte rapide", "États"),
    ("es", "Alerta temprana", "Estados"),
    ("ru", "Раннее предупреждение", "Государства"),
    ("zh", "预警", "国家"),
    ("ar", "الإنذار المبكر", "الدول"),
])
def test_the_browser_facets_name_themes_and_categories_in_the_page_language(client, lang, early_warning, states):
    tree = html(client, f"/recommendations?lang={lang}")
    theme = '//section[@id="facet-theme"]//a[@data-value="%s"]/span' % (ID + "theme/early-warning")
    category = '//section[@id="facet-category"]//a[@data-value="%s"]/span' % (ID + "category/states")
    assert shown(tree, theme) == [(lang, early_warning)]
    assert shown(tree, category) == [(lang, states)]
    themes = shown(tree, '//section[@id="facet-theme"]//a/span')
    assert len(themes) > 10 and all(found == lang for found, _ in themes), "no theme falls back to English"


def test_arabic_browser_names_the_pillar_as_the_secretary_general_report_does(client):
    tree = html(client, "/recommendations?lang=ar&interpreted=include")
    pillar = '//section[@id="facet-pillar"]//a[@data-value="%s"]/span' % (ID + "pillar/pillar-3")
    assert shown(tree, pillar) == [("ar", "الركيزة الثالثة: الاستجابة الحاسمة في الوقت المناسب")]


def test_french_browser_names_the_chosen_theme_in_the_active_filter(client):
    tree = html(client, "/recommendations?lang=fr&theme=" + ID + "theme/early-warning")
    assert shown(tree, '//ul[@class="active-filters"]//span[@lang]') == [("fr", "Alerte rapide")]


def test_a_spanish_state_page_says_the_category_in_spanish(client):
    tree = html(client, "/id/state/ghana?lang=es")
    categories = shown(tree, '//section[@id="applies"]//a[@href="/id/category/states"]/span')
    assert categories and set(categories) == {("es", "Estados")}
    assert shown(tree, '//section[@id="applies"]//a[@href="/id/category/un-member-states"]/span')[0] == (
        "es", "Estados Miembros de la ONU")


@pytest.mark.parametrize("url, heading", [
    ("/id/theme/early-warning?lang=ar", "الإنذار المبكر"),
    ("/id/crime/crimes-against-humanity?lang=fr", "Crimes contre l'humanité"),
    ("/id/crime/ethnic-cleansing?lang=fr", "Nettoyage ethnique"),
    ("/id/pillar/pillar-1?lang=zh", "第一支柱：国家的保护责任"),
    ("/id/scheme/pillars?lang=ru", "Компоненты ответственности по защите"),
    ("/id/role/observer?lang=es", "Observador"),
])
def test_vocabulary_pages_are_headed_in_the_page_language(client, url, heading):
    tree = html(client, url)
    assert shown(tree, "//h1//span[@lang]") == [(url.rsplit("=", 1)[1], heading)]


@pytest.mark.parametrize("question, key, label, english", [
    ("recommendations-by-theme", "theme", "theme_label", ("theme/early-warning", "Early warning")),
    ("recommendations-by-addressee-category", "category", "category_label", ("category/states", "States")),
    ("crimes", "crime", "crime_label", ("crime/ethnic-cleansing", "Ethnic cleansing")),
])
def test_catalogue_questions_keep_one_english_row_per_concept(kg, question, key, label, english):
    rows = kg.query(question).rows
    by_concept = defaultdict(set)
    for row in rows:
        by_concept[str(row[key])].add(row[label])
    assert by_concept[ID + english[0]] == {english[1]}
    assert all(len(labels) == 1 for labels in by_concept.values()), "the translations do not multiply the rows"


@pytest.mark.parametrize("row, label", [
    ("theme%2Fearly-warning", "الإنذار المبكر"),
    ("pillar%2Fpillar-3", "الركيزة الثالثة: الاستجابة الحاسمة في الوقت المناسب"),
    ("category%2Fstates", "الدول"),
])
def test_arabic_statistics_name_their_rows_in_arabic(client, row, label):
    tree = html(client, "/stats?lang=ar")
    assert set(shown(tree, f'//th[@scope="row"]/a[contains(@href, "{row}")]/span')) == {("ar", label)}
