"""Entity pages: every IRI under /id/ as HTML or RDF by content negotiation."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)
