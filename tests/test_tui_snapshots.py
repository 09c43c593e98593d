"""Screenshots of each screen, compared with accepted SVGs in tests/__snapshots__.

Deterministic by construction: nothing on screen shows a clock, a version or an absolute path;
the cursor blink is switched off before the shot; the generate screen renders a fixed plan so
that its layout is checked without depending on the project templates, which evolve on their own
(``test_tui.py`` checks the real plan is what gets written). Update with ``--snapshot-update``
after checking the new pictures by eye.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from advisor import usecases
from advisor.tui.app import AdvisorApp

SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any]], Awaitable[None]]

FIXED_PLAN = {
    ".sm-advisor.yaml": b"",
    "README.md": b"",
    "pyproject.toml": b"",
    "src/ml_project/__init__.py": b"",
    "src/ml_project/train.py": b"",
    "submit.py": b"",
    "tests/test_train.py": b"",
}


def steps(*keys: str, theme: str | None = None) -> Steps:
    """Press ``keys``, wait for workers, and stop the cursor blinking before the shot."""

    async def run(pilot: Pilot[Any]) -> None:
        if theme:
            pilot.app.theme = theme
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return run


@pytest.fixture(autouse=True)
def _fixed_surroundings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))


def test_welcome(snap_compare: SnapCompare) -> None:
    assert snap_compare(AdvisorApp(), run_before=steps())


JOURNEY = {
    "questions": ("enter", "5", "0", "0"),
    "result": ("enter", "2", "0", "0", "ctrl+r"),
    "generate": ("r", "g"),
}
SIZES = {"small": (60, 20), "standard": (80, 24), "wide": (120, 40)}
THEMES = {"dark": "textual-dark", "light": "textual-light"}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("place", JOURNEY)
def test_journey(snap_compare: SnapCompare, place: str, size: str, theme: str) -> None:
    """Questions, result and generate at 60×20 (the too-small screen), 80×24 and 120×40."""
    run = steps(*JOURNEY[place], theme=THEMES[theme])
    assert snap_compare(AdvisorApp(), run_before=run, terminal_size=SIZES[size])


def test_questionnaire_with_a_rejected_number(snap_compare: SnapCompare) -> None:
    assert snap_compare(AdvisorApp(), run_before=steps("enter", "ctrl+n", "ctrl+n", "tab", "x"))


def test_help(snap_compare: SnapCompare) -> None:
    assert snap_compare(AdvisorApp(), run_before=steps("enter", "f1"))
