"""Web fixtures: the Flask app over the session's build, its test client."""

from __future__ import annotations

import pytest

from r2pkg.store import EmbeddedBackend
from r2pkg.web import create_app


@pytest.fixture(scope="session")
def embedded_backend(built_release):
    return EmbeddedBackend.from_file(built_release / "dataset.nq")


@pytest.fixture(scope="session")
def app(embedded_backend, settings):
    return create_app(backend=embedded_backend, settings=settings, test_config={"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    """The app under waitress on a free loopback port, for real HTTP clients and the browser; yields its base URL."""
    import threading

    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
