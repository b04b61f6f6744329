"""Words that come from the ontology (property and type names on entity pages, search results, statistics, the
ontology page) in the page's language; data labels (themes, categories, sources) stay English, said once per page."""

from __future__ import annotations

import json

import lxml.html
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal

from r2pkg.web.language import LANGUAGES

OTHER_LANGUAGES = sorted(set(LANGUAGES) - {"en"})
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
R2P = "https://w3id.org/r2pkg/ontology#"


def tree(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.get_data(as_text=True))


def notices(page) -> list[str]:
    return [" ".join(p.text_content().split()) for p in page.xpath('//p[contains(@class, "lang-fallback-notice")]')]


# --- the ontology file ------------------------------------------------------------------------------------------


def test_every_labelled_term_is_named_in_the_six_languages(settings):
    """A class or property with an English label has exactly one label in each of the five other UN languages."""
    ontology = Graph().parse(settings.ontology_file)
    terms = {term for kind in TERM_KINDS for term in ontology.subjects(RDF.type, kind)}
    missing = []
    labelled = 0
    for term in sorted(terms):
        labels = [label for label in ontology.objects(term, RDFS.label) if isinstance(label, Literal)]
        if not any(label.language == "en" for label in labels):
            continue
        labelled += 1
        for lang in OTHER_LANGUAGES:
            names = [str(label) for label in labels if label.language == lang]
            if len(names) != 1 or not names[0].strip():
                missing.append(f"{ontology.namespace_manager.normalizeUri(term)} @{lang}: {names}")
    assert labelled > 200
    assert missing == []


# --- entity pages -------------------------------------------------------------------------------------------------


def property_names(page) -> dict[str, tuple[str, str | None]]:
    """The statements table's property headers: property IRI -> (name, its language)."""
    found = {}
    for link in page.xpath('//th[@scope="rowgroup"]/a'):
        span = link.find("span")
        found[link.get("href")] = (span.text_content(), span.get("lang"))
    return found


@pytest.mark.parametrize("lang, member_of, state", [("fr", "membre de", "État"), ("ar", "عضو في", "دولة"),
                                                     ("zh", "成员所属组织", "国家")])
def test_property_and_type_names_of_a_state_page_are_in_its_language(client, lang, member_of, state):
    page = tree(client.get(f"/id/state/ghana?lang={lang}"))
    names = property_names(page)
    assert names["http://www.w3.org/ns/org#memberOf"] == (member_of, lang)
    assert len(names) > 10 and {name_lang for _, name_lang in names.values()} == {lang}
    assert "member of" not in {name for name, _ in names.values()}
    assert page.xpath('string(//a[contains(@class, "badge type") and not(contains(@class, "inferred"))])') == state


def test_the_english_state_page_keeps_its_english_names(client):
    names = property_names(tree(client.get("/id/state/ghana")))
    assert names["http://www.w3.org/ns/org#memberOf"] == ("member of", "en")
    assert names["/ontology#r2p-appliesByInterpretationTo"] == ("applies by interpretation to", "en")


# --- search -------------------------------------------------------------------------------------------------------


def test_api_search_names_types_and_entities_in_the_language(client):
    hits = client.get("/api/search?q=ghana&lang=fr").get_json()["results"]
    assert hits[0]["iri"].endswith("/state/ghana")
    assert (hits[0]["label"], hits[0]["type_label"]) == ("Ghana", "État")
    germany = client.get("/api/search?q=germany&lang=ar").get_json()["results"][0]
    assert (germany["label"], germany["type_label"]) == ("ألمانيا", "دولة")
    english = client.get("/api/search?q=germany").get_json()["results"][0]
    assert (english["label"], english["type_label"]) == ("Germany", "State")


def test_api_search_says_it_varies_with_the_language_asked_by_header(client):
    response = client.get("/api/search?q=ghana", headers={"Accept-Language": "es"})
    assert response.get_json()["results"][0]["type_label"] == "Estado"
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response.headers["Vary"].split(",")}


def test_search_page_groups_under_names_in_the_language_and_says_when_a_name_is_english(client):
    page = tree(client.get("/search?q=ghana&lang=fr"))
    headings = [" ".join(h.text_content().split()) for h in page.xpath("//section[@class='search-group']/h2")]
    assert headings[0] == "État (1)"
    english = page.xpath("//ul[@class='search-results']//a/span[@lang='en']/text()")
    assert "Steering Group of the Global Network of R2P Focal Points" in english
    assert len(notices(page)) == 1 and "anglais" in notices(page)[0]
    # every name in French: no notice
    page = tree(client.get("/search?q=allemagne&lang=fr"))
    assert page.xpath("string(//ul[@class='search-results']//a)") == "Allemagne" and notices(page) == []


# --- statistics ---------------------------------------------------------------------------------------------------


def stats_rows(page, key: str) -> dict[str, tuple[str, str | None]]:
    rows = page.xpath(f"//table[@data-figure='{key}']//tr[@data-iri]")
    return {row.get("data-iri"): (row.xpath("string(./th)").strip(), row.xpath("./th//span/@lang")[0]) for row in rows}


def test_stats_name_ontology_classes_in_the_language_and_say_data_labels_are_english(client):
    page = tree(client.get("/stats?lang=fr"))
    actors = stats_rows(page, "actor-types")
    assert actors[R2P + "State"] == ("État", "fr")
    assert actors[R2P + "CivilSocietyOrganisation"] == ("Organisation de la société civile", "fr")
    assert stats_rows(page, "addressee-types")[R2P + "ActorCategory"] == ("Catégorie d'acteurs", "fr")
    themes = stats_rows(page, "themes")
    assert themes["https://w3id.org/r2pkg/id/theme/early-warning"] == ("Alerte rapide", "fr")
    assert len(notices(page)) == 1 and "anglais" in notices(page)[0]
    charts = {chart["key"]: chart for chart in json.loads(page.get_element_by_id("stats-data").text)}
    assert "État" in charts["actor-types"]["labels"]


def test_english_stats_have_no_fallback_notice(client):
    page = tree(client.get("/stats"))
    assert stats_rows(page, "actor-types")[R2P + "State"] == ("State", "en")
    assert notices(page) == []


# --- the ontology page --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, state, focal_point", [("fr", "État", "point focal national R2P"),
                                                      ("ru", "государство", "национальный координатор по ОпЗ")])
def test_ontology_page_names_terms_in_the_language(client, lang, state, focal_point):
    page = tree(client.get(f"/ontology?lang={lang}"))
    assert page.xpath('string(//section[@id="r2p-State"]/h3/span)') == state
    assert page.xpath('string(//section[@id="r2p-NationalFocalPointPost"]/h3/span)') == focal_point
    assert page.xpath('string(//section[@id="r2p-State"]/p/@lang)') == "en"  # definitions are English
    assert len(notices(page)) == 1


def test_english_ontology_page_has_no_fallback_notice(client):
    page = tree(client.get("/ontology"))
    assert page.xpath('string(//section[@id="r2p-State"]/h3/span)') == "state" and notices(page) == []


def test_the_rank_of_what_a_recommendation_applies_to_is_named_in_the_language(client):
    """The "applies to, by specificity" section notes each entry's path by the ontology's property name."""
    for lang, name in (("en", "applies through category to"), ("es", "se aplica por categoría a")):
        page = tree(client.get(f"/id/recommendation/gnfp-2019-01?lang={lang}"))
        notes = page.xpath('//span[contains(@class, "note")]/a[@href="/ontology#r2p-appliesThroughCategoryTo"]/span')
        assert notes and {(n.text_content(), n.get("lang")) for n in notes} == {(name, lang)}


def test_a_named_graph_page_names_its_properties_in_the_language(client):
    page = tree(client.get("/graph/gnfp-2019?lang=ru"))
    names = {row.xpath("string(./td/code)"): (row.xpath("string(./td/span)"), row.xpath("string(./td/span/@lang)"))
             for row in page.xpath("//tbody/tr")}
    assert names[R2P + "attestedBy"] == ("подтверждается фрагментом", "ru")
    assert page.xpath('string(//p/a[starts-with(@href, "/id/document/")]/span/@lang)') == "en" and len(notices(page)) == 1


def test_the_shapes_page_says_its_english_texts_are_english(client):
    page = tree(client.get("/shapes?lang=es"))
    assert page.xpath("string(//section[contains(@class, 'shape')]/h2/@lang)") == "en"
    assert len(notices(page)) == 1 and "inglés" in notices(page)[0]
    assert notices(tree(client.get("/shapes"))) == []
