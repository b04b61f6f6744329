"""`r2pkg serve`: the web application under a production WSGI server."""

from __future__ import annotations

import errno
import logging
import signal
import socket
import threading
import time
from pathlib import Path

import click

from ..config import Limits
from . import CommandError, main, reports_errors


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
@click.option("--threads", default=8, show_default=True, type=click.IntRange(2, 256), help="Request threads.")
@click.option("--workers", default=Limits.workers, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes.")
@click.option("--timeout", "query_timeout", default=Limits.query_timeout, show_default=True,
              type=click.FloatRange(0.1), help="Seconds a /sparql query may run before it is stopped.")
@click.option("--row-limit", default=Limits.row_limit, show_default=True, type=click.IntRange(1),
              help="Rows per /sparql answer.")
@click.option("--public-url", metavar="URL",
              help="The address the public reaches the site at (https://kg.example.org/); absolute links use it. "
                   "Default: http://HOST:PORT/.")
@click.option("--trusted-proxy", default=0, show_default=True, type=click.IntRange(0, 8), metavar="N",
              help="Number of proxies in front whose X-Forwarded-For/-Proto/-Host headers are believed (0: none).")
@click.option("--rate-limit", default=Limits.SERVE_RATE_LIMIT, show_default=True, metavar="LIMITS",
              help='Queries per client on /sparql, e.g. "60 per minute; 1000 per hour"; "none" for no limit.')
@click.option("--max-running", default=None, type=click.IntRange(1), metavar="N",
              help="SPARQL queries running or waiting at once (default: 2 x workers + 2, below --threads).")
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path, exists=True, file_okay=False, readable=True), metavar="DIR",
              help="Folder of the source texts, to show each locator's passage (default: the seeds folder, "
                   "../shared/seeds or R2PKG_SEEDS, when it exists). The texts are shown, never copied.")
@click.option("--grace", default=10.0, show_default=True, type=click.FloatRange(0),
              help="Seconds in-flight requests get to finish after SIGTERM or Ctrl-C.")
@reports_errors
def serve(host: str, port: int, endpoint: str | None, threads: int, workers: int, query_timeout: float,
          row_limit: int, public_url: str | None, trusted_proxy: int, rate_limit: str, max_running: int | None,
          sources_dir: Path | None, grace: float) -> None:
    """Serve the web site and the SPARQL endpoint with waitress; SIGTERM or Ctrl-C stops it gracefully."""
    from ..config import Settings
    from ..passages import folder_or_default
    from ..store import RemoteBackend, dataset_path
    from ..web import create_app, resources
    from ..web.limits import raise_file_limit

    settings = Settings.from_env()
    if not endpoint and not dataset_path(settings).is_file():
        raise CommandError(f"no build at {dataset_path(settings)}: run `r2pkg build` first (or pass --endpoint URL)")
    _check_port(host, port)
    if rate_limit.strip().lower() in ("none", "off", "0", ""):
        rate_limit = None
    else:
        from limits import parse_many

        try:
            parse_many(rate_limit)
        except ValueError as error:
            raise CommandError(f"--rate-limit {rate_limit!r}: {error}") from None
    running = max_running or max(1, min(Limits(workers=workers).running_total, threads - 2))  # a thread stays free
    limits = Limits(query_timeout=query_timeout, row_limit=row_limit, workers=workers, rate_limit=rate_limit,
                    max_running=running)
    config = {**limits.as_config(), "TRUSTED_PROXY": trusted_proxy,
              "PUBLIC_URL": public_url or (None if trusted_proxy else _default_public_url(host, port)),
              "SOURCES_DIR": folder_or_default(sources_dir, settings.seeds_dir)}
    backend = RemoteBackend(endpoint, timeout=query_timeout) if endpoint else None
    app = create_app(backend=backend, settings=settings, config=config)
    logging.getLogger("waitress").setLevel(logging.INFO)
    logging.getLogger("r2pkg.web").propagate = False  # it has its own handler; waitress adds one on the root logger
    raise_file_limit()
    source = endpoint or str(dataset_path(settings).resolve())
    try:
        resources.executor(app).start()
        click.echo(f"r2pkg: serving {source} at http://{host}:{port}/ (SPARQL endpoint /sparql); Ctrl-C stops",
                   err=True)
        run_gracefully(app, host, port, threads, grace)
    finally:
        resources.close(app)
    click.echo("r2pkg: stopped", err=True)


def _default_public_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def run_gracefully(app, host: str, port: int, threads: int, grace: float) -> None:
    """waitress until SIGTERM or SIGINT; then stop accepting, let in-flight requests finish within `grace` seconds.

    /readyz answers 503 while draining, so a load balancer takes the instance out first.
    """
    from waitress import wasyncore
    from waitress.server import BaseWSGIServer, create_server

    from ..web import resources
    from ..web.limits import server_options, tune_server

    inflight = _InFlight(app.wsgi_app)
    app.wsgi_app = inflight
    server = create_server(app, host=host, port=port, threads=threads, server_name=host, **server_options(app))
    tune_server(server)
    stop = {"since": None}

    def on_signal(signum, _frame):
        if stop["since"] is None:
            stop["since"] = time.monotonic()
            resources.start_draining(app)
            logging.getLogger("r2pkg.web").info("signal %s: stopping (in-flight requests get %.0f s)", signum, grace)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    socket_map = getattr(server, "map", None) or server._map
    listeners = [d for d in list(socket_map.values()) if isinstance(d, BaseWSGIServer)]
    try:
        while True:
            if stop["since"] is not None:
                for listener in listeners:
                    if listener.accepting:
                        listener.accepting = False
                        listener.del_channel()
                        listener.socket.close()
                elapsed = time.monotonic() - stop["since"]
                if (inflight.count == 0 and not _unsent(socket_map)) or elapsed > grace:
                    if inflight.count:
                        logging.getLogger("r2pkg.web").warning("%d requests still running after %.0f s: stopping",
                                                               inflight.count, grace)
                    break
            wasyncore.loop(timeout=0.2, map=socket_map, use_poll=True, count=1)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
        wasyncore.close_all(socket_map)


def _unsent(socket_map) -> bool:
    """Whether a connection still has response bytes to send."""
    return any(getattr(channel, "total_outbufs_len", 0) for channel in list(socket_map.values()))


class _InFlight:
    """WSGI middleware counting the requests being answered (until their whole body has been handed to waitress)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            self.count += 1
        try:
            body = self.wsgi_app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _Closing(body, self._done)

    def _done(self):
        with self._lock:
            self.count -= 1


class _Closing:
    def __init__(self, body, on_close):
        self.body = body
        self.on_close = on_close
        self.closed = False

    def __iter__(self):
        return iter(self.body)

    def close(self):
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close()
