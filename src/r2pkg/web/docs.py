"""Ontology and shapes documentation at /ontology and /shapes, with the RDF by content negotiation."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("docs", __name__)
