"""The query editor (home page) and the example catalogue from queries/."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("editor", __name__)
