"""Entity pages: the content a person sees for real entities, provenance, inferred marks, languages, escaping."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import lxml.html
import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef

from r2pkg.store import EmbeddedBackend
from r2pkg.web.collation import text_key
from r2pkg.web import create_app, resources

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


def section_rows(tree, section_id):
    """(linked IRI path, has the interpreted badge, note text) for each entry of a kind-specific section."""
    return [(li.xpath("string(a[1]/@href)"), bool(li.xpath('span[contains(@class, "interpreted-badge")]')),
             " ".join(li.xpath('string(span[contains(@class, "note")])').split()))
            for li in tree.xpath(f'//section[@id="{section_id}"]//li')]


def applies_rows(tree):
    """(recommendation path, specificity, path text without the badge, addressee path, interpreted) per row."""
    rows = []
    for tr in tree.xpath('//section[@id="applies"]//tbody/tr'):
        cells = tr.xpath("td")
        rows.append((cells[1].xpath("string(a/@href)"), int(cells[0].text_content()),
                     cells[2].xpath("string(text())").strip(), cells[3].xpath("string(a/@href)"),
                     "interpreted" in tr.get("class").split()))
    return rows


def test_recommendation_page_shows_stated_and_interpreted_addressees_apart(client):
    # stanley-memo-2017 characters 4017-4259: "There is significant opportunity for the United Nations to include gender
    # dynamics in all atrocity prevention and accountability measures, including in the UN Framework of Analysis and
    # in all of the Secretary-General's future reports on RtoP." The UN is named; the Secretary-General, who writes
    # those reports, is read into it (interpretation span 4212-4258).
    tree = page(client, "/id/recommendation/stanley-memo-2017-03")
    assert section_rows(tree, "addressees") == [("/id/organisation/united-nations", False, "")]
    assert not tree.xpath('//section[@id="addressees"]//p[@class="empty"]')
    interpreted = section_rows(tree, "interpreted-addressees")
    assert [(href, badge) for href, badge, _ in interpreted] == [("/id/post/un-secretary-general", True)]
    assert interpreted[0][2].startswith("(why: The future R2P reports in which gender dynamics are to appear are "
                                        "written by the Secretary-General")
    assert tree.xpath('string(//section[@id="interpreted-addressees"]//span[contains(@class, "interpreted-badge")])') == "interpreted"
    assert section_links(tree, "themes") == {"/id/theme/accountability", "/id/theme/gender"}
    assert section_links(tree, "mechanisms") == {"/id/mechanism/framework-of-analysis"}
    assert section_links(tree, "source") == {"/id/document/stanley-memo-2017"}


def test_recommendation_without_a_stated_addressee_says_so_and_shows_its_interpretation(client):
    # un-perspectives-2016 characters 13759-14007: "The importance of clear directives from the highest levels of the UN
    # was emphasized as a necessity for the success of multi-actor contingency planning exercises": passive, no one
    # named; the data reads the Secretary-General as meant, and reads both themes from context.
    tree = page(client, "/id/recommendation/un-perspectives-2016-24")
    assert section_links(tree, "addressees") == set()
    assert tree.xpath('string(//section[@id="addressees"]/p[@class="empty"])').startswith(
        "The source's words name no addressee for this recommendation")
    interpreted = section_rows(tree, "interpreted-addressees")
    assert [(href, badge) for href, badge, _ in interpreted] == [("/id/post/un-secretary-general", True)]
    assert "without naming an office" in interpreted[0][2]
    assert not section_links(tree, "themes")
    assert empty_words(tree, "themes") == "The source names no theme for this recommendation."
    assert [(href, badge) for href, badge, _ in section_rows(tree, "interpreted-themes")] == [
        ("/id/theme/early-warning", True), ("/id/theme/leadership", True)]
    # what follows from the interpretation is kept apart from what applies by the source's words
    assert not tree.xpath('//section[@id="applies-to"]')
    assert {(href, badge) for href, badge, _ in section_rows(tree, "applies-by-interpretation")} == {
        ("/id/post/un-secretary-general", True), ("/id/organisation/un-secretariat", True)}  # the post is in it
    assert section_links(tree, "source") == {"/id/document/un-perspectives-2016"}
    assert section_links(tree, "event") == {"/id/event/un-perspectives-2016-workshop"}


def test_recommendation_page_shows_mechanisms_situations_and_pillar(client):
    tree = page(client, "/id/recommendation/un-perspectives-2016-17")
    assert section_links(tree, "mechanisms") == {
        "/id/mechanism/force-intervention-brigade", "/id/mechanism/mali-information-sharing"}
    assert section_links(tree, "situations") == {
        "/id/situation/democratic-republic-of-the-congo", "/id/situation/mali"}
    # no source text names a pillar for a recommendation (the only "Pillar II" in the five texts, gnfp-2019
    # character 7735, describes regional mechanisms), and this one has no pillar reading either
    assert not tree.xpath('//section[@id="pillar"]') and not tree.xpath('//section[@id="interpreted-pillar"]')

    # un-perspectives-2016 characters 18666-18924: the Security Council "should call for more regular briefings";
    # its Pillar III is an interpretation with a rationale
    briefings = page(client, "/id/recommendation/un-perspectives-2016-37")
    assert section_links(briefings, "addressees") == {"/id/organisation/un-security-council"}
    assert not briefings.xpath('//section[@id="pillar"]')
    pillar = section_rows(briefings, "interpreted-pillar")
    assert [(href, badge) for href, badge, _ in pillar] == [("/id/pillar/pillar-3", True)]
    assert pillar[0][2].startswith("(why: Pillar III is the timely collective response")


def test_actor_page_shows_recommendations_direct_and_through_categories(client):
    tree = page(client, "/id/organisation/ohchr")
    # un-perspectives-2016 4677-4867 ("Heads of UNCT agencies or offices, such as OHCHR or OCHA, could participate in
    # briefings") and 8602-8829 ("dual-track reporting, particularly between SPMs and OHCHR")
    assert section_links(tree, "recommendations") == {
        "/id/recommendation/un-perspectives-2016-04", "/id/recommendation/un-perspectives-2016-14"}
    # gnfp-2019 11673-11929: states should support briefings "by inviting ... the Office of the High Commissioner"
    assert section_links(tree, "recommendations-about") == {"/id/recommendation/gnfp-2019-10"}
    assert "/id/mechanism/dual-track-reporting" in section_links(tree, "uses")
    assert {(r[0], r[1], r[3]) for r in applies_rows(tree)} == {
        ("/id/recommendation/un-perspectives-2016-04", 1, "/id/organisation/ohchr"),
        ("/id/recommendation/un-perspectives-2016-14", 1, "/id/organisation/ohchr")}

    centre = page(client, "/id/organisation/global-centre-r2p")
    rows = applies_rows(centre)
    by_rec = {r[0]: r for r in rows}
    # icrtop-cso-tool 9549-9611 "Civil society can strengthen these bodies and their impact by:" then 9615-9823
    # "Inviting national focal points to events, meetings ..."; the Global Centre is a civil-society organisation
    assert by_rec["/id/recommendation/icrtop-cso-tool-17"] == (
        "/id/recommendation/icrtop-cso-tool-17", 3, "category", "/id/category/civil-society", False)
    assert {r[1] for r in rows} == {3} and {r[3] for r in rows} == {"/id/category/civil-society"}
    # icrtop-cso-tool 7856-8071 (adapt the Toolkit) names no one: civil society is the project's reading, so the
    # row only shows with the switch, marked
    assert "/id/recommendation/icrtop-cso-tool-14" not in by_rec
    assert "/id/mechanism/gcr2p-kaiptc-r2p-course" in section_links(centre, "produced")
    assert "/id/event/un-perspectives-2016-workshop" in section_links(centre, "events")


def test_actor_page_shows_memberships_with_their_role(client):
    tree = page(client, "/id/organisation/global-centre-r2p")
    # icrtop-cso-tool 8827-8922: the Global Centre in the "ICRtoP MEMBERS IN ACTION" box
    assert section_rows(tree, "memberships") == [("/id/organisation/icrtop", False, "(role Member)")]
    assert tree.xpath('//section[@id="memberships"]//li/span[contains(@class, "note")]//a/@href') == ["/id/role/member"]
    # gnfp-2019 2266-2535: "... and the Global Centre for the Responsibility to Protect in its capacity as the
    # Secretariat of the Global Network": a secretariat, not a member
    assert section_rows(tree, "roles") == [
        ("/id/organisation/global-network-r2p-focal-points", False, "(role Secretariat)"),
        ("/id/organisation/gnfp-steering-group", False, "(role Secretariat)")]
    assert "/id/organisation/global-network-r2p-focal-points" not in section_links(tree, "memberships")
    # so what the sources ask of the Network's members (gnfp-2019 11377-11522) or of the Steering Group does not
    # reach it through them
    rows = applies_rows(tree)
    assert not [r for r in rows if r[1] in (1, 2)]
    assert not {"/id/recommendation/gnfp-2019-09", "/id/recommendation/gnfp-2019-28"} & {r[0] for r in rows}

    network = page(client, "/id/organisation/global-network-r2p-focal-points")
    assert section_rows(network, "other-roles") == [("/id/organisation/global-centre-r2p", False, "(role Secretariat)")]
    assert "/id/organisation/global-centre-r2p" not in section_links(network, "members")
    assert {"/id/state/ghana", "/id/organisation/european-union"} <= section_links(network, "members")


# What applies to Kenya, which no source names: the recommendations the sources address to "States" (gnfp-2019
# 1580-1812, 11673-11929, 12844-13086, 18446-18612, 18614-18758, 19890-20036, 20228-20380, 20785-20935,
# 20936-21158, 21822-22161; stanley-memo-2017 6485-6597), to "member states" (gnfp-2019 11935-12219) and, broadly,
# to "the international community" (stanley-memo-2017 7033-7232). Kenya is in no network the sources address.
KENYA_STATED = {
    **{f"/id/recommendation/gnfp-2019-{n}": (3, "/id/category/states")
       for n in ("01", "10", "15", "18", "19", "22", "24", "26", "27", "31")},
    "/id/recommendation/stanley-memo-2017-11": (3, "/id/category/states"),
    "/id/recommendation/gnfp-2019-11": (3, "/id/category/un-member-states"),
    "/id/recommendation/stanley-memo-2017-13": (4, "/id/category/international-community"),
}
# the recommendations whose addressee the data interprets as States, UN Member States or the international
# community (data/sources/*.ttl, r2p:interpretedAddressee)
KENYA_INTERPRETED = {
    **{f"/id/recommendation/gnfp-2019-{n}": (3, "/id/category/states")
       for n in ("07", "16", "17", "20", "21", "33", "34")},
    "/id/recommendation/stanley-memo-2017-10": (3, "/id/category/states"),
    "/id/recommendation/csdn-2017-16": (3, "/id/category/un-member-states"),
    "/id/recommendation/gnfp-2019-32": (3, "/id/category/un-member-states"),
    "/id/recommendation/stanley-memo-2017-04": (3, "/id/category/un-member-states"),
    "/id/recommendation/un-perspectives-2016-09": (3, "/id/category/un-member-states"),
    **{f"/id/recommendation/{slug}": (4, "/id/category/international-community")
       for slug in ("gnfp-2019-02", "gnfp-2019-03", "gnfp-2019-12", "stanley-memo-2017-12")},
}
PATH_TEXT = {3: "category", 4: "broad category"}


def test_a_state_no_source_names_says_so_and_lists_what_applies_ranked(client):
    tree = page(client, "/id/state/kenya")
    assert tree.xpath("string(//h1)").strip() == "Kenya"
    assert " ".join(tree.xpath('string(//p[@id="not-in-sources"])').split()).startswith(
        "None of the source documents names Kenya.")
    assert not tree.xpath('//section[@id="attestations"]')
    codes = dict(zip(tree.xpath('//section[@id="codes"]//dt/text()'), tree.xpath('//section[@id="codes"]//dd//text()')))
    assert codes == {"ISO 3166-1 alpha-2": "KE", "ISO 3166-1 alpha-3": "KEN", "ISO 3166-1 numeric": "404"}
    assert section_rows(tree, "memberships") == [("/id/organisation/united-nations", False, "(role Member)")]

    rows = applies_rows(tree)
    assert {r[0]: (r[1], r[3]) for r in rows} == KENYA_STATED and len(rows) == len(KENYA_STATED)
    assert all(r[2] == PATH_TEXT[r[1]] and not r[4] for r in rows)
    assert [r[1] for r in rows] == sorted(r[1] for r in rows), "ranked from the most specific path"
    assert "Only addressees the sources state." in tree.xpath('string(//section[@id="applies"]/p[@class="muted"])')

    whys = tree.xpath('//section[@id="applies"]//tbody/tr/td/a[@class="why"]/@href')
    assert len(whys) == len(rows)
    for href, row in zip(whys, rows):
        assert href.startswith("/explain?")
        expected_p = "appliesThroughCategoryTo" if row[1] == 3 else "appliesThroughBroadCategoryTo"
        assert f"%23{expected_p}&o=https://w3id.org/r2pkg/id/state/kenya" in href, href
        explained = page(client, href)
        assert explained.xpath('//div[@class="explain-tree"]/ul/li/ul/li[@class="derivation"]'), href


def test_applies_filters_change_the_rows(client):
    narrow = page(client, "/id/state/kenya?max=3")
    assert {r[0]: (r[1], r[3]) for r in applies_rows(narrow)} == {
        k: v for k, v in KENYA_STATED.items() if v[0] <= 3}
    assert narrow.xpath('//nav[@class="applies-filter"]/a[@aria-current="true"]/text()') == ["up to 3"]

    none = page(client, "/id/state/kenya?max=2")
    assert applies_rows(none) == []
    assert "Nothing in the sources applies to Kenya by these paths." in none.xpath('string(//section[@id="applies"])')

    both = page(client, "/id/state/kenya?interpreted=include")
    rows = applies_rows(both)
    assert {r[0]: (r[1], r[3]) for r in rows if not r[4]} == KENYA_STATED
    assert {r[0]: (r[1], r[3]) for r in rows if r[4]} == KENYA_INTERPRETED
    for tr in both.xpath('//section[@id="applies"]//tbody/tr[contains(@class, "interpreted")]'):
        assert tr.xpath('string(td[3]/span[contains(@class, "interpreted-badge")])') == "interpreted"
        assert "appliesByInterpretationTo" in tr.xpath('string(.//a[@class="why"]/@href)')
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)

    both_narrow = page(client, "/id/state/kenya?interpreted=include&max=3")
    assert {r[0] for r in applies_rows(both_narrow)} == {
        k for k, v in {**KENYA_STATED, **KENYA_INTERPRETED}.items() if v[0] <= 3}

    # the Global Centre receives icrtop-cso-tool-14 only through civil society read into a passive list
    centre = {r[0]: r for r in applies_rows(page(client, "/id/organisation/global-centre-r2p?interpreted=include"))}
    assert centre["/id/recommendation/icrtop-cso-tool-14"] == (
        "/id/recommendation/icrtop-cso-tool-14", 3, "category", "/id/category/civil-society", True)
    assert centre["/id/recommendation/icrtop-cso-tool-17"][4] is False


@pytest.mark.parametrize("query", ["max=5", "max=0", "max=two", "interpreted=yes", "interpreted="])
def test_a_bad_applies_filter_is_a_400(client, query):
    response = client.get(f"/id/state/kenya?{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    assert ("max must be a specificity" if query.startswith("max") else "interpreted must be one of: include, exclude") in body


KENYA_UN_MEMBER_STATES = {"s": ID + "recommendation/gnfp-2019-11", "p": str(R2P.appliesThroughCategoryTo),
                          "o": ID + "state/kenya"}


def test_explain_shows_the_derivation_tree_down_to_the_source(client):
    tree = page(client, "/explain?" + urlencode(KENYA_UN_MEMBER_STATES))
    rules = tree.xpath('//div[@class="explain-tree"]//li[@class="derivation"]/strong/text()')
    # applies through "UN Member States", which covers Kenya because the UN list makes Kenya a member (member role)
    assert rules == ["applies through category", "category members of", "membership"]
    text = " ".join(tree.xpath('string(//div[@class="explain-tree"])').split())
    assert "Kenya as member of the United Nations · role · Member asserted in ISO 3166 country codes" in text
    # the leaf: gnfp-2019 11935-12219 "... member states concerned with particular country situations can still
    # provide the impetus for UN agencies to assess the situation ..."
    stated = [li for li in tree.xpath('//li[@class="support"]') if li.xpath('span[@class="badge"][text()="stated"]')]
    assert len(stated) == 1
    assert "characters 11935–12219" in " ".join(stated[0].text_content().split())
    assert stated[0].xpath("a/@href") == ["/id/document/gnfp-2019"]


def test_explain_as_json(client):
    response = client.get("/explain?" + urlencode({**KENYA_UN_MEMBER_STATES, "format": "json"}))
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["subject"] == f"<{ID}recommendation/gnfp-2019-11>" and data["object"] == f"<{ID}state/kenya>"
    assert data["inferred"] is True and data["asserted"] == []
    assert data["rule"] == ID + "rule/applies-through-category"

    def walk(node):
        yield node
        for premise in node["premises"]:
            yield from walk(premise)

    nodes = list(walk(data))
    assert {n["rule"] for n in nodes if n["inferred"]} == {
        ID + "rule/applies-through-category", ID + "rule/category-members-of", ID + "rule/membership"}
    addressed = [n for n in nodes if n["predicate"] == f"<{R2P.addressedTo}>"]
    assert len(addressed) == 1 and addressed[0]["object"] == f"<{ID}category/un-member-states>"
    spans = [s for a in addressed[0]["asserted"] for s in a["spans"]]
    assert [(s["document"], s["start"], s["end"]) for s in spans] == [(ID + "document/gnfp-2019", 11935, 12219)]
    assert all(not n["premises"] for n in nodes if not n["inferred"])


@pytest.mark.parametrize(("query", "status"), [
    ({"s": ID + "recommendation/gnfp-2019-11", "p": str(R2P.appliesThroughCategoryTo)}, 400),  # no object
    ({"s": "not an iri", "p": str(R2P.appliesTo), "o": ID + "state/kenya"}, 400),
    ({"s": '"Kenya"@en', "p": str(R2P.appliesTo), "o": ID + "state/kenya"}, 400),
    ({"s": ID + "recommendation/gnfp-2019-11", "p": "nosuchprefix:x", "o": ID + "state/kenya"}, 400),
    # absent: the Global Centre is not a state, and Kenya is in no network the sources address
    ({"s": ID + "recommendation/gnfp-2019-11", "p": str(R2P.appliesThroughCategoryTo),
      "o": ID + "organisation/global-centre-r2p"}, 404),
    ({"s": ID + "recommendation/gnfp-2019-09", "p": str(R2P.appliesThroughAffiliationTo), "o": ID + "state/kenya"}, 404),
    ({"s": ID + "recommendation/gnfp-2019-09", "p": str(R2P.appliesThroughAffiliationTo),
      "o": ID + "organisation/global-centre-r2p"}, 404),
])
def test_explain_rejects_malformed_and_absent_statements(client, query, status):
    response = client.get("/explain?" + urlencode(query))
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert "Traceback" not in response.get_data(as_text=True)


def test_tool_page_shows_producer_and_recommendations_about_it(client):
    tree = page(client, "/id/mechanism/framework-of-analysis")
    assert section_links(tree, "produced-by") == {"/id/organisation/un-office-genocide-prevention-r2p"}
    assert {"/id/recommendation/un-perspectives-2016-15", "/id/recommendation/un-perspectives-2016-16",
            "/id/recommendation/un-perspectives-2016-33"} <= section_links(tree, "recommendations")


def test_state_page_shows_its_iso_codes(client):
    tree = page(client, "/id/state/south-sudan")
    codes = dict(zip(tree.xpath('//section[@id="codes"]//dt/text()'), tree.xpath('//section[@id="codes"]//dd//text()')))
    assert codes == {"ISO 3166-1 alpha-2": "SS", "ISO 3166-1 alpha-3": "SSD", "ISO 3166-1 numeric": "728"}


def empty_words(tree, section_id) -> str:
    return " ".join(tree.xpath(f'string(//section[@id="{section_id}"]/p[@class="empty"])').split())


def test_an_expected_section_without_entries_says_what_is_missing(client):
    """A state no source gives a focal point says so; sections not expected of a state stay out when empty."""
    ghana = page(client, "/id/state/ghana")
    assert empty_words(ghana, "focal-point") == "No national R2P focal point is recorded in the sources."
    assert not ghana.xpath('//section[@id="focal-point"]//li')
    assert empty_words(ghana, "recommendations") == "No source addresses a recommendation to it by name."
    assert not ghana.xpath('//section[@id="roles"]') and not ghana.xpath('//section[@id="holds"]')
    assert section_links(ghana, "memberships") and not empty_words(ghana, "memberships")

    post = page(client, "/id/post/oas-r2p-focal-point")
    assert empty_words(post, "holders") == "No holder of this post is recorded in the sources."
    tool_recommendation = page(client, "/id/recommendation/icrtop-cso-tool-01")
    assert empty_words(tool_recommendation, "event") == (
        "The sources do not say at which event this recommendation was made.")
    assert section_links(tool_recommendation, "source") == {"/id/document/icrtop-cso-tool"}
    person = page(client, "/id/person/edward-luck")
    assert not person.xpath('//section[@id="memberships"]'), "a person is not expected to be a member"


def test_section_entries_and_statements_follow_the_labels_of_the_page_language(client):
    """The United Nations' members in English and in French: each list in its language's order, not by IRI."""
    orders = {}
    for lang in ("en", "fr"):
        tree = page(client, f"/id/organisation/united-nations?lang={lang}")
        members = tree.xpath('//section[@id="members"]//li/a[1]')
        names = [a.text_content() for a in members]
        assert len(names) == 193 and names == sorted(names, key=text_key), lang
        orders[lang] = [a.get("href") for a in members]
        linked = [a.text_content() for a in tree.xpath('//tbody[@id="in-memberOf"]/tr[not(contains(@class, "more"))]/td[1]/a')]
        assert linked and linked == sorted(linked, key=text_key), lang
    assert orders["en"] != orders["fr"], "French orders the states differently (Allemagne, Germany)"
    assert orders["fr"] != sorted(orders["fr"]), "the IRIs' order is not the French one"
    assert orders["fr"].index("/id/state/germany") < orders["fr"].index("/id/state/angola")


def test_french_labels_with_one_notice_where_labels_fall_back(client):
    tree = page(client, "/id/state/south-sudan?lang=fr")
    h1 = tree.xpath("//h1")[0]
    assert h1.text_content().strip() == "Soudan du Sud"
    assert h1.xpath('.//span/@lang') == ["fr"] and not h1.xpath('.//*[@class="lang-fallback"]')
    names = {li.xpath("string(span[1]/@lang)"): li.xpath("string(span[1])") for li in tree.xpath('//details[@class="names"]//li')}
    assert names["zh"] == "南苏丹" and names["ar"] == "جنوب السودان" and names["en"] == "South Sudan"
    commitment = tree.xpath('//section[@id="commitments"]//a[@href="/id/commitment/south-sudan-cobra-ceasefire-2014"]')[0]
    assert commitment.xpath('.//span/@lang') == ["en"] and not commitment.xpath('.//abbr')
    notices = tree.xpath('//p[contains(@class, "lang-fallback-notice")]')
    assert [n.text_content() for n in notices] == [
        "Certains noms sont affichés en anglais, faute de nom en français dans les sources."]

    english = page(client, "/id/state/south-sudan")
    assert english.xpath("string(//h1)").strip() == "South Sudan"
    assert not english.xpath('//*[contains(@class, "lang-fallback-notice")]')


def test_an_invalid_language_is_a_clear_400(client):
    response = client.get("/id/state/south-sudan?lang=%3Cscript%3E")
    assert response.status_code == 400
    assert "lang must be a language tag such as ar, zh, en, fr, ru, es" in response.get_data(as_text=True)


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
                       "section “INTRODUCTION”, paragraph 3, characters 1293–1904, sha256 d7671417d017… "
                       "· read the passage")
    assert keynote.xpath('.//span[@class="locator"]/a/@href') == [
        "/id/document/un-perspectives-2016", "/sources/un-perspectives-2016/passage?start=1293&end=1904"]


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
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{R2P.attestedBy}>/<{R2P.inDocument}> <{doc}> FILTER(isIRI(?s)) }}"
    ).rows[0]["n"])  # IRIs only: the interpretation nodes (blank) are read with their recommendation
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


def test_neighbourhood_lists_every_link_with_its_name_and_orders_the_picture(client):
    """Ghana: 39 neighbours (more than the picture draws at first), each in the list under it with the link's name;
    those the sources link come first, each group in label order; an inferred inverse adds no second arrow."""
    tree = page(client, "/id/state/ghana")
    data = json.loads(tree.xpath('//script[@id="neighbourhood-data"]/text()')[0])
    nodes, edges = data["nodes"], data["edges"]
    assert nodes[0]["focus"] and len(nodes) == 40
    ghana = nodes[0]["id"]
    pairs = [(e["source"], e["target"]) for e in edges]
    assert len(set(pairs)) == len(pairs)
    assert not any((t, s) in pairs for s, t in pairs), "one arrow per neighbour for a link and its inverse"
    network = ID + "organisation/global-network-r2p-focal-points"
    assert {"source": ghana, "target": network, "label": "member of", "inferred": True} in edges
    asserted = {e["source"] if e["target"] == ghana else e["target"] for e in edges if not e["inferred"]}
    rank = [n["id"] not in asserted for n in nodes[1:]]
    assert rank == sorted(rank) and 0 < rank.count(False) < len(rank)
    for group in (False, True):
        names = [n["label"] for n, r in zip(nodes[1:], rank) if r == group]
        assert names == sorted(names, key=text_key)

    items = tree.xpath('//details[@id="neighbourhood-list"]/ul/li')
    assert len(items) == len(edges)
    assert {li.xpath("string(a/@href)") for li in items} == {n["url"] for n in nodes[1:]}
    texts = [" ".join(li.text_content().split()) for li in items]
    assert "Ghana — member of → Global Network of R2P Focal Points inferred" in texts
    assert tree.xpath('//button[@id="neighbourhood-more"]') and tree.xpath('//button[@id="neighbourhood-edge-labels"]')


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
    app = create_app(backend=EmbeddedBackend(store), settings=settings, config={"TESTING": True})
    yield app.test_client()
    resources.close(app)


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


def test_type_badges_are_the_asserted_types_and_broader_ones_wait_behind_a_disclosure(client):
    tree = page(client, "/id/state/ghana")
    assert [a.text_content() for a in tree.xpath('//p[@class="types"]/a')] == ["state"]
    broader = tree.xpath('//details[@class="more-types"]')[0]
    assert broader.xpath("string(summary)") == "Broader types, inferred (5)"
    assert {a.text_content() for a in broader.xpath(".//a")} == {
        "actor", "agent", "formal organization", "organisation", "organization"}
    assert all("inferred" in a.get("class").split() for a in broader.xpath(".//a"))
