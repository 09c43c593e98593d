"""Screenshots of each screen, compared with accepted SVGs in tests/__snapshots__.

Deterministic by construction: nothing on screen shows a clock, a version or an absolute path;
each shot is taken once the screen it shows is up with its values in place (``tui_pilot``
waits for that, not for time); the cursor blink is switched off before the shot; the generate
screen renders a fixed plan so that its layout is checked without depending on the project
templates, which evolve on their own (``test_tui.py`` checks the real plan is what gets written).
Update with ``--snapshot-update`` after checking the new pictures by eye.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_pilot import focused, generate_form, send, settle, shown, type_text, until

from advisor import usecases
from advisor.tui.app import AdvisorApp
from advisor.tui.screens.modals import HelpScreen
from advisor.tui.screens.questionnaire import QuestionnaireScreen
from advisor.tui.screens.result import ResultScreen
from advisor.tui.screens.small import TooSmallScreen
from advisor.tui.widgets.score_panel import ScorePanel

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


async def still(pilot: Pilot[Any]) -> None:
    """Stop the cursor blinking and let the screen take it in, for a steady picture."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def questions(pilot: Pilot[Any], size: str = "") -> QuestionnaireScreen:
    """Open the questions (enter); type ``size`` GB and wait for the score to follow."""
    await focused(pilot, "#start")
    send(pilot, "enter")
    screen = await shown(pilot, QuestionnaireScreen)
    await focused(pilot, "#q-data_size_gb")
    if size:
        await type_text(pilot, size)
        panel = screen.query_one(ScorePanel)
        app = pilot.app
        assert isinstance(app, AdvisorApp)
        await until(
            pilot,
            lambda: app.answers["data_size_gb"] == float(size) and panel.assessment == app.current,
            f"the score for {size} GB",
        )
    return screen


async def at_questions(pilot: Pilot[Any]) -> None:
    """The questions after typing 500 (keys: enter 5 0 0)."""
    await questions(pilot, "500")
    await still(pilot)


async def at_result(pilot: Pilot[Any]) -> None:
    """The result of 200 GB (keys: enter 2 0 0 ctrl+r)."""
    await questions(pilot, "200")
    send(pilot, "ctrl+r")
    await shown(pilot, ResultScreen)
    await focused(pilot, "#generate")
    await still(pilot)


async def at_generate(pilot: Pilot[Any]) -> None:
    """The generate form with its dry run (keys: r g)."""
    form = await generate_form(pilot)
    preview = form.query_one("#preview-text", Static)
    await until(pilot, lambda: "Dry run" in str(preview.render()), "the dry run's preview")
    await settle(pilot)
    await still(pilot)


async def covered(pilot: Pilot[Any]) -> None:
    """At 60×20 every place is under the too-small cover."""
    await shown(pilot, TooSmallScreen)
    await still(pilot)


@pytest.fixture(autouse=True)
def _fixed_surroundings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))


def test_welcome(snap_compare: SnapCompare) -> None:
    async def welcome(pilot: Pilot[Any]) -> None:
        await focused(pilot, "#start")
        await still(pilot)

    assert snap_compare(AdvisorApp(), run_before=welcome)


JOURNEY = {"questions": at_questions, "result": at_result, "generate": at_generate}
SIZES = {"small": (60, 20), "standard": (80, 24), "wide": (120, 40)}
THEMES = {"dark": "textual-dark", "light": "textual-light"}
# The too-small cover hides whichever place is behind it: one place per theme covers it.
CASES = [
    pytest.param(place, size, theme, id=f"{place}-{size}-{theme}")
    for theme in THEMES
    for size in SIZES
    for place in JOURNEY
    if size != "small" or place == "questions"
]


@pytest.mark.parametrize(("place", "size", "theme"), CASES)
def test_journey(snap_compare: SnapCompare, place: str, size: str, theme: str) -> None:
    """Questions, result and generate at 80×24 and 120×40; the too-small cover at 60×20."""
    app = AdvisorApp()
    app.theme = THEMES[theme]
    run = covered if size == "small" else JOURNEY[place]
    assert snap_compare(app, run_before=run, terminal_size=SIZES[size])


def test_questionnaire_with_a_rejected_number(snap_compare: SnapCompare) -> None:
    async def rejected(pilot: Pilot[Any]) -> None:  # keys: enter ctrl+n ctrl+n tab x
        screen = await questions(pilot)
        send(pilot, "ctrl+n")
        await focused(pilot, "#q-tuning")
        send(pilot, "ctrl+n")
        await focused(pilot, "#q-release_frequency")
        send(pilot, "tab")
        await focused(pilot, "#q-environments")
        await type_text(pilot, "x")
        panel = screen.query_one(ScorePanel)
        await until(pilot, lambda: panel.stale is not None, "the score to turn stale")
        await still(pilot)

    assert snap_compare(AdvisorApp(), run_before=rejected)


def test_help(snap_compare: SnapCompare) -> None:
    async def help_over_questions(pilot: Pilot[Any]) -> None:  # keys: enter f1
        await questions(pilot)
        send(pilot, "f1")
        await shown(pilot, HelpScreen)
        await still(pilot)

    assert snap_compare(AdvisorApp(), run_before=help_over_questions)
