"""Entity pages: the content a person sees for real entities, provenance, inferred marks, languages, escaping."""

from __future__ import annotations

import json

import lxml.html
import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef

from r2pkg.store import EmbeddedBackend
from r2pkg.web import create_app

ID = "https://w3id.org/r2pkg/id/"
R2P = Namespace("https://w3id.org/r2pkg/ontology#")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return lxml.html.fromstring(response.get_data(as_text=True))


def section_links(tree, section_id) -> set[str]:
    return {a.get("href") for a in tree.xpath(f'//section[@id="{section_id}"]//a')}


def group_rows(tree, anchor):
    return tree.xpath(f'//tbody[@id="{anchor}"]/tr[contains(@class, "statement")]')


def test_person_page_shows_label_description_and_the_post_held(client):
    tree = page(client, "/id/person/edward-luck")
    assert tree.xpath("string(//h1)").strip() == "Edward C. Luck"
    assert "Former UN Special Adviser" in tree.xpath('string(//p[@class="description"])')
    holds = tree.xpath('//section[@id="holds"]/ul/li')
    assert [li.xpath("string(a)") for li in holds] == ["UN Special Adviser on the Responsibility to Protect"]
    assert holds[0].xpath("a/@href") == ["/id/post/un-special-adviser-r2p"]
    assert "as of 2016-02-18" in " ".join(holds[0].text_content().split())
    assert section_links(tree, "events") == {
        "/id/event/un-perspectives-2016-keynote", "/id/event/un-perspectives-2016-workshop"}


def test_ivan_simonovic_page_shows_his_post(client):
    tree = page(client, "/id/person/ivan-simonovic")
    assert tree.xpath("string(//h1)").strip() == "Ivan Šimonović"
    holds = tree.xpath('//section[@id="holds"]//li')
    assert [li.xpath("string(a/@href)") for li in holds] == ["/id/post/un-special-adviser-r2p"]
    assert " ".join(holds[0].text_content().split()) == (
        "UN Special Adviser on the Responsibility to Protect (as of 2017-02-16, 2017-09-07)")  # csdn-2017, stanley-memo-2017


def test_post_page_lists_its_holders_and_organisation(client):
    tree = page(client, "/id/post/un-special-adviser-r2p")
    assert {"/id/person/edward-luck", "/id/person/ivan-simonovic"} <= section_links(tree, "holders")
    assert section_links(tree, "post-in") == {"/id/organisation/un-office-genocide-prevention-r2p"}


def test_recommendation_page_lists_addressees_and_its_context_with_links(client):
    tree = page(client, "/id/recommendation/un-perspectives-2016-24")
    assert section_links(tree, "addressees") == {"/id/organisation/un-secretariat", "/id/post/un-secretary-general"}
    labels = {a.text_content().strip() for a in tree.xpath('//section[@id="addressees"]//a')}
    assert labels == {"UN Secretariat", "UN Secretary-General"}
    assert section_links(tree, "themes") == {"/id/theme/early-warning", "/id/theme/leadership"}
    assert section_links(tree, "source") == {"/id/document/un-perspectives-2016"}
    assert section_links(tree, "event") == {"/id/event/un-perspectives-2016-workshop"}


def test_recommendation_page_shows_mechanisms_situations_and_pillar(client):
    tree = page(client, "/id/recommendation/un-perspectives-2016-17")
    assert section_links(tree, "mechanisms") == {
        "/id/mechanism/force-intervention-brigade", "/id/mechanism/mali-information-sharing"}
    assert section_links(tree, "situations") == {
        "/id/situation/democratic-republic-of-the-congo", "/id/situation/mali"}
    assert section_links(tree, "pillar") == {"/id/pillar/pillar-3"}


def test_actor_page_shows_recommendations_direct_and_through_categories(client):
    tree = page(client, "/id/organisation/ohchr")
    direct = section_links(tree, "recommendations")
    assert {"/id/recommendation/un-perspectives-2016-04", "/id/recommendation/un-perspectives-2016-14"} <= direct
    assert "/id/mechanism/dual-track-reporting" in section_links(tree, "uses")

    centre = page(client, "/id/organisation/global-centre-r2p")
    via = centre.xpath('//section[@id="recommendations-via"]//li')
    by_rec = {li.xpath("string(a[1]/@href)"): li.xpath('span[contains(@class, "note")]//a/@href') for li in via}
    assert by_rec["/id/recommendation/icrtop-cso-tool-14"] == ["/id/category/civil-society"]
    assert "/id/mechanism/gcr2p-kaiptc-r2p-course" in section_links(centre, "produced")
    assert "/id/event/un-perspectives-2016-workshop" in section_links(centre, "events")


def test_actor_page_shows_memberships_with_their_role(client):
    tree = page(client, "/id/organisation/global-centre-r2p")
    entries = {li.xpath("string(a[1]/@href)"): li.xpath('span[contains(@class, "note")]//a/@href')
               for li in tree.xpath('//section[@id="memberships"]//li')}
    assert entries["/id/organisation/gnfp-steering-group"] == ["/id/role/secretariat"]
    assert entries["/id/organisation/icrtop"] == []


def test_tool_page_shows_producer_and_recommendations_about_it(client):
    tree = page(client, "/id/mechanism/framework-of-analysis")
    assert section_links(tree, "produced-by") == {"/id/organisation/un-office-genocide-prevention-r2p"}
    assert {"/id/recommendation/un-perspectives-2016-15", "/id/recommendation/un-perspectives-2016-16",
            "/id/recommendation/un-perspectives-2016-33"} <= section_links(tree, "recommendations")


def test_state_page_shows_its_iso_codes(client):
    tree = page(client, "/id/state/south-sudan")
    codes = dict(zip(tree.xpath('//section[@id="codes"]//dt/text()'), tree.xpath('//section[@id="codes"]//dd//text()')))
    assert codes == {"ISO 3166-1 alpha-2": "SS", "ISO 3166-1 alpha-3": "SSD", "ISO 3166-1 numeric": "728"}


def test_french_labels_with_a_marker_where_a_label_falls_back(client):
    tree = page(client, "/id/state/south-sudan?lang=fr")
    h1 = tree.xpath("//h1")[0]
    assert h1.text_content().strip() == "Soudan du Sud"
    assert h1.xpath('.//span/@lang') == ["fr"] and not h1.xpath('.//*[@class="lang-fallback"]')
    names = {li.xpath("string(span[1]/@lang)"): li.xpath("string(span[1])") for li in tree.xpath('//details[@class="names"]//li')}
    assert names["zh"] == "南苏丹" and names["ar"] == "جنوب السودان" and names["en"] == "South Sudan"
    commitment = tree.xpath('//section[@id="commitments"]//a[@href="/id/commitment/south-sudan-cobra-ceasefire-2014"]')[0]
    assert commitment.xpath('.//span/@lang') == ["en"]
    assert commitment.xpath('string(.//abbr[@class="lang-fallback"])') == "[en]"

    english = page(client, "/id/state/south-sudan")
    assert english.xpath("string(//h1)").strip() == "South Sudan"
    assert not english.xpath('//h1//*[@class="lang-fallback"]')


def test_an_invalid_language_is_a_clear_400(client):
    response = client.get("/id/state/south-sudan?lang=%3Cscript%3E")
    assert response.status_code == 400
    assert "not a language tag" in response.get_data(as_text=True)


def test_inferred_statements_are_marked_and_asserted_ones_carry_their_locator(client):
    tree = page(client, "/id/person/edward-luck")
    holds = group_rows(tree, "out-holds")
    assert len(holds) == 1 and "inferred" in holds[0].get("class").split()
    assert holds[0].xpath('string(.//span[contains(@class, "inferred-badge")])') == "inferred"

    participant = group_rows(tree, "in-participant")
    keynote = next(r for r in participant if r.xpath('.//a[@href="/id/event/un-perspectives-2016-keynote"]'))
    assert "inferred" not in keynote.get("class").split()
    locator = " ".join(keynote.xpath('string(.//span[@class="locator"])').split())
    assert locator == ("UN Perspectives: The Future of Civilian Protection and the Responsibility to Protect, "
                       "characters 1293–1904, sha256 d7671417d017…")
    assert keynote.xpath('.//span[@class="locator"]/a/@href') == ["/id/document/un-perspectives-2016"]


def test_every_asserted_statement_names_its_source(client):
    tree = page(client, "/id/recommendation/un-perspectives-2016-01")
    label_row = group_rows(tree, "out-label")[0]
    assert "characters 3619–3838" in " ".join(label_row.text_content().split())
    assert "sha256 0e142ad2af15" in label_row.text_content()
    registry = group_rows(page(client, "/id/organisation/united-nations"), "out-description")[0]
    assert "registry of shared entities" in registry.text_content()


def test_large_groups_are_cut_with_a_show_all_link(client, embedded_backend):
    doc = ID + "document/un-perspectives-2016"
    expected = int(embedded_backend.select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{R2P.attestedBy}>/<{R2P.inDocument}> <{doc}> }}").rows[0]["n"])
    assert expected > 50
    tree = page(client, "/id/document/un-perspectives-2016")
    assert len(group_rows(tree, "in-statedIn")) == 50
    assert tree.xpath('//tbody[@id="in-statedIn"]//a[text()="Show all %d values"]/@href' % expected) == ["?all=1#in-statedIn"]
    full = page(client, "/id/document/un-perspectives-2016?all=1")
    assert len(group_rows(full, "in-statedIn")) == expected


def test_page_embeds_schema_org_json_ld_and_alternates(client):
    tree = page(client, "/id/person/edward-luck")
    data = json.loads(tree.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Person" and data["name"] == "Edward C. Luck" and data["@id"] == ID + "person/edward-luck"
    assert "Dr. Luck" in data["alternateName"]
    state = json.loads(page(client, "/id/state/ghana").xpath('//script[@type="application/ld+json"]/text()')[0])
    assert "Country" in state["@type"]
    alternates = set(tree.xpath('//link[@rel="alternate"]/@href'))
    assert {"/id/person/edward-luck.ttl", "/id/person/edward-luck.jsonld", "/id/person/edward-luck.rdf",
            "/id/person/edward-luck.nt"} <= alternates


def test_neighbourhood_data_links_to_neighbour_pages(client):
    tree = page(client, "/id/person/edward-luck")
    data = json.loads(tree.xpath('//script[@id="neighbourhood-data"]/text()')[0])
    urls = {n["url"] for n in data["nodes"]}
    assert {"/id/person/edward-luck", "/id/post/un-special-adviser-r2p", "/id/event/un-perspectives-2016-keynote"} <= urls
    edge = next(e for e in data["edges"] if e["target"] == ID + "post/un-special-adviser-r2p")
    assert edge == {"source": ID + "person/edward-luck", "target": ID + "post/un-special-adviser-r2p",
                    "label": "holds", "inferred": True}
    assert tree.xpath('//div[@id="neighbourhood-graph"]/noscript')
    assert "/static/vendor/cytoscape/cytoscape.min.js" in [src.split("?v=")[0] for src in tree.xpath("//script/@src")]


# --- escaping: an app over a tiny store whose labels try to inject markup ----------------------------------

EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def evil_client(settings):
    store = ox.Store()
    person = ox.NamedNode(ID + "person/mallory")
    rec = ox.NamedNode(ID + "recommendation/evil-2020-01")
    graph = ox.NamedNode("https://w3id.org/r2pkg/graph/evil")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for quad in [
        ox.Quad(person, rdf_type, ox.NamedNode(R2P.Person), graph),
        ox.Quad(person, rdf_type, ox.NamedNode(R2P.Actor), graph),
        ox.Quad(person, label, ox.Literal(EVIL, language="en"), graph),
        ox.Quad(rec, rdf_type, ox.NamedNode(R2P.Recommendation), graph),
        ox.Quad(rec, label, ox.Literal("Rec " + EVIL, language="en"), graph),
        ox.Quad(rec, ox.NamedNode(R2P.addressedTo), person, graph),
    ]:
        store.add(quad)
    app = create_app(backend=EmbeddedBackend(store), settings=settings, test_config={"TESTING": True})
    return app.test_client()


@pytest.mark.parametrize("url", ["/id/person/mallory", "/id/recommendation/evil-2020-01", "/browse/people",
                                 "/browse/recommendations", "/recommendations"])
def test_a_label_with_markup_is_shown_as_text(evil_client, url):
    response = evil_client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert EVIL not in html and "<script>alert" not in html
    tree = lxml.html.fromstring(html)
    assert any(EVIL in text for text in tree.xpath("//main//text()"))
    for script in tree.xpath("//script[not(@src)]"):
        assert "alert" not in (script.text or "") or "\\u003cscript\\u003e" in script.text


def test_the_rdf_of_a_tiny_store_entity(evil_client):
    response = evil_client.get("/id/person/mallory.ttl")
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert str(graph.value(URIRef(ID + "person/mallory"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == EVIL
