"""Files the project writes from other files (canonical data, data/countries.ttl, the JSON-LD context): each is
written only when its text changes, and `--check` compares without writing."""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, text: str, check: bool = False) -> bool:
    """True when `path` already holds `text`; otherwise write it (unless `check`) and return False."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return True
    if not check:
        path.write_text(text, encoding="utf-8")
    return False
