"""/timeline: everything the sources date, in date order by year, filtered by actor and by source."""

from __future__ import annotations

import lxml.html

from r2pkg.web import resources

BASE = "https://w3id.org/r2pkg/id/"


def entries(client, **params):
    response = client.get("/timeline", query_string=params)
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    return tree, [(li.get("data-iri"), li.xpath("string(time[1]/@datetime)")) for li in tree.xpath('//li[@class="timeline-entry"]')]


def test_dated_things_in_date_order(client, app):
    tree, shown = entries(client)
    dates = [when for _, when in shown]
    assert dates == sorted(dates)
    dated = {str(r["x"]) for r in resources.backend(app).select(
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
        "SELECT DISTINCT ?x WHERE { ?x r2p:startDate|r2p:inYearMonth|r2p:inYear|r2p:onDate|dct:issued ?d "
        "FILTER(isIRI(?x)) }").rows}
    assert {iri for iri, _ in shown} == dated
    # The World Summit of 2005 is in the first year: the earliest date any source gives.
    assert shown[0][1] == "2005" and tree.xpath("string(//li[@class='timeline-year'][1]/h2)") == "2005"
    assert (BASE + "event/world-summit-2005", "2005") in [e for e in shown if e[1] == "2005"]


def test_filter_by_source(client):
    _, everything = entries(client)
    tree, stanley = entries(client, source=BASE + "document/stanley-memo-2017")
    assert 0 < len(stanley) < len(everything)
    # The memo is dated 7 September 2017 (its dateline) and reports on that day's breakfast meeting.
    assert (BASE + "document/stanley-memo-2017", "2017-09-07") in stanley
    assert (BASE + "event/stanley-memo-2017-breakfast-meeting", "2017-09-07") in stanley
    assert "attested in" in tree.xpath('string(//p[@class="timeline-count"])')


def test_filter_by_actor(client, app):
    simonovic = BASE + "person/ivan-simonovic"
    _, shown = entries(client, actor=simonovic)
    linked = {str(r["x"]) for r in resources.backend(app).select(
        "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
        f"SELECT DISTINCT ?x WHERE {{ ?x r2p:startDate|r2p:inYearMonth|r2p:inYear|r2p:onDate|dct:issued ?d ; ?p <{simonovic}> }}").rows}
    assert linked and {iri for iri, _ in shown} == linked


def test_an_unknown_filter_value_is_a_clear_400(client):
    response = client.get("/timeline", query_string={"actor": BASE + "state/atlantis"})
    assert response.status_code == 400 and "no dated entry of the timeline has this actor" in response.get_data(as_text=True)
