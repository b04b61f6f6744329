"""Browser fixtures: Debian's chromium driven by Playwright (sync API) against the live server.

A missing browser is a failure, not a skip: the browser tests stand for features. Every page is watched for
script errors, for requests leaving the loopback server (the site must work offline) and for anything its
Content-Security-Policy blocks (the console reports each violation).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("R2PKG_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"chromium not found at {CHROMIUM}: install Debian's chromium (make system-deps) or set R2PKG_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; fails the test on a script error or on a request to anywhere but the live server."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    outside: list[str] = []
    errors: list[str] = []
    local = urlsplit(live_server).netloc

    def guard(route):
        url = route.request.url
        if urlsplit(url).netloc == local or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    violations: list[str] = []
    tab.on("console", lambda message: violations.append(message.text)
           if "Content Security Policy" in message.text else None)
    yield tab
    context.close()
    assert not outside, f"the page tried to reach other sites: {outside}"
    assert not errors, f"script errors: {errors}"
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


@pytest.fixture(scope="session")
def small_limit_server(embedded_backend, settings):
    """A second app whose row limit is 5, to see the editor report cut results."""
    import threading

    from waitress.server import create_server

    from r2pkg.web import create_app, resources

    app = create_app(backend=embedded_backend, settings=settings, config={"TESTING": True, "QUERY_ROW_LIMIT": 5})
    server = create_server(app, host="127.0.0.1", port=0, threads=2, server_name="127.0.0.1")
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    resources.close(app)
