"""`r2pkg serve`: the web application under a production WSGI server."""

from __future__ import annotations

import errno
import logging
import signal
import socket
import sys

import click

from . import CommandError, main


def _check_port(host: str, port: int) -> None:
    """Fail early, with a readable message, when the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(f"port {port} on {host} is already in use: stop the other server or pass --port") from None
            raise CommandError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--endpoint", metavar="URL", help="Serve from this SPARQL 1.1 endpoint instead of the embedded build.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Request threads.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@click.option("--timeout", "query_timeout", default=20.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds a /sparql query may run before it is stopped.")
@click.option("--row-limit", default=10_000, show_default=True, type=click.IntRange(1), help="Rows per /sparql answer.")
def serve(host: str, port: int, endpoint: str | None, threads: int, workers: int, query_timeout: float,
          row_limit: int) -> None:
    """Serve the web site and the SPARQL endpoint with waitress (Ctrl-C stops it)."""
    from waitress import serve as waitress_serve

    from ..config import Settings
    from ..store import RemoteBackend, StoreError, dataset_path
    from ..web import create_app

    settings = Settings.from_env()
    if not endpoint and not dataset_path(settings).is_file():
        raise CommandError(f"no build at {dataset_path(settings)}: run `r2pkg build` first (or pass --endpoint URL)")
    _check_port(host, port)
    config = {"QUERY_TIMEOUT_SECONDS": query_timeout, "QUERY_ROW_LIMIT": row_limit, "QUERY_WORKERS": workers}
    try:
        backend = RemoteBackend(endpoint, timeout=query_timeout) if endpoint else None
        app = create_app(backend=backend, settings=settings, test_config=config)
        app.extensions["r2pkg.executor"].start()
    except StoreError as error:
        raise CommandError(str(error)) from error
    logging.getLogger("waitress").setLevel(logging.INFO)
    logging.getLogger("r2pkg.web").propagate = False  # it has its own handler; waitress adds one on the root logger
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so the query workers are stopped below
    source = endpoint or str(dataset_path(settings).resolve())
    click.echo(f"r2pkg: serving {source} at http://{host}:{port}/ (SPARQL endpoint /sparql); Ctrl-C stops", err=True)
    try:
        waitress_serve(app, host=host, port=port, threads=threads, channel_timeout=60, ident="r2pkg")
    finally:
        app.extensions["r2pkg.executor"].close()
