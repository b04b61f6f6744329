"""HTTP conventions for every response, in one place: cache validators and policies, compression, CORS, security
headers, request ids and the request log, and the public address links are built from.

`init_app(app)` installs them. Validators are derived from the release the app serves (its manifest's checksum and
build time, and the package version): a rebuild changes every ETag, and a conditional GET that still matches is
answered 304 before any view (so a cached SPARQL result never reaches the engine).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
import secrets
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from flask_compress import Compress
from flask_compress.flask_compress import _choose_algorithm, _compress_data
from flask_cors import CORS
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Request

from .. import __version__
from ..config import SettingsError
from .language import current_language
from .resources import cache, computed

log = logging.getLogger("r2pkg.web")
access_log = logging.getLogger("r2pkg.access")

COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/tab-separated-values", "text/javascript",
    "application/javascript", "application/json", "application/xml", "text/xml", "image/svg+xml",
    "application/ld+json", "application/sparql-results+json", "application/sparql-results+xml",
    "text/turtle", "text/n3", "application/n-triples", "application/n-quads", "application/trig",
    "application/rdf+xml", "application/vnd.oai.openapi+json",
]
"""Media types worth compressing: every text format the site sends (images other than SVG are compressed already)."""

EXPOSED_HEADERS = ["ETag", "Last-Modified", "Link", "Content-Disposition", "Retry-After", "X-Request-Id",
                   "X-R2PKG-Truncated", "X-R2PKG-Row-Limit", "X-R2PKG-Statements", "X-R2PKG-Error-Line",
                   "X-R2PKG-Error-Column", "X-R2PKG-Error-Length", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                   "X-RateLimit-Reset"]
"""Headers a script on another site may read (CORS)."""

# Styles may be inline: YASR, DataTables and Cytoscape.js write style attributes and a <style> element of their own,
# which hashes cannot cover. Scripts stay strict: only files served from this site, no inline script at all.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
"""The pages load scripts and styles only from this site; data islands (type application/json) are not scripts."""

STATIC_IMMUTABLE = "public, max-age=31536000, immutable"
STATIC_PLAIN = "public, max-age=3600"
PAGES = "public, max-age=300"
DATA = "public, max-age=300"
SPARQL_RESULTS = "public, max-age=600"
DOWNLOADS = "public, max-age=3600"
NO_STORE = "no-store"
CACHE_POLICY_DOC = {
    "static file with its fingerprint (?v=)": STATIC_IMMUTABLE,
    "static file without it": STATIC_PLAIN,
    "HTML page": PAGES,
    "RDF, JSON and the other data of the release": DATA,
    "SPARQL result (GET)": SPARQL_RESULTS,
    "dump": DOWNLOADS,
    "error, POST, health check": NO_STORE,
}

UNVALIDATED_ENDPOINTS = {"static", "health.healthz", "health.readyz", "downloads.dump"}
"""Endpoints that get no release validator: static files and dumps carry their file's own, health is never cached."""

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")


# --- release validators ---


def release_key(app: Flask) -> tuple[str, datetime]:
    """(a short hash naming the release and the code that renders it, the release's build time), computed once."""
    return computed("release_key", lambda: _release_key(app), app)


def _release_key(app: Flask) -> tuple[str, datetime]:
    from .downloads import manifest_of

    manifest = manifest_of(app)
    if manifest:
        built = datetime.fromisoformat(manifest["built"].replace("Z", "+00:00"))
        identity = f"{manifest.get('sha256')}|{manifest['built']}"
    else:  # a remote endpoint without a local build: the app's start stands for the release
        built = datetime.now(timezone.utc)
        identity = f"{app.config.get('ENDPOINT')}|{built.isoformat()}"
    if built.tzinfo is None:
        built = built.replace(tzinfo=timezone.utc)
    key = hashlib.sha256(f"{identity}|{__version__}".encode()).hexdigest()[:16]
    return key, built.replace(microsecond=0)


def etag_for_request() -> str:
    """The (weak) entity tag of the current URL's answer: the release, the Accept header that chose the format and the
    page's language."""
    key, _ = release_key(current_app)
    accept = hashlib.sha1(request.headers.get("Accept", "").encode()).hexdigest()[:8]
    return f"{key}-{accept}-{current_language()}"


def _validated() -> bool:
    return request.method in ("GET", "HEAD") and request.endpoint is not None \
        and request.endpoint not in UNVALIDATED_ENDPOINTS


def _not_modified() -> Response | None:
    """A 304 for a conditional GET whose validators still match the release; None to go on to the view."""
    if not _validated() or not (request.if_none_match or request.if_modified_since):
        return None
    _, built = release_key(current_app)
    if is_resource_modified(request.environ, etag=etag_for_request(), last_modified=built):
        return None
    response = Response(status=304)
    _set_validators(response)
    response.headers["Cache-Control"] = _cache_policy(response)
    response.vary.update(("Accept", "Accept-Encoding"))
    return response


def _set_validators(response: Response) -> None:
    _, built = release_key(current_app)
    response.set_etag(etag_for_request(), weak=True)
    response.headers["Last-Modified"] = format_datetime(built, usegmt=True)


# --- static files ---


def static_fingerprint(app: Flask, filename: str) -> str | None:
    """A short hash of a static file's content, cached per file; None when there is no such file."""
    fingerprints = cache("static_fingerprints", app)
    if filename not in fingerprints:
        path = Path(app.static_folder or "") / filename
        try:
            fingerprints[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            fingerprints[filename] = None
    return fingerprints[filename]


# --- policies ---


def _cache_policy(response: Response) -> str:
    endpoint = request.endpoint or ""
    if response.status_code >= 400 or request.method not in ("GET", "HEAD") or endpoint.startswith("health.") \
            or "Set-Cookie" in response.headers:  # the language switcher's answer is the browser's alone
        return NO_STORE
    if endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        if version and version == static_fingerprint(current_app, filename):
            return STATIC_IMMUTABLE
        return STATIC_PLAIN
    if endpoint == "downloads.dump":
        return DOWNLOADS
    if endpoint == "sparql.endpoint":
        return SPARQL_RESULTS
    if response.mimetype == "text/html":
        return PAGES
    return DATA


def _security_headers(response: Response) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Frame-Options"] = "DENY"


def _compress_file(response: Response) -> None:
    """A static file or a dump, compressed once per file version and encoding (they do not change while served).

    Their own validators become weak, so one ETag stands for every encoding of the same file.
    """
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    response.vary.add("Accept-Encoding")
    algorithm = _choose_algorithm(("br", "gzip"), request.headers.get("Accept-Encoding", ""))
    if algorithm is None or response.mimetype not in COMPRESSED_TYPES or request.method != "GET":
        return
    compressed = cache("compressed_files")
    key = (request.path, etag, algorithm)
    body = compressed.get(key)
    response.direct_passthrough = False
    if body is None:
        body = _compress_data(current_app, response.get_data(), algorithm)
        if len(compressed) > 256:
            compressed.clear()
        compressed[key] = body
    response.set_data(body)
    response.headers["Content-Encoding"] = algorithm


# --- public address ---


class PublicAddress:
    """WSGI middleware: the scheme, host and path prefix of every request are those of the configured public URL.

    So absolute links (url_for(_external=True), request.host_url) never come from a client's Host header.
    """

    def __init__(self, wsgi_app, public_url: str):
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"the public URL must be an absolute http(s) URL, not {public_url!r}")
        self.wsgi_app = wsgi_app
        self.scheme = parts.scheme
        self.host = parts.netloc
        self.prefix = parts.path.rstrip("/")

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        if self.prefix:
            environ["SCRIPT_NAME"] = self.prefix
        return self.wsgi_app(environ, start_response)


class ServerAddress:
    """WSGI middleware: without a public URL, links name the server's own name and port (the WSGI server's
    SERVER_NAME, e.g. waitress's `server_name`; localhost when it has none), never the client's Host header."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        name, port = environ.get("SERVER_NAME") or "localhost", str(environ.get("SERVER_PORT", ""))
        if name == "waitress.invalid":  # waitress's placeholder when no server_name is configured
            name = "localhost"
        if ":" in name and not name.startswith("["):
            name = f"[{name}]"
        default = {"http": "80", "https": "443"}.get(environ.get("wsgi.url_scheme", "http"))
        environ["HTTP_HOST"] = name if port in ("", default) else f"{name}:{port}"
        return self.wsgi_app(environ, start_response)


def install_address(app: Flask) -> None:
    """Links come from PUBLIC_URL if set, else from the server's own address; X-Forwarded-* count only with
    TRUSTED_PROXY (the number of proxies in front), which also names the client for logs and rate limits."""
    proxies = int(app.config.get("TRUSTED_PROXY") or 0)
    public_url = app.config.get("PUBLIC_URL")
    if public_url:
        app.wsgi_app = PublicAddress(app.wsgi_app, public_url)
    elif not proxies:
        app.wsgi_app = ServerAddress(app.wsgi_app)
    if proxies:
        # Outermost: the client's address comes from X-Forwarded-For; a configured public URL still names the links.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies,
                                x_prefix=proxies)


# --- request ids and the log ---


_ID_PREFIX = secrets.token_hex(4)
_ID_COUNTER = itertools.count(1)


def request_id(environ: dict, trusted_proxy: bool) -> str:
    """The request's id: a trusted proxy's X-Request-Id when it is well-formed, else a new one (16 hex digits: a
    random prefix per process and a counter, unique without a system call per request)."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    if trusted_proxy and incoming and REQUEST_ID.fullmatch(incoming):
        return incoming
    return f"{_ID_PREFIX}{next(_ID_COUNTER) & 0xFFFFFFFF:08x}"


_log_second = [0, ""]


def _log_time() -> str:
    """The log's timestamp, formatted once per second."""
    now = time.time()
    second = int(now)
    if _log_second[0] != second:
        _log_second[1] = datetime.fromtimestamp(second, timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000")
        _log_second[0] = second
    return _log_second[1]


def log_request(request: Request, status: int, size: int | None, rid: str, elapsed_ms: float,
                query_ms: float | None = None) -> None:
    """One line per request, in the combined log format plus the request id, the time taken and the query's time.

    Made by hand and handed to the logger's handlers as it is (no caller lookup, no second formatting pass): the
    line costs a few microseconds, on every request.
    """
    if not access_log.isEnabledFor(logging.INFO):
        return
    environ = request.environ
    target = request.full_path.rstrip("?") if environ.get("QUERY_STRING") else request.path
    if len(target) > 300:
        target = target[:300] + "…"
    extra = f" query={query_ms:.0f}ms" if query_ms is not None else ""
    line = (f'{environ.get("REMOTE_ADDR") or "-"} - - [{_log_time()}] "{request.method} {target} '
            f'{environ.get("SERVER_PROTOCOL", "HTTP/1.1")}" {status} {"-" if size is None else size} '
            f'"{environ.get("HTTP_REFERER") or "-"}" "{(environ.get("HTTP_USER_AGENT") or "-")[:200]}" '
            f'rid={rid} time={elapsed_ms:.0f}ms{extra}')
    access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, "(access)", 0, line, None, None))


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = request_id(request.environ, bool(current_app.config.get("TRUSTED_PROXY")))


def _log(response: Response) -> None:
    elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    log_request(request, response.status_code, response.content_length, g.get("request_id", "-"), elapsed,
                g.get("query_ms"))


# --- installation ---


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_REGISTER", False)  # run from finish() below, after the validators are set
    compress = Compress(app)
    CORS(app, resources={r"/*": {"origins": "*"}}, methods=["GET", "HEAD", "POST", "OPTIONS"],
         expose_headers=EXPOSED_HEADERS, max_age=86400, send_wildcard=True, vary_header=False)
    from . import page_cache  # it builds on this module: imported here, not at the top

    page_cache.init_app(app)  # pages already sent are sent again from here, before Flask
    install_address(app)

    @app.url_defaults
    def fingerprint_static(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = static_fingerprint(app, values["filename"])
            if version:
                values["v"] = version

    @app.before_request
    def before():
        _start()
        return _not_modified()

    @app.after_request
    def finish(response: Response) -> Response:
        _security_headers(response)
        if response.status_code == 200 and _validated() and not response.headers.get("ETag"):
            _set_validators(response)
        response.headers["Cache-Control"] = _cache_policy(response)
        if response.status_code == 200 and _validated():
            response.make_conditional(request)
        if response.status_code == 304 and request.endpoint in ("static", "downloads.dump"):
            etag, weak = response.get_etag()
            if etag and not weak:
                response.set_etag(etag, weak=True)  # as in its 200 answers (_compress_file)
        if response.direct_passthrough and response.status_code == 200:
            _compress_file(response)
        elif response.status_code != 206:  # a range of a file is sent as it is
            response = compress.after_request(response)
        response.headers["X-Request-Id"] = g.get("request_id", "-")
        _log(response)
        return response

    if not access_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.propagate = False
    access_log.setLevel(logging.INFO)
