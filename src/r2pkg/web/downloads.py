"""Dataset dumps, VoID and DCAT descriptions (/downloads, /.well-known/void)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("downloads", __name__)
