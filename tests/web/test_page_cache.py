"""Pages are answered once per release: the same address and Accept header get the same answer without a query."""

from __future__ import annotations

import pytest

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
