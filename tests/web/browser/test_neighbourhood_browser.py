"""The neighbourhood picture in a real browser: no two labels overlap, "more…" draws more, link names on request and
on keyboard focus, the list under the picture has every link."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WELL_CONNECTED = "/id/state/ghana"  # 39 neighbours: more than the picture draws at first

OVERLAPS = """el => {
  const nodes = el.cy.nodes(':visible');
  const boxes = nodes.map(n => [n.id(), n.boundingBox({includeLabels: true})]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [p, a] = boxes[i], [q, b] = boxes[j];
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) hits.push([p, q]);
  }
  return {drawn: nodes.length, hits: hits};
}"""


def open_picture(page, path: str):
    page.goto(path)
    graph = page.locator("#neighbourhood-graph")
    page.wait_for_function("() => document.getElementById('neighbourhood-graph').cy !== undefined")
    return graph


def neighbourhood_data(page) -> dict:
    return json.loads(page.locator("#neighbourhood-data").text_content())


def test_no_two_labels_overlap_and_more_draws_the_rest(page):
    graph = open_picture(page, WELL_CONNECTED)
    total = len(neighbourhood_data(page)["nodes"])
    assert total > 30
    first = graph.evaluate(OVERLAPS)
    assert first["hits"] == [] and 2 < first["drawn"] < total
    expect(page.locator("#neighbourhood-shown")).to_have_text(str(first["drawn"] - 1))

    more = page.get_by_role("button", name="more…")
    drawn = first["drawn"]
    while more.is_visible():
        more.click()
        now = graph.evaluate(OVERLAPS)
        assert now["drawn"] > drawn, "more… draws more neighbours"
        assert now["hits"] == [], f"labels overlap after more…: {now['hits']}"
        drawn = now["drawn"]
    assert drawn == total
    expect(page.locator("#neighbourhood-shown")).to_have_text(str(total - 1))


def test_a_large_neighbourhood_keeps_its_labels_apart(page):
    graph = open_picture(page, "/id/organisation/united-nations")
    for _ in range(3):
        page.get_by_role("button", name="more…").click()
    found = graph.evaluate(OVERLAPS)
    assert found["drawn"] > 60 and found["hits"] == []


def test_link_names_on_request_and_on_keyboard_focus(page):
    graph = open_picture(page, WELL_CONNECTED)
    data = neighbourhood_data(page)
    focus = data["nodes"][0]["id"]
    relations = {}
    for edge in data["edges"]:
        relations.setdefault(edge["target"] if edge["source"] == focus else edge["source"], []).append(edge["label"])
    labels = "el => el.cy.nodes(':visible').not('.focus').map(n => [n.id(), n.style('label')])"
    named = "el => el.cy.edges('.named').length"
    plain = dict(graph.evaluate(labels))
    assert all("(" not in text or "(" in n["label"] for n in data["nodes"] for text in [plain.get(n["id"], "")])
    assert graph.evaluate(named) == 0

    toggle = page.get_by_role("button", name="Names of the links")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    shown = dict(graph.evaluate(labels))
    assert shown.keys() == plain.keys()
    for node, text in shown.items():
        assert text.startswith(plain[node]) and all(name in text for name in relations[node]), text
    assert graph.evaluate(OVERLAPS)["hits"] == [], "the rows grow to fit the names"
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert dict(graph.evaluate(labels)) == plain

    graph.hover()  # the pointer over a neighbour names its links on the edges
    box = graph.evaluate("""el => { const n = el.cy.nodes(':visible').not('.focus')[0];
                               const p = n.renderedPosition(); return [p.x, p.y]; }""")
    page.mouse.move(graph.bounding_box()["x"] + box[0], graph.bounding_box()["y"] + box[1])
    edge_label = """el => el.cy.edges('.named').map(e => e.hasClass('out') ? e.style('target-label') : e.style('source-label'))"""
    page.wait_for_function("() => document.getElementById('neighbourhood-graph').cy.edges('.named').length > 0", polling=100)
    assert all(graph.evaluate(edge_label))
    page.mouse.move(1, 1)
    page.wait_for_function("() => document.getElementById('neighbourhood-graph').cy.edges('.named').length === 0", polling=100)

    graph.focus()
    page.keyboard.press("ArrowDown")
    current = graph.evaluate("el => el.cy.nodes('.current').map(n => [n.data('label'), n.data('url')])")
    assert len(current) == 1
    label, url = current[0]
    assert graph.evaluate(named) >= 1, "the focused neighbour's links are named"
    expect(page.locator("#neighbourhood-current")).to_contain_text(label)
    page.keyboard.press("ArrowDown")
    assert graph.evaluate("el => el.cy.nodes('.current').map(n => n.data('label'))") != [label]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))


def test_the_list_under_the_picture_has_every_link(page):
    open_picture(page, WELL_CONNECTED)
    data = neighbourhood_data(page)
    listing = page.locator("#neighbourhood-list")
    listing.locator("summary").click()
    items = listing.locator("li")
    expect(items).to_have_count(len(data["edges"]))
    hrefs = set(listing.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert hrefs == {n["url"] for n in data["nodes"] if not n["focus"]}
    expect(listing).to_contain_text("Ghana — member of → Global Network of R2P Focal Points")
