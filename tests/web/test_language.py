"""The six UN languages: the page's language (address, switcher cookie, Accept-Language), complete catalogues,
right-to-left Arabic, one notice for names in another language, and caches that keep the languages apart."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
import requests
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from r2pkg.web.language import CATALOGUES, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s")
TAG = re.compile(r"</?\w+[^>]*>")


def tree(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode("utf-8") if hasattr(response, "content")
                                else response.get_data(as_text=True))


def h1(page) -> str:
    return " ".join(page.xpath("string(//h1)").split())


# --- the catalogues ---------------------------------------------------------------------------------------------


def interface_words() -> set:
    """Every word of the interface, as `make messages` collects them (babel.cfg)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    return {message if isinstance(message, str) else tuple(message)
            for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_word_of_the_interface_is_translated(lang):
    """A word marked with _() in a template, in Python or in a page table, and missing from a catalogue fails here."""
    words = interface_words()
    assert len(words) > 400 and "Start with your state or organisation" in words and "Country codes" in words
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale=lang)
    translated = {}
    for message in catalogue:
        if message.id:
            translated[message.id if isinstance(message.id, str) else tuple(message.id)] = message
    missing = sorted(str(w) for w in words if w not in translated or not all(
        translated[w].string if isinstance(translated[w].string, tuple) else [translated[w].string]))
    assert missing == [], f"{lang}: {len(missing)} words without a translation (run `make messages`): {missing[:10]}"
    for word in words:
        message = translated[word]
        source = " ".join([word] if isinstance(word, str) else word)
        for form in message.string if isinstance(message.string, tuple) else [message.string]:
            assert set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(source)), (lang, word, form)
            assert sorted(TAG.findall(form)) == sorted(TAG.findall(source)), (lang, word, form)


# --- choosing the language ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept, lang, heading", [
    ("fr-CH, fr;q=0.9, en;q=0.5", "fr", "Le graphe de connaissances de la responsabilité de protéger"),
    ("de-DE, es;q=0.7", "es", "El grafo de conocimiento de la responsabilidad de proteger"),
    ("zh-TW", "zh", "保护责任知识图谱"),
    ("ru", "ru", "Граф знаний об ответственности по защите"),
    ("ar-EG", "ar", "مخطط المعرفة بشأن مسؤولية الحماية"),
    ("de, it;q=0.5", "en", "The Responsibility to Protect knowledge graph"),
    ("", "en", "The Responsibility to Protect knowledge graph"),
])
def test_the_language_is_negotiated_from_accept_language(client, accept, lang, heading):
    response = client.get("/", headers={"Accept-Language": accept} if accept else {})
    page = tree(response)
    assert page.xpath("string(/html/@lang)") == lang and h1(page) == heading
    assert page.xpath("string(/html/@dir)") == ("rtl" if lang == "ar" else "ltr")
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


def test_the_address_wins_over_the_header_and_then_needs_no_vary(client):
    response = client.get("/browse?lang=ru", headers={"Accept-Language": "fr"})
    assert h1(tree(response)) == "Обзор графа знаний" and response.headers["Content-Language"] == "ru"
    assert "Accept-Language" not in response.vary and "Cookie" not in response.vary


def test_arabic_pages_are_right_to_left(client):
    for path in ["/?lang=ar", "/id/state/egypt?lang=ar", "/recommendations?lang=ar", "/no-such-page?lang=ar"]:
        response = client.get(path)
        page = lxml.html.fromstring(response.get_data(as_text=True))
        assert (page.xpath("string(/html/@lang)"), page.xpath("string(/html/@dir)")) == ("ar", "rtl"), path
    assert h1(lxml.html.fromstring(client.get("/id/state/egypt?lang=ar").get_data(as_text=True))) == "مصر"


def test_the_switcher_is_on_every_page_and_keeps_the_page(client):
    page = tree(client.get("/browse/states?sort=label&order=desc"))
    switcher = page.xpath('//nav[@class="language-switcher"]')[0]
    assert switcher.get("aria-label") == "Language"
    links = {a.get("lang"): a for a in switcher.xpath(".//a")}
    assert list(links) == ["ar", "zh", "en", "fr", "ru", "es"]
    assert links["en"].get("aria-current") == "true" and links["fr"].text_content() == "Français"
    href = links["fr"].get("href")
    assert urlsplit(href).path == "/language/fr"
    assert parse_qs(urlsplit(href).query)["next"] == ["/browse/states?sort=label&order=desc"]
    for path in ["/", "/id/state/ghana", "/map", "/timeline", "/sources", "/stats", "/query", "/search?q=kenya"]:
        assert len(tree(client.get(path)).xpath('//nav[@class="language-switcher"]//a[@hreflang]')) == 6, path


def test_a_choice_holds_on_the_next_links_and_stays_on_this_site(app):
    client = app.test_client()
    response = client.get("/language/fr?next=/browse/states%3Fsort%3Dlabel%26lang%3Den")
    assert response.status_code == 303 and response.headers["Location"] == "/browse/states?sort=label&lang=fr"
    assert "lang=fr" in response.headers["Set-Cookie"] and response.headers["Cache-Control"] == "no-store"
    # links without ?lang= now open in French, whatever the browser's languages
    for path, heading in [("/recommendations", "Recommandations"), ("/sources", "Sources"), ("/map", "Carte des États")]:
        page = tree(client.get(path, headers={"Accept-Language": "en"}))
        assert h1(page) == heading and page.xpath("string(/html/@lang)") == "fr"
    assert client.get("/language/fr?next=//elsewhere.example/x").headers["Location"] == "/?lang=fr"
    assert client.get("/language/de").status_code == 404


def test_links_the_pages_build_carry_the_language(client):
    page = tree(client.get("/id/state/ghana?lang=es"))
    assert all("lang=es" in href for href in page.xpath('//nav[@class="applies-filter"]//a/@href'))
    start = client.get("/start", query_string={"entity": "https://w3id.org/r2pkg/id/state/ghana"},
                       headers={"Accept-Language": "ru"})
    assert start.headers["Location"].endswith("/id/state/ghana?lang=ru#applies")


# --- labels, dates and numbers --------------------------------------------------------------------------------------


def test_state_names_come_in_every_language(client):
    names = {lang: h1(tree(client.get(f"/id/state/germany?lang={lang}"))) for lang in LANGUAGES}
    assert names == {"ar": "ألمانيا", "zh": "德国", "en": "Germany", "fr": "Allemagne", "ru": "Германия",
                     "es": "Alemania"}


def test_names_in_another_language_are_said_once_per_page(client):
    page = tree(client.get("/id/state/south-sudan?lang=zh"))
    notices = page.xpath('//p[contains(@class, "lang-fallback-notice")]')
    assert [n.text_content() for n in notices] == ["部分名称以英语显示，因为来源没有给出中文名称。"]
    english_labels = page.xpath('//main//span[@lang="en"]')
    assert len(english_labels) > 5 and not page.xpath('//abbr[contains(@class, "lang-fallback")]')
    assert not tree(client.get("/id/state/south-sudan")).xpath('//p[contains(@class, "lang-fallback-notice")]')


def test_dates_and_numbers_are_written_in_the_language(client):
    page = tree(client.get("/sources?lang=fr"))
    csdn = page.get_element_by_id("csdn-2017")
    assert csdn.xpath('string(.//time[@datetime="2017-02-16"])') == "16 février 2017"
    page = tree(client.get("/sources?lang=ru"))
    assert page.xpath('string(//time[@datetime="2017-09-07"])') == "7 сентября 2017\u202fг."  # CLDR: a narrow no-break space before г.
    page = tree(client.get("/browse?lang=fr"))
    # the interface's words, not only the page's: the kinds of the index come from queries/kinds.rq
    assert page.xpath('string(//li[@id="kind-states"]//span[@class="kind-title"])') == "États"


def test_error_pages_speak_the_language(client):
    response = client.get("/id/state/atlantis?lang=es")
    assert response.status_code == 404
    page = lxml.html.fromstring(response.get_data(as_text=True))
    assert h1(page) == "404 No encontrado"
    assert "Nada en el grafo de conocimiento se llama" in page.xpath('string(//p[@class="error-message"])')


# --- caches -------------------------------------------------------------------------------------------------------


def test_the_page_cache_keeps_the_languages_apart(live_server):
    """The same address asked in French, then in English: each gets its own page, and validators that differ."""
    french = requests.get(live_server + "/timeline", headers={"Accept-Language": "fr"})
    english = requests.get(live_server + "/timeline", headers={"Accept-Language": "en"})
    again = requests.get(live_server + "/timeline", headers={"Accept-Language": "fr"})
    assert h1(tree(french)) == h1(tree(again)) == "Chronologie" and h1(tree(english)) == "Timeline"
    assert french.headers["ETag"] != english.headers["ETag"] and french.headers["ETag"] == again.headers["ETag"]
    for response in (french, english):
        assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response.headers["Vary"].split(",")}
    # a browser holding the French page revalidates it with its ETag: an English request must not get a 304
    stale = requests.get(live_server + "/timeline", headers={"Accept-Language": "en",
                                                              "If-None-Match": french.headers["ETag"]})
    assert stale.status_code == 200 and h1(tree(stale)) == "Timeline"


@pytest.mark.parametrize("lang, note", [("en", "more than 45 countries"), ("fr", "plus de 45 pays"),
                                        ("es", "más de 45 países"), ("ar", "البلدان: أكثر من 45")])
def test_numbers_the_sources_give_are_worded_in_the_page_language(client, lang, note):
    page = tree(client.get(f"/id/event/gnfp-9th-annual-meeting?lang={lang}"))
    assert page.xpath('string(//section[@id="facts"]//span[contains(@class, "note")])').strip() == f"({note})"
