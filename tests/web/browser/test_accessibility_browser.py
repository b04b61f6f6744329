"""Accessibility: axe-core (from npm, run by the tests only) finds no violation on the pages people use most."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "frontend/node_modules/axe-core/axe.min.js"

PAGES = ["/", "/id/state/ghana", "/id/recommendation/gnfp-2019-32", "/recommendations", "/map", "/timeline",
         "/sources", "/sources/un-perspectives-2016/passage?start=1297&end=1311", "/query",
         "/query?lang=ar&example=states", "/stats?lang=fr", "/search?q=ghana&lang=zh"]


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violations(page, path):
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `make assets` (npm ci in frontend/)")
    page.goto(path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert violations == [], f"{path}:\n" + "\n".join(violations)


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page as loaded (WCAG 2.1 A and AA, and best practice), one line per rule."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser's debugger, so the page's CSP allows it
    return page.evaluate("""async () => (await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }))
      .violations.map(v => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)""")
