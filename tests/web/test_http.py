"""HTTP conventions on every resource, over real HTTP: compression, validators and 304, Cache-Control per kind, CORS,
security headers, request ids, the public address links are built from."""

from __future__ import annotations

import gzip
import re
import shutil
import json

import brotli
import pytest
import requests
import urllib3
from rdflib import Graph
from rdflib.compare import isomorphic

from r2pkg.web import resources
from r2pkg.web.http import CONTENT_SECURITY_POLICY
from waitress_thread import start

GHANA = "/id/state/ghana"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/r2pkg/ontology#State> } ORDER BY ?s LIMIT 50"

RESOURCES = {
    "page": (GHANA, "text/html"),
    "entity RDF": (GHANA, "text/turtle"),
    "entity JSON-LD": (GHANA + ".jsonld", "*/*"),
    "browse": ("/browse", "text/html"),
    "search API": ("/api/search?q=gha", "*/*"),
    "queries API": ("/api/queries", "*/*"),
    "SPARQL result": ("/sparql?query=" + requests.utils.quote(SELECT), "application/sparql-results+json"),
    "service description": ("/sparql", "text/turtle"),
    "VoID": ("/.well-known/void", "text/turtle"),
    "ontology": ("/ontology", "text/turtle"),
    "editor": ("/query", "text/html"),
}
"""A resource of every kind the release renders, and what a client of it accepts."""

RDF_PARSERS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}


def raw_get(url: str, **headers) -> urllib3.BaseHTTPResponse:
    """The bytes as sent, not decoded (requests would undo the compression)."""
    return urllib3.request("GET", url, headers=headers, decode_content=False, preload_content=True, retries=False,
                           timeout=60)


@pytest.mark.parametrize("name", list(RESOURCES))
@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_when_the_client_accepts_it(live_server, name, encoding):
    path, accept = RESOURCES[name]
    plain = raw_get(live_server + path, Accept=accept, **{"Accept-Encoding": "identity"})
    packed = raw_get(live_server + path, Accept=accept, **{"Accept-Encoding": f"{encoding}, identity;q=0.5"})
    assert plain.status == packed.status == 200
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in packed.headers["Vary"]
    if len(plain.data) < 500:
        return  # too small to be worth it
    assert packed.headers["Content-Encoding"] == encoding
    body = gzip.decompress(packed.data) if encoding == "gzip" else brotli.decompress(packed.data)
    assert len(packed.data) < len(plain.data)
    media_type = plain.headers["Content-Type"].split(";")[0]
    if media_type in RDF_PARSERS:  # blank node labels differ from one answer to the next
        assert isomorphic(Graph().parse(data=body, format=RDF_PARSERS[media_type]),
                          Graph().parse(data=plain.data, format=RDF_PARSERS[media_type]))
    elif media_type != "text/html":  # pages carry a request id nowhere, but the editor's examples are shuffled
        assert body == plain.data
    else:
        assert body.startswith(b"<!doctype html>")


def test_static_files_and_dumps_are_compressed(live_server):
    page = requests.get(live_server + "/query").text
    scripts = re.findall(r'src="(/static/[^"]+\.js\?v=[0-9a-f]+)"', page)
    assert scripts
    dumps = ["/downloads/dataset.ttl", "/downloads/dataset.nq"]
    for path in scripts + dumps:
        plain = raw_get(live_server + path)
        packed = raw_get(live_server + path, **{"Accept-Encoding": "br, gzip"})
        assert packed.headers["Content-Encoding"] == "br", path
        assert brotli.decompress(packed.data) == plain.data
        assert len(packed.data) < len(plain.data) / 2


@pytest.mark.parametrize("name", list(RESOURCES))
def test_validators_and_conditional_get(live_server, name):
    path, accept = RESOURCES[name]
    first = requests.get(live_server + path, headers={"Accept": accept})
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = requests.get(live_server + path, headers={"Accept": accept, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    since = requests.get(live_server + path, headers={"Accept": accept, "If-Modified-Since": modified})
    assert since.status_code == 304
    other = requests.get(live_server + path, headers={"Accept": accept, "If-None-Match": 'W/"another-release"'})
    assert other.status_code == 200 and other.content


@pytest.mark.parametrize("path", ["/downloads/dataset.ttl", "/static/css/site.css"])
def test_files_have_validators_in_every_encoding(live_server, path):
    first = requests.get(live_server + path, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Last-Modified"]
    for encoding in ("gzip", "br", "identity"):
        again = requests.get(live_server + path, headers={"If-None-Match": first.headers["ETag"], "Accept-Encoding": encoding})
        assert again.status_code == 304, encoding


def test_the_release_names_the_validators(app, settings, built_release, tmp_path):
    """A rebuild changes the ETag: an app on a copy of the release with another checksum tags differently."""
    from r2pkg.store import EmbeddedBackend
    from r2pkg.web import create_app

    copy = tmp_path / "release"
    copy.mkdir()
    shutil.copy(built_release / "dataset.nq", copy / "dataset.nq")
    manifest = json.loads((built_release / "manifest.json").read_text())
    manifest["sha256"] = "0" * 64
    manifest["built"] = "2030-01-01T00:00:00+00:00"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    other = create_app(backend=EmbeddedBackend.from_file(copy / "dataset.nq"), settings=settings,
                       config={"TESTING": True})
    try:
        mine = app.test_client().get(GHANA, headers={"Accept": "text/turtle"})
        theirs = other.test_client().get(GHANA, headers={"Accept": "text/turtle"})
        assert mine.headers["ETag"] != theirs.headers["ETag"]
        assert theirs.headers["Last-Modified"] == "Tue, 01 Jan 2030 00:00:00 GMT"
        stale = other.test_client().get(GHANA, headers={"Accept": "text/turtle", "If-None-Match": mine.headers["ETag"]})
        assert stale.status_code == 200
    finally:
        resources.close(other)


@pytest.mark.parametrize(("path", "policy"), [
    (GHANA, "public, max-age=300"),
    (GHANA + ".ttl", "public, max-age=300"),
    ("/sparql?query=ASK%7B%7D", "public, max-age=600"),
    ("/downloads/dataset.nt", "public, max-age=3600"),
    ("/static/css/site.css", "public, max-age=3600"),
    ("/id/state/no-such-state", "no-store"),
])
def test_cache_control_per_kind(live_server, path, policy):
    assert requests.get(live_server + path).headers["Cache-Control"] == policy


def test_fingerprinted_static_files_are_immutable(live_server):
    page = requests.get(live_server + "/").text
    links = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]+)"', page)
    assert len(links) >= 3
    for link in links:
        response = requests.get(live_server + link)
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", link
    # A stale fingerprint is not promised forever.
    stale = requests.get(live_server + links[0].split("?")[0] + "?v=000000000000")
    assert stale.headers["Cache-Control"] == "public, max-age=3600"


def test_a_post_query_is_not_cached(live_server):
    response = requests.post(live_server + "/sparql", data={"query": "ASK {}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


CORS_RESOURCES = [GHANA + ".ttl", GHANA + ".jsonld", "/api/search?q=gh", "/api/queries", "/downloads/dataset.nt",
                  "/.well-known/void", "/context.jsonld", "/sparql?query=ASK%7B%7D", "/ontology.ttl"]


@pytest.mark.parametrize("path", CORS_RESOURCES)
def test_cors_on_every_read_only_resource(live_server, path):
    response = requests.get(live_server + path, headers={"Origin": "https://tool.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = response.headers["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "X-Request-Id" in exposed
    preflight = requests.options(live_server + path, headers={
        "Origin": "https://tool.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Accept"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_sparql_preflight_for_a_post(live_server):
    preflight = requests.options(live_server + "/sparql", headers={
        "Origin": "https://tool.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("path", ["/", "/query", GHANA, "/browse", "/recommendations", "/stats", "/ontology",
                                  "/downloads", "/search?q=ghana", "/id/state/nowhere"])
def test_security_headers_on_every_page(live_server, path):
    response = requests.get(live_server + path, headers={"Accept": "text/html"})
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # The pages satisfy it: no inline script that executes, no inline style or handler attribute.
    for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", response.text, re.S):
        attributes, body = script
        assert "src=" in attributes or re.search(r'type="application/(ld\+)?json"', attributes), attributes
    assert not re.search(r"\sstyle=|\son[a-z]+=", response.text)


def test_nosniff_on_data_too(live_server):
    assert requests.get(live_server + GHANA + ".ttl").headers["X-Content-Type-Options"] == "nosniff"


def test_every_answer_has_a_request_id(live_server):
    ids = {requests.get(live_server + "/api/search?q=x").headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3
    # A client cannot choose its id (only a trusted proxy can).
    assert requests.get(live_server + "/", headers={"X-Request-Id": "mine"}).headers["X-Request-Id"] != "mine"


def _serve(app):
    return start(app, threads=2, public_limits=True)


@pytest.fixture(scope="module")
def public_server(embedded_backend, settings):
    from r2pkg.web import create_app

    app = create_app(backend=embedded_backend, settings=settings,
                     config={"TESTING": True, "PUBLIC_URL": "https://kg.example.org/r2p/"})
    server, url = _serve(app)
    yield url
    server.close()
    resources.close(app)


@pytest.fixture(scope="module")
def proxied_server(embedded_backend, settings):
    from r2pkg.web import create_app

    app = create_app(backend=embedded_backend, settings=settings, config={"TESTING": True, "TRUSTED_PROXY": 1})
    server, url = _serve(app)
    yield url
    server.close()
    resources.close(app)


SPOOFED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http",
           "X-Forwarded-For": "203.0.113.9"}


def test_links_come_from_the_public_url_not_from_the_request(public_server):
    void = requests.get(public_server + "/.well-known/void", headers={**SPOOFED, "Accept": "application/n-triples"}).text
    assert "<https://kg.example.org/r2p/sparql>" in void
    assert "evil.example" not in void
    assert "127.0.0.1" not in void


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(live_server):
    void = requests.get(live_server + "/.well-known/void", headers={**SPOOFED, "Accept": "application/n-triples"}).text
    assert "evil.example" not in void
    assert f"<{live_server}/sparql>" in void


def test_a_trusted_proxy_names_host_and_client(proxied_server):
    response = requests.get(proxied_server + "/.well-known/void",
                            headers={"X-Forwarded-Host": "kg.example.net", "X-Forwarded-Proto": "https",
                                     "X-Request-Id": "proxy-id-1", "Accept": "application/n-triples"})
    assert "<https://kg.example.net/sparql>" in response.text
    assert response.headers["X-Request-Id"] == "proxy-id-1"
