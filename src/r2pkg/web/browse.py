"""Index pages per kind of entity and the faceted recommendations browser."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("browse", __name__)
