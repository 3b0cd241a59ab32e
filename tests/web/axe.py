"""axe-core in the browser tests: the serious and critical accessibility problems of a page."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RUN = """async (impacts) => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`)"""


SERIOUS = ("serious", "critical")
EVERY = ("minor", "moderate", *SERIOUS)


def serious_problems(page, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (or those of `impacts`)."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make test-deps` (npm ci --prefix tests/web/axe)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated, not added as a <script>: the pages' Content-Security-Policy refuses inline scripts
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(RUN, list(impacts))
