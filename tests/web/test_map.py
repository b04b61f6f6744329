"""/map: every state, coloured by what applies to it or by its place in the Global Network; the table says the same."""

from __future__ import annotations

import lxml.html
import pytest

from r2pkg.namespaces import R2P
from r2pkg.web import resources
from r2pkg.web.collation import text_key

BASE = "https://w3id.org/r2pkg/id/"


def table(client, query=""):
    response = client.get("/map" + query)
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    return tree, {row.get("data-iri"): row for row in tree.xpath('//table[@class="map-table"]/tbody/tr')}


def test_every_state_is_on_the_map_with_what_applies_to_it(client, app):
    tree, rows = table(client)
    assert len(rows) == 195
    expected = {str(r["s"]): int(r["n"]) for r in resources.backend(app).select(
        f"SELECT ?s (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?s a <{R2P.State}> . ?r <{R2P.appliesTo}> ?s }} GROUP BY ?s").rows}
    assert {iri: int(row.get("data-value")) for iri, row in rows.items() if int(row.get("data-value"))} == expected
    ghana = rows[BASE + "state/ghana"]
    assert ghana.get("data-numeric") == "288" and ghana.get("data-href") == "/id/state/ghana"
    names = [row.xpath("string(th)").strip() for row in rows.values()]
    assert names == sorted(names, key=text_key)


def test_global_network_and_steering_group_members(client, app):
    def members(network):
        return {str(r["s"]) for r in resources.backend(app).select(
            f"SELECT ?s WHERE {{ ?s a <{R2P.State}> ; <http://www.w3.org/ns/org#memberOf> <{BASE}organisation/{network}> }}").rows}

    for key, network in [("network", "global-network-r2p-focal-points"), ("steering-group", "gnfp-steering-group")]:
        tree, rows = table(client, f"?colour={key}")
        marked = {iri for iri, row in rows.items() if row.get("data-value") == "1"}
        assert marked == members(network) and marked
        assert tree.xpath('string(//figcaption)').strip().startswith(f"{len(marked)} of 195 states coloured")


def test_no_focal_point_recorded_is_said_not_hidden(client):
    tree, rows = table(client, "?colour=focal-point")
    assert all(row.xpath("string(td)") == "no" for row in rows.values())
    assert "No national focal point is recorded in the sources for any state." in tree.xpath("string(//figcaption)")


def test_states_are_named_in_the_language_asked_for(client):
    _, rows = table(client, "?lang=fr")
    assert rows[BASE + "state/germany"].xpath("string(th)").strip() == "Allemagne"
    assert rows[BASE + "state/germany"].get("data-href") == "/id/state/germany?lang=fr"


def test_an_unknown_colouring_is_a_clear_400(client):
    response = client.get("/map?colour=gdp")
    assert response.status_code == 400 and "colour must be one of" in response.get_data(as_text=True)
