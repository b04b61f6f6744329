"""Label search with prefix autocompletion, tolerant of case and accents."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__)
