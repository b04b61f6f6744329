"""Readable error pages (400, 404, 406, 500) for every route; never a traceback."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("errors", __name__)
