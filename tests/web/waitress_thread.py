"""A Flask app under waitress on a free loopback port, in a daemon thread: the live servers of the web tests."""

from __future__ import annotations

import threading

from waitress.server import create_server

from r2pkg.web.limits import server_options, tune_server


def start(app, threads: int = 4, public_limits: bool = False):
    """Serve `app`; with `public_limits`, under the waitress settings `r2pkg serve` uses. Returns (server, base URL)."""
    options = server_options(app) if public_limits else {}
    server = create_server(app, host="127.0.0.1", port=0, threads=threads, server_name="127.0.0.1", **options)
    if public_limits:
        tune_server(server)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"
