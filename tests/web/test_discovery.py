"""What lets tools find their way: robots.txt, sitemap.xml, the OpenAPI description, the JSON-LD context, health."""

from __future__ import annotations

import requests
from lxml import etree

from r2pkg.web import resources
from r2pkg.web.browse import FACETS

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_robots_names_the_sitemap_and_keeps_crawlers_off_the_endpoint(live_server):
    response = requests.get(live_server + "/robots.txt")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines and "Disallow: /sparql" in lines and "Disallow: /api/" in lines
    assert f"Sitemap: {live_server}/sitemap.xml" in lines


def test_sitemap_lists_every_entity_page(live_server, kg):
    response = requests.get(live_server + "/sitemap.xml")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content)
    urls = [loc.text for loc in tree.iter(SITEMAP + "loc")]
    assert len(urls) == len(set(urls))
    expected = {str(row["s"]) for row in kg.query(
        'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/r2pkg/id/")) }')}
    pages = {url[len(live_server):] for url in urls if url.startswith(live_server + "/id/")}
    assert pages == {"/id/" + iri[len("https://w3id.org/r2pkg/id/"):] for iri in expected}
    # Each one is a page that answers.
    for url in sorted(urls)[:: max(1, len(urls) // 15)]:
        assert requests.get(url, headers={"Accept": "text/html"}).status_code == 200, url


def test_openapi_describes_the_json_api(live_server):
    response = requests.get(live_server + "/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": live_server}]
    assert {"/api/search", "/api/queries", "/recommendations"} <= set(document["paths"])
    # What it promises holds: every documented parameter is accepted, the answers have the documented fields.
    search = document["components"]["schemas"]["Hit"]["required"]
    answer = requests.get(live_server + "/api/search", params={"q": "ghana", "limit": 3}).json()
    assert set(document["components"]["schemas"]["SearchPage"]["required"]) <= set(answer)
    hits = answer["results"]
    assert hits and all(set(search) <= set(hit) for hit in hits)
    questions = requests.get(live_server + "/api/queries").json()
    required = document["components"]["schemas"]["Question"]["required"]
    assert questions and all(set(required) <= set(q) for q in questions)
    parameters = {p["name"] for p in document["paths"]["/recommendations"]["get"]["parameters"]}
    assert parameters == {"format", "interpreted"} | {facet.key for facet in FACETS}
    records = requests.get(live_server + "/recommendations", params={"format": "json", "interpreted": "include"}).json()
    fields = set(document["components"]["schemas"]["Recommendation"]["properties"])
    assert records and all(set(record) <= fields for record in records)
    reference = set(document["components"]["schemas"]["Recommendation"]["properties"]["theme"]["items"]["properties"])
    assert all(set(value) <= reference for record in records for value in record["theme"])
    bad = requests.get(live_server + "/api/search", params={"q": "x", "limit": "many"})
    assert bad.status_code == 400 and set(document["components"]["schemas"]["Error"]["required"]) <= set(bad.json())


def test_context_at_a_stable_address(live_server, settings):
    from r2pkg.export import load_context

    response = requests.get(live_server + "/context.jsonld", headers={"Origin": "https://tool.example"})
    assert response.status_code == 200
    assert response.json() == load_context(settings)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_health_and_readiness(live_server):
    health = requests.get(live_server + "/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    ready = requests.get(live_server + "/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert health.headers["Cache-Control"] == ready.headers["Cache-Control"] == "no-store"


def test_readiness_fails_when_the_store_does_not_answer(settings):
    from r2pkg.store import RemoteBackend
    from r2pkg.web import create_app

    app = create_app(backend=RemoteBackend("http://127.0.0.1:9/query", timeout=2), settings=settings,
                     config={"TESTING": True})
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json["status"] == "unavailable"
        assert response.headers["Retry-After"]
    finally:
        resources.close(app)
