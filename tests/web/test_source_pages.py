"""/sources and the passage of every locator: the documents' records, readable locators, passages checked by hash."""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlparse

import lxml.html
import pytest
from click.testing import CliRunner

from r2pkg.sources import read_source
from r2pkg.web import create_app

LUCK_SPAN = "/sources/un-perspectives-2016/passage?start=1297&end=1311"
"""The span naming Edward C. Luck in the UN Perspectives report (its INTRODUCTION, third paragraph)."""


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return lxml.html.fromstring(response.get_data(as_text=True))


def record(tree, slug) -> dict[str, str]:
    section = tree.get_element_by_id(slug)
    keys = [" ".join(dt.text_content().split()) for dt in section.xpath(".//dl/dt")]
    values = [" ".join(dd.text_content().split()) for dd in section.xpath(".//dl/dd")]
    return dict(zip(keys, values))


def test_sources_lists_the_five_documents_with_their_record(client):
    tree = page(client, "/sources")
    slugs = [s.get("id") for s in tree.xpath('//section[@class="source"]')]
    assert sorted(slugs) == ["csdn-2017", "gnfp-2019", "icrtop-cso-tool", "stanley-memo-2017", "un-perspectives-2016"]
    csdn = record(tree, "csdn-2017")
    # The report's head: "Implementing the Responsibility to Protect principle: UN, EU and civil society perspectives",
    # "Thursday 16 February 2017, Brussels"; EPLO issues the Civil Society Dialogue Network's reports.
    assert csdn["Title"] == "Implementing the Responsibility to Protect principle: UN, EU and civil society perspectives"
    assert csdn["Kind"] == "meeting report"
    assert csdn["Issued by"] == "European Peacebuilding Liaison Office"
    assert csdn["Place and date"] == "Brussels, February 16, 2017"  # dates read in the page's language
    assert csdn["Named graph"].startswith("https://w3id.org/r2pkg/graph/csdn-2017")
    assert csdn["Text on this server"].startswith("available")
    assert csdn["Date of the document"] == "not stated in the text; the date above is the event's"
    assert record(tree, "stanley-memo-2017")["Date of the document"] == "September 7, 2017"  # the memo's dateline
    un = record(tree, "un-perspectives-2016")
    assert un["Place and date"] == "New York, February 18, 2016 to February 19, 2016"  # "On 18 and 19 February 2016 ... in New York"
    links = tree.get_element_by_id("un-perspectives-2016").xpath(".//a/@href")
    assert "/graph/un-perspectives-2016.trig" in links


def test_a_source_links_into_the_browser_filtered_to_it(client):
    tree = page(client, "/sources")
    section = tree.get_element_by_id("stanley-memo-2017")
    counts = {li.text_content().rsplit(":", 1)[0].strip(): int(li.text_content().rsplit(":", 1)[1])
              for li in section.xpath('.//ul[@class="source-counts"]/li')}
    link = section.xpath('.//a[contains(@href, "/recommendations?source=")]/@href')[0]
    assert parse_qs(urlparse(link).query)["source"] == ["https://w3id.org/r2pkg/id/document/stanley-memo-2017"]
    browser = page(client, link)
    shown = {a.get("href") for a in browser.xpath('//a[starts-with(@href, "/id/recommendation/")]')}
    assert shown and all(href.startswith("/id/recommendation/stanley-memo-2017-") for href in shown)
    assert len(shown) == counts["recommendation"]


def test_a_locator_reads_as_a_reference_and_opens_its_passage(client, settings):
    tree = page(client, "/id/person/edward-luck")
    locators = [" ".join(span.text_content().split()) for span in tree.xpath('//span[@class="locator"]')]
    assert ("UN Perspectives: The Future of Civilian Protection and the Responsibility to Protect, "
            "section “INTRODUCTION”, paragraph 3, characters 1297–1311, sha256 1bcb4115656a… · read the passage"
            in locators)
    assert LUCK_SPAN in tree.xpath('//a[@class="passage-link"]/@href')

    passage = page(client, LUCK_SPAN)
    text = read_source(settings.seeds_dir / "003_e8b861304fc306e7.txt")
    assert [m.text_content() for m in passage.xpath("//blockquote//mark")] == [text[1297:1311]] == ["Edward C. Luck"]
    quoted = passage.xpath("//blockquote/p")
    assert any(p.text_content().startswith("Dr. Edward C. Luck, the former UN Special Adviser") for p in quoted)
    assert "Section “INTRODUCTION”, paragraph 3, characters 1297–1311" in passage.xpath(
        'string(//p[@class="locator-full"])')
    assert passage.xpath('//h2[.="Cited here for"]/following-sibling::ul//a/@href') == ["/id/person/edward-luck"]


def test_a_span_over_several_paragraphs_is_marked_in_each(client, settings):
    text = read_source(settings.seeds_dir / "003_e8b861304fc306e7.txt")
    # The keynote event is attested by characters 1293–1904: from "Dr. Edward C. Luck" over the keynote paragraph.
    tree = page(client, "/sources/un-perspectives-2016/passage?start=1293&end=1904")
    assert "".join(m.text_content() for m in tree.xpath("//blockquote//mark")) == text[1293:1904]


@pytest.mark.parametrize(("url", "status", "message"), [
    ("/sources/un-perspectives-2016/passage?start=0&end=5000", 404, "only the passages the data cites are shown"),
    ("/sources/no-such-source/passage?start=1&end=2", 404, "There is no source document"),
    ("/sources/un-perspectives-2016/passage?start=one&end=2", 400, "whole numbers"),
    ("/sources/un-perspectives-2016/passage", 400, "Give the characters of the passage"),
])
def test_passages_not_in_the_data_are_refused(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def _app_with_sources(embedded_backend, settings, folder):
    return create_app(backend=embedded_backend, settings=settings, config={"TESTING": True, "SOURCES_DIR": folder})


def test_without_the_texts_the_page_says_where_to_read_the_original(embedded_backend, settings):
    client = _app_with_sources(embedded_backend, settings, None).test_client()
    tree = page(client, "/sources/csdn-2017/passage?start=1477&end=1795")
    assert not tree.xpath("//blockquote")
    notice = " ".join(tree.xpath('string(//p[@class="notice"])').split())
    assert notice == "The passage cannot be shown here: this server was started without the source texts."
    where = " ".join(tree.xpath('string(//p[starts-with(normalize-space(.), "Where to read")])').split())
    assert where == ("Where to read the original: Implementing the Responsibility to Protect principle: UN, EU and "
                     "civil society perspectives, published by European Peacebuilding Liaison Office; look for "
                     "characters 1477–1795 of its text.")
    locator = " ".join(page(client, "/id/commitment/eu-first-r2p-contact-point").xpath(
        'string(//span[@class="locator"])').split())
    assert "section" not in locator and locator.endswith("characters 1477–1795, sha256 dce425c96c88… · where to read it")


def test_a_text_that_no_longer_matches_is_reported_not_shown(embedded_backend, settings, tmp_path):
    for source in settings.seeds_dir.glob("*.txt"):
        shutil.copy(source, tmp_path / source.name)
    changed = tmp_path / "000_0d30753e7e577810.txt"
    changed.write_text(read_source(changed).replace("Brussels", "Bruxelles"), encoding="utf-8", newline="")
    client = _app_with_sources(embedded_backend, settings, tmp_path).test_client()
    tree = page(client, "/sources")
    assert record(tree, "csdn-2017")["Text on this server"] == (
        "000_0d30753e7e577810.txt differs from the version the locators were made for (content hash)")
    assert record(tree, "gnfp-2019")["Text on this server"].startswith("available")
    passage = page(client, "/sources/csdn-2017/passage?start=1477&end=1795")
    assert not passage.xpath("//blockquote")
    assert "differs from the version the locators were made for" in passage.xpath('string(//p[@class="notice"])')


def test_serve_refuses_a_sources_folder_that_does_not_exist(tmp_path):
    from r2pkg.cli import main

    result = CliRunner().invoke(main, ["serve", "--port", "0", "--sources", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "Invalid value for '--sources'" in result.output and "does not exist" in result.output
