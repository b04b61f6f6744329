"""Readable error pages (400, 404, 405, 406, 500, 503) for every route; never a traceback.

Clients that prefer JSON get `{"error": ..., "status": ..., "message": ...}`; /sparql answers its own errors.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from ..store import StoreError
from .negotiation import accepted

bp = Blueprint("errors", __name__)
log = logging.getLogger("r2pkg.web")

HINTS = {
    400: _l("The request could not be understood. Check the address and its parameters."),
    404: _l("There is no page at this address. The resource may not be in the knowledge graph, or the link may be mistyped."),
    405: _l("This address does not accept that kind of request."),
    406: _l("None of the formats the request accepts is available here."),
    500: _l("Something went wrong on our side. The error has been logged."),
    503: _l("The store that holds the knowledge graph is not answering right now. Please try again in a minute."),
}
NAMES = {
    400: _l("Bad Request"), 404: _l("Not Found"), 405: _l("Method Not Allowed"), 406: _l("Not Acceptable"),
    413: _l("Request Entity Too Large"), 414: _l("Request URI Too Long"), 429: _l("Too Many Requests"),
    431: _l("Request Header Fields Too Large"), 500: _l("Internal Server Error"), 503: _l("Service Unavailable"),
}
"""The error names the pages show, in the page's language (JSON answers keep HTTP's names, as werkzeug gives them)."""
RETRY_AFTER_SECONDS = 30


def wants_json() -> bool:
    """True for the JSON API and when the client ranks JSON above HTML (API clients, fetch() calls)."""
    if request.path.startswith("/api/"):
        return True
    accept = accepted()
    best = accept.best_match(["text/html", "application/json"])
    return best == "application/json" and accept[best] > accept["text/html"]


def render_error(error: HTTPException):
    code = error.code or 500
    name = error.name
    message = error.description if code not in (500, 503) else HINTS[code]
    if wants_json():
        response = jsonify(error=name, status=code, message=str(message))
    else:
        if message == type(error).description and code in HINTS:
            message = HINTS[code]  # werkzeug's default words are English only: the hint says it in the page's language
        response = make_response(render_template("error.html", code=code, name=NAMES.get(code, name), message=message,
                                                 hint=HINTS.get(code, "")))
    response.status_code = code
    response.vary.add("Accept")
    if code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


@bp.app_errorhandler(HTTPException)
def handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if error.code >= 500:
        log.error("%s %s: %s", request.method, request.path, error)
    return render_error(error)


@bp.app_errorhandler(StoreError)
def handle_store_down(error: StoreError):
    """The query store failed (a remote endpoint down or unreachable): a 503 page that says so, the cause logged."""
    log.error("store failed on %s %s: %s", request.method, request.path, error, exc_info=error)
    return render_error(ServiceUnavailable())


@bp.app_errorhandler(Exception)
def handle_unexpected(error: Exception):
    """Any unhandled exception: log it with its traceback, show the 500 page."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render_error(InternalServerError(original_exception=error))
