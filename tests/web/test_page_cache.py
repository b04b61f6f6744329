"""Pages are answered once per release: the same address and Accept header get the same answer without a query, and
a page already sent is sent again as it was (compressed, with its headers) without going through Flask."""

from __future__ import annotations

import logging

import pytest
import requests
import urllib3

from r2pkg.web.page_cache import Answer, PageCache, page_cache
from r2pkg.web import resources


@pytest.fixture
def queries(app, monkeypatch) -> list:
    """The queries the app's backend is asked from now on, with no page kept from earlier tests."""
    with app.app_context():
        page_cache().clear()
    asked = []
    backend = resources.backend(app)
    for name in ("select", "ask"):
        original = getattr(backend, name)
        monkeypatch.setattr(backend, name, lambda text, *args, _original=original, **kwargs:
                            asked.append(text) or _original(text, *args, **kwargs))
    return asked


@pytest.mark.parametrize("url", ["/id/state/ghana?lang=fr", "/recommendations?theme=https://w3id.org/r2pkg/id/theme/"
                                 "early-warning", "/stats", "/browse/states?sort=iso"])
def test_a_page_asked_again_is_answered_without_a_query(app, url, queries):
    client = app.test_client()
    first = client.get(url)
    assert first.status_code == 200 and queries
    queries.clear()
    second = client.get(url)
    assert queries == []
    assert second.status_code == 200 and second.get_data() == first.get_data()
    assert second.mimetype == first.mimetype and second.headers.get("Link") == first.headers.get("Link")
    assert second.headers["ETag"] == first.headers["ETag"]


def test_another_accept_header_is_another_answer(app, queries):
    client = app.test_client()
    html = client.get("/id/state/denmark")
    turtle = client.get("/id/state/denmark", headers={"Accept": "text/turtle"})
    assert html.mimetype == "text/html" and turtle.mimetype == "text/turtle"
    assert "<https://w3id.org/r2pkg/id/state/denmark>" in turtle.get_data(as_text=True) or \
        "state:denmark" in turtle.get_data(as_text=True)
    assert client.get("/id/state/denmark", headers={"Accept": "text/turtle"}).get_data() == turtle.get_data()


def test_a_missing_page_is_not_kept(app, queries):
    client = app.test_client()
    assert client.get("/id/state/atlantis").status_code == 404
    queries.clear()
    assert client.get("/id/state/atlantis").status_code == 404
    assert queries  # asked again: only answers that exist are kept


def test_the_cache_keeps_the_most_recently_used_within_its_bounds():
    cache = PageCache(max_entries=2, max_bytes=10)
    cache.put(("a",), Answer(b"aaaa", ()))
    cache.put(("b",), Answer(b"bbbb", ()))
    assert cache.get(("a",)).body == b"aaaa"  # a is now the most recently used
    cache.put(("c",), Answer(b"cc", ()))  # a third entry: b, the least recently used, goes
    assert cache.get(("b",)) is None and len(cache) == 2 and cache.size == 6
    cache.put(("d",), Answer(b"ddddddd", ()))  # a third entry again: a goes
    assert [cache.get((k,)) is not None for k in "acd"] == [False, True, True] and cache.size == 9
    cache.put(("f",), Answer(b"fffff", ()))  # c goes for the number, then d for the bytes (12 > 10)
    assert [cache.get((k,)) is not None for k in "cdf"] == [False, False, True] and cache.size == 5
    cache.put(("e",), Answer(b"x" * 11, ()))  # larger than the whole cache: not kept, nothing evicted
    assert cache.get(("e",)) is None and cache.get(("f",)) is not None


@pytest.fixture
def without_flask(app, monkeypatch):
    """After this, a request that reaches Flask's dispatch fails with a 500 (only the replay layer can answer)."""

    def refuse():
        raise RuntimeError("went through Flask")

    return lambda: monkeypatch.setattr(app, "full_dispatch_request", refuse)


@pytest.fixture
def access_lines():
    """The access log's lines from now on."""
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("r2pkg.access")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


@pytest.mark.parametrize("encoding", ["identity", "gzip", "br"])
@pytest.mark.parametrize("url", ["/id/state/ghana", "/stats", "/api/search?q=gha"])
def test_a_page_sent_again_is_the_same_answer_without_flask(app, live_server, url, encoding, queries, without_flask,
                                                            access_lines):
    headers = {"Accept-Encoding": encoding}
    first = urllib3.request("GET", live_server + url, headers=headers, decode_content=False, retries=False)
    assert first.status == 200
    without_flask()
    again = [urllib3.request("GET", live_server + url, headers=headers, decode_content=False, retries=False)
             for _ in range(2)]
    per_request = {"x-request-id", "date"}
    for answer in again:
        assert answer.status == 200 and answer.data == first.data
        assert {(k, v) for k, v in answer.headers.items() if k.lower() not in per_request} == \
            {(k, v) for k, v in first.headers.items() if k.lower() not in per_request}
    ids = [answer.headers["X-Request-Id"] for answer in [first, *again]]
    assert len(set(ids)) == 3
    # Each is logged with its own id, its status and its size.
    for rid, answer in zip(ids, [first, *again]):
        line = next(line for line in access_lines if f"rid={rid} " in line)
        assert f'"GET {url} HTTP/1.1" 200 {len(answer.data)} ' in line


def test_a_conditional_get_is_answered_from_the_cache(app, queries, without_flask):
    client = app.test_client()
    first = client.get("/id/state/ghana", headers={"Accept-Encoding": "gzip"})
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    by_flask = client.get("/id/state/ghana", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert by_flask.status_code == 304
    without_flask()
    for condition in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        again = client.get("/id/state/ghana", headers={"Accept-Encoding": "gzip", **condition})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == etag and "Accept-Encoding" in again.headers["Vary"]
        assert again.headers["Cache-Control"] == by_flask.headers["Cache-Control"]
    stale = client.get("/id/state/ghana", headers={"Accept-Encoding": "gzip", "If-None-Match": 'W/"another-release"'})
    assert stale.status_code == 200 and stale.get_data() == first.get_data()


def test_what_the_cache_cannot_answer_exactly_goes_to_flask(app, queries, without_flask):
    client = app.test_client()
    assert client.get("/stats").status_code == 200
    without_flask()
    assert client.get("/stats").status_code == 200
    # A HEAD, a range, a precondition to check, another address, Accept header or encoding: Flask answers (here it
    # cannot: the test app lets the error through).
    for method, url, headers in [("HEAD", "/stats", {}), ("GET", "/stats", {"Range": "bytes=0-10"}),
                                 ("GET", "/stats", {"If-Match": '"x"'}), ("GET", "/stats?x=1", {}),
                                 ("GET", "/stats", {"Accept": "application/json"}),
                                 ("GET", "/stats", {"Accept-Encoding": "br"})]:
        with pytest.raises(RuntimeError, match="went through Flask"):
            client.open(url, method=method, headers=headers)


def test_a_search_asked_again_is_not_searched_again(app, monkeypatch, queries):
    from r2pkg.web.search import label_index

    client = app.test_client()
    with app.app_context():
        index = label_index()
    searched = []
    original = index.search_page
    monkeypatch.setattr(index, "search_page", lambda *args: searched.append(args) or original(*args))
    first = client.get("/api/search?q=ghana&limit=3")
    second = client.get("/api/search?q=ghana&limit=3")
    assert first.status_code == 200 and second.get_json() == first.get_json()
    assert first.get_json()["results"][0]["label"] == "Ghana"
    assert len(searched) == 1
    assert client.get("/api/search?q=ghana&limit=4").get_json()["limit"] == 4 and len(searched) == 2
