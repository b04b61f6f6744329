"""Lists a person reads follow the labels of the page's language, accents and case aside: in French "Égypte" comes
among the E's, not after "Zimbabwe" as a plain comparison of characters would put it."""

from __future__ import annotations

import lxml.html
import pytest

from r2pkg.web.collation import text_key


def tree(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


def test_the_key_folds_accents_and_case_then_keeps_the_text_apart():
    names = ["Zimbabwe", "Égypte", "Espagne", "équateur", "Eswatini", "Émirats arabes unis"]
    assert sorted(names, key=text_key) == ["Égypte", "Émirats arabes unis", "équateur", "Espagne", "Eswatini",
                                           "Zimbabwe"]
    assert text_key("État") != text_key("Etat") and sorted(["État", "Etat"], key=text_key) == ["Etat", "État"]


@pytest.mark.parametrize("url, names", [
    ("/?lang=fr", "//select[@id='front-start-entity']/optgroup[1]/option/text()"),
    ("/map?lang=fr", "//table//tbody/tr/th//text()[normalize-space()]"),
])
def test_french_state_lists_put_accented_names_in_their_place(client, url, names):
    found = [name.strip() for name in tree(client, url).xpath(names)]
    assert "Égypte" in found and "Zimbabwe" in found
    assert found == sorted(found, key=text_key)
    assert found.index("Égypte") < found.index("Espagne") < found.index("Zimbabwe")


def test_shapes_are_listed_by_name(client):
    names = [h.text_content().strip() for h in tree(client, "/shapes").xpath("//section[contains(@class, 'shape')]/h2")]
    assert len(names) > 5 and names == sorted(names, key=text_key)


def test_a_named_graph_lists_its_properties_by_count_then_name(client):
    rows = tree(client, "/graph/gnfp-2019").xpath("//table/tbody/tr")
    found = [(-int(tr.xpath("string(td[2])")), tr.xpath("string(td[1]/text())").strip()) for tr in rows]
    assert len(found) > 5 and found == sorted(found, key=lambda pair: (pair[0], text_key(pair[1])))
    assert len({count for count, _ in found}) < len(found), "ties, ordered by name"
