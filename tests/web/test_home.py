"""The front door: search, "start with your state or organisation", the ways in and headline figures."""

from __future__ import annotations

import lxml.html

from r2pkg.namespaces import R2P
from r2pkg.web import resources
from r2pkg.web.collation import text_key


def home(client, query=""):
    response = client.get("/" + query)
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def count(app, pattern: str) -> int:
    rows = resources.backend(app).select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}").rows
    return int(rows[0]["n"])


def test_every_state_and_body_is_a_starting_point_sorted_by_name(client, app):
    tree = home(client)
    groups = {g.get("label"): g for g in tree.xpath('//select[@name="entity"]/optgroup')}
    assert list(groups) == ["States", "Regional organisations", "Other organisations, offices and networks"]
    states = [o.text_content() for o in groups["States"].xpath("option")]
    assert len(states) == count(app, f"?x a <{R2P.State}>") == 195
    assert states == sorted(states, key=text_key)
    regional = [o.text_content() for o in groups["Regional organisations"].xpath("option")]
    assert {"African Union", "European Union"} <= set(regional)


def test_starting_points_in_french_are_named_and_sorted_in_french(client):
    tree = home(client, "?lang=fr")
    states = tree.xpath('//optgroup[@label="États"]/option')
    names = [o.text_content() for o in states]
    assert "Allemagne" in names and "Germany" not in names
    assert names == sorted(names, key=text_key)
    assert tree.xpath('//form[@action="/start"]/input[@name="lang"]/@value') == ["fr"]


def test_choosing_a_state_opens_what_applies_to_it(client):
    response = client.get("/start", query_string={"entity": "https://w3id.org/r2pkg/id/state/ghana", "lang": "fr"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/id/state/ghana?lang=fr#applies")
    assert client.get("/start").status_code == 400
    assert client.get("/start", query_string={"entity": "https://w3id.org/r2pkg/id/state/ghana",
                                              "lang": "fr#x&y"}).status_code == 400
    assert client.get("/start", query_string={"entity": "https://example.org/elsewhere"}).status_code == 400


def test_headline_figures_come_from_the_graph(client, app):
    tree = home(client)
    figures = {dt.text_content(): dt.getnext().text_content().strip() for dt in tree.xpath('//dl[@class="figures"]//dt')}
    assert figures["recommendations"] == str(count(app, f"?x a <{R2P.Recommendation}>"))
    assert figures["of them with an addressee the source names"] == str(
        count(app, f"?x a <{R2P.Recommendation}> ; <{R2P.addressedTo}> ?a"))
    assert figures["source documents"] == "5"
    assert figures["states (every UN member and observer)"] == "195"


def test_the_query_editor_keeps_its_own_address(client):
    tree = home(client)
    assert tree.xpath('//a[@href="/query"]') and not tree.xpath('//*[@id="editor-config"]')
    assert client.get("/query").status_code == 200
