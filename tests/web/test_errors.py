"""Error pages: readable HTML (or JSON when asked), never a traceback; unexpected failures are logged."""

from __future__ import annotations

import logging

import lxml.html
import pytest

from r2pkg.store import StoreError
from r2pkg.web import create_app, resources


def assert_error_page(response, code: int):
    assert response.status_code == code
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and 'File "' not in body
    tree = lxml.html.fromstring(body)
    assert tree.xpath('string(//span[@class="error-code"])') == str(code)
    assert tree.xpath('string(//p[@class="error-message"])').strip()
    assert tree.xpath('//nav[@aria-label="Main"]'), "error pages keep the site navigation"
    return tree


@pytest.mark.parametrize(("method", "url", "headers", "code"), [
    ("get", "/no/such/page", {}, 404),
    ("get", "/id/person/nobody-at-all", {}, 404),
    ("get", "/browse/states?page=abc", {}, 400),
    ("get", "/recommendations?format=pdf", {}, 400),
    ("post", "/browse", {}, 405),
    ("delete", "/id/person/edward-luck", {}, 405),
    ("get", "/id/person/edward-luck", {"Accept": "application/pdf"}, 406),
])
def test_error_pages_are_readable_html(client, method, url, headers, code):
    response = getattr(client, method)(url, headers=headers)
    tree = assert_error_page(response, code)
    if code == 405:
        assert "GET" in response.headers["Allow"]
    if code == 404 and url.startswith("/id/"):
        assert "https://w3id.org/r2pkg/id/person/nobody-at-all" in tree.xpath('string(//p[@class="error-message"])')


@pytest.mark.parametrize(("url", "code"), [("/no/such/page", 404), ("/browse/states?sort=x", 400)])
def test_clients_preferring_json_get_a_json_error(client, url, code):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == code and body["error"] and body["message"]


def test_a_browser_accepting_anything_gets_html_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert_error_page(response, 404)


class FailingBackend:
    """A backend whose store has gone away: every query fails."""

    def select(self, query):
        raise StoreError("endpoint unreachable: connection refused")

    def ask(self, query):
        raise StoreError("endpoint unreachable: connection refused")


@pytest.fixture(scope="module")
def failing_client(settings):
    app = create_app(backend=FailingBackend(), settings=settings, config={"TESTING": True})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    yield app.test_client()
    resources.close(app)


def test_unexpected_failures_are_a_500_page_and_logged(failing_client, caplog):
    with caplog.at_level(logging.ERROR, logger="r2pkg.web"):
        response = failing_client.get("/boom")
    tree = assert_error_page(response, 500)
    assert "secret internal detail" not in tree.text_content()
    assert any(record.levelno == logging.ERROR and record.exc_info for record in caplog.records)


@pytest.mark.parametrize("url", ["/id/person/edward-luck", "/browse", "/browse/states", "/recommendations", "/stats"])
def test_a_store_that_does_not_answer_is_a_503_page_and_logged(failing_client, caplog, url):
    with caplog.at_level(logging.ERROR, logger="r2pkg.web"):
        response = failing_client.get(url)
    tree = assert_error_page(response, 503)
    assert response.headers["Retry-After"] == "30"
    text = tree.text_content()
    assert "secret internal detail" not in text and "connection refused" not in text
    assert any(record.levelno == logging.ERROR and record.exc_info for record in caplog.records)


def test_unexpected_failure_as_json(failing_client):
    response = failing_client.get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["status"] == 500
    assert "secret" not in response.get_data(as_text=True)


def test_api_errors_are_json_whatever_the_client_accepts(client):
    response = client.get("/api/search?q=gh&limit=abc", headers={"Accept": "*/*"})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] == 400 and "limit" in response.get_json()["message"]


def test_api_failure_is_json(failing_client):
    response = failing_client.get("/api/search?q=gh")
    assert response.status_code == 503
    assert response.get_json()["status"] == 503
    assert "connection refused" not in response.get_data(as_text=True)


def test_service_description_without_a_store_is_plain_text(failing_client):
    response = failing_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 502
    assert response.mimetype == "text/plain"
    assert "store failed" in response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "code", "message"), [
    ("/browse/states?page=abc&lang=fr", 400, "page doit être un nombre entier égal ou supérieur à 1, et non 'abc'"),
    ("/map?colour=pink&lang=es", 400, "colour debe ser uno de estos valores: applies, network, steering-group, focal-point, no 'pink'"),
    ("/no/such/page?lang=ru", 404, "По этому адресу нет страницы."),
    ("/sources/nowhere/passage?start=1&end=2&lang=ar", 404, "لا توجد وثيقة مصدر باسم 'nowhere' في مخطط المعرفة هذا."),
])
def test_error_pages_say_what_is_wrong_in_the_page_language(client, url, code, message):
    response = client.get(url)
    assert response.status_code == code
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    said = tree.xpath('string(//p[@class="error-message"])')
    assert said.startswith(message), said
    assert "The requested URL" not in tree.text_content() and " must be " not in said


def test_programs_get_the_same_errors_in_english_by_default(client):
    response = client.get("/browse/states?page=abc", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["message"] == "page must be a whole number of 1 or more, not 'abc'"
