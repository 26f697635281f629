"""Accessibility checks with axe-core, run inside the page under test.

axe-core comes from the PyPI package ``axe-playwright-python``, which bundles axe-core's
``axe.min.js`` (MPL-2.0) in the wheel and hands it to ``page.evaluate``: nothing is fetched at
run time, and its only dependency is Playwright itself, so it was chosen over vendoring
``axe.min.js`` from npm (the same file, but one more thing to keep up to date by hand).

Only violations of impact "serious" or "critical" fail a test; the full result (moderate and
minor ones too) is kept as ``var/test-artefacts/browser/axe-<name>.json`` for people to read.
"""

from __future__ import annotations

import json
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

__all__ = ["ARTEFACTS", "FAILING_IMPACTS", "assert_accessible", "axe_violations"]

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts" / "browser"
#: the impacts that fail a test; "moderate" and "minor" ones are only written down
FAILING_IMPACTS = ("serious", "critical")
#: how many of a violation's elements the failure message names (the JSON has them all)
TARGETS_SHOWN = 3

_AXE = Axe()


def axe_violations(page, name: str) -> list[dict]:
    """Run axe-core on ``page`` as it is now, keep the full result as ``axe-<name>.json``,
    and return every violation (all impacts)."""
    # violations only: "passes" and "inapplicable" would make each file several MB
    result = _AXE.run(page, options={"resultTypes": ["violations"]}).response
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / f"axe-{name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result["violations"]


def assert_accessible(page, name: str) -> None:
    """Fail if axe-core finds a serious or critical violation on ``page``, listing each one
    (rule id, help text, its first elements' selectors); the full result is kept as
    ``var/test-artefacts/browser/axe-<name>.json``."""
    failing = [v for v in axe_violations(page, name) if v["impact"] in FAILING_IMPACTS]
    lines = []
    for violation in failing:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        more = len(targets) - TARGETS_SHOWN
        shown = ", ".join(targets[:TARGETS_SHOWN]) + (f" and {more} more" if more > 0 else "")
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} at {shown}")
    assert not failing, (
        f"axe-core found {len(failing)} serious or critical accessibility "
        f"{'violation' if len(failing) == 1 else 'violations'} on {name} ({page.url}), "
        f"see axe-{name}.json:\n" + "\n".join(lines)
    )
