"""The TUI's conventions, driven with Textual's pilot (issue 13): one test per promise.

Focus never leaves the questions backwards, the palette reaches every place, the generate form
keeps its values, the score says when it is stale, small terminals get a clear screen that
recovers, the quit dialog can save, and every word on screen is a label, not an id.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import WorkerCancelled

from advisor import answers_file, usecases
from advisor.models import Answers
from advisor.questions import CRITERIA
from advisor.tui import project_form
from advisor.tui.app import AdvisorApp
from advisor.tui.screens.done import command_markup, shell_lines
from advisor.tui.screens.evidence import EvidenceScreen
from advisor.tui.screens.generate import GenerateScreen
from advisor.tui.screens.modals import ConfirmQuitScreen, HelpScreen
from advisor.tui.screens.questionnaire import SECTION_IDS, QuestionnaireScreen
from advisor.tui.screens.result import ResultScreen
from advisor.tui.screens.save import SaveAnswersScreen
from advisor.tui.screens.small import TooSmallScreen
from advisor.tui.screens.welcome import WelcomeScreen
from advisor.tui.widgets.score_panel import ScorePanel
from advisor.tui.widgets.tick import Tick
from advisor.wording import margin_text, total_text

Scenario = Callable[[Pilot[Any]], Awaitable[None]]
FIXED_PLAN = {"README.md": b"", "train.py": b"", ".sm-advisor.yaml": b""}


def drive(
    app: AdvisorApp, scenario: Scenario, size: tuple[int, int] = (80, 24), toasts: bool = False
) -> None:
    """Run ``scenario`` against ``app`` in a headless terminal of ``size``."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=toasts) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for workers (dry run, generation) and the messages they cause."""
    for _ in range(2):
        with contextlib.suppress(WorkerCancelled):  # a dry run replaced by a newer one
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def palette(pilot: Pilot[Any], text: str) -> None:
    """Open the command palette, type ``text`` and run the best match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*text)
    commands = pilot.app.screen.query_one(CommandList)
    for _ in range(100):  # the palette searches in a worker: wait for the best match
        await pilot.pause(0.05)
        best = commands.highlighted_option
        if best is not None and text.lower() in str(best.prompt).lower():
            break
    await pilot.press("enter")
    await pilot.pause()


def notes(app: AdvisorApp) -> list[str]:
    """The text of every notification shown so far."""
    return [n.message for n in app._notifications]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_enter_and_tab_walk_forward_through_every_section_to_the_result() -> None:
    """From each section's last field, tab or enter reaches Next (never Back or Welcome)."""
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        for section in SECTION_IDS:
            assert screen.section == section
            fields = screen.fields(section)
            assert app.focused is fields[0].control
            for field in fields:
                assert app.focused is field.control
                # Enter confirms a number and moves on; lists and switches move on with tab.
                await pilot.press("enter" if isinstance(field.control, Input) else "tab")
            assert app.focused is screen.query_one("#next", Button), section
            await pilot.press("enter")
            assert not isinstance(app.screen, WelcomeScreen)
        assert isinstance(app.screen, ResultScreen)

    drive(app, scenario)


def test_back_is_for_the_mouse_and_escape_only() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "ctrl+n")
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        assert not screen.query_one("#back", Button).can_focus
        await pilot.click("#back")
        assert screen.section == SECTION_IDS[0]
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)

    drive(app, scenario)


def test_the_palette_reaches_sections_result_generate_and_takes_a_screenshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await palette(pilot, "Team size")
        assert isinstance(app.screen, QuestionnaireScreen)
        assert app.screen.section == "sec-team"
        assert app.focused is app.screen.fields("sec-team")[0].control
        await palette(pilot, "Result")
        assert isinstance(app.screen, ResultScreen)
        await palette(pilot, "Generate project")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        await palette(pilot, "Questions: Tuning")
        assert isinstance(app.screen, QuestionnaireScreen)
        assert app.screen.section == "sec-tuning"
        assert [type(s).__name__ for s in app.screen_stack] == [
            "WelcomeScreen",
            "QuestionnaireScreen",
        ]
        await palette(pilot, "Screenshot")
        await pilot.pause()
        shot = Path.cwd() / "sm-advisor-screenshot.svg"
        assert f"Screenshot saved to {shot}." in notes(app)
        await palette(pilot, "Help")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await palette(pilot, "Save answers")
        assert isinstance(app.screen, SaveAnswersScreen)

    drive(app, scenario, toasts=True)
    shot = tmp_path / "sm-advisor-screenshot.svg"
    assert shot.read_text(encoding="utf-8").startswith("<svg")


def test_the_palette_loads_answers_into_the_fields(tmp_path: Path) -> None:
    answers_file.save({"team_size": 12, "tuning": "automated"}, tmp_path / "team.yaml")
    answers_file.save({"team_size": -1}, tmp_path / "bad.yaml")
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        await palette(pilot, "Load answers")
        await pilot.press("ctrl+shift+a", *"bad.yaml", "enter")
        assert "team_size" in str(app.screen.query_one("#file-error", Label).render())
        await pilot.press("ctrl+shift+a", *"team.yaml", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert app.answers["team_size"] == 12 and app.answers["tuning"] == "automated"
        assert screen.query_one("#q-team_size", Input).value == "12"
        assert screen.query_one("#q-tuning", Select).value == "automated"
        assert not app.dirty  # loaded answers are the new baseline

    drive(app, scenario)


def test_the_generate_form_keeps_its_values_between_visits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("r", "g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GenerateScreen)
        await pilot.press("ctrl+shift+a", *"churn", "tab", "space", "tab", *"churn_v2")
        screen.query_one("#framework", Select).value = "xgboost"
        screen.query_one("#kind", Select).value = "pipeline"
        await settle(pilot)
        await pilot.press("escape", "escape")  # generate → result → welcome
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("r", "g")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, GenerateScreen) and again is not screen
        assert again.form() == project_form.ProjectForm(
            "churn", "churn_v2", "pipeline", "xgboost", "v3", force=True
        )

    drive(app, scenario)


def test_ctrl_g_on_an_invalid_form_says_why_and_points_at_the_checkbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))
    (tmp_path / "ml-project").mkdir()
    (tmp_path / "ml-project" / "notes.txt").write_text("mine")
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("r", "g")
        await settle(pilot)
        error = str(app.screen.query_one("#directory-error", Label).render())
        assert "tick “Overwrite generated files” below" in error and "--force" not in error
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        assert any("Overwrite generated files" in n for n in notes(app))
        assert app.focused is app.screen.query_one("#directory", Input)

    drive(app, scenario)
    assert [p.name for p in (tmp_path / "ml-project").iterdir()] == ["notes.txt"]


def test_the_checkbox_reads_unchecked_until_it_is_checked() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("r", "g")
        tick = app.screen.query_one("#force", Tick)
        assert str(tick.render()).startswith("[ ] Overwrite")
        tick.value = True
        assert str(tick.render()).startswith("[✓] Overwrite")

    drive(app, scenario)


def test_the_score_says_it_is_stale_while_an_answer_is_rejected() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "x")
        panel = app.screen.query_one(ScorePanel)
        verdict = str(panel.query_one("#verdict", Static).render())
        assert panel.has_class("-stale")
        assert "stale" in str(panel.query_one("#panel-title", Label).render())
        assert "fix Data size first" in verdict
        tabs = app.screen.query_one("#sections").query("Tab")
        assert str(tabs.first().label).endswith("✗")
        await pilot.press("backspace", "7", "0")
        assert not panel.has_class("-stale")
        assert margin_text(app.current) in str(panel.query_one("#verdict", Static).render())
        assert str(tabs.first().label).endswith("•")  # changed, no longer invalid
        assert str(tabs.last().label) == CRITERIA[-1].short

    drive(app, scenario)


def test_rejections_and_flips_name_questions_by_their_labels() -> None:
    app = AdvisorApp(
        Answers(
            release_frequency="weekly", environments=3, team_size=20, teams=3, tuning="automated"
        )
    )

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        await pilot.press("ctrl+shift+a", "-", "1")
        field_error = app.screen.query_one("#field-data_size_gb").query_one(".error", Label)
        assert str(field_error.render()).startswith("Data size: '-1' is not accepted")
        await pilot.press("backspace", "backspace", "1")
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ResultScreen)
        flips = app.screen.query_one("#flips").query(".item")
        texts = [str(s.render()) for s in flips.results(Static)]
        assert texts and all("_" not in t for t in texts)
        assert any(t.startswith("Release frequency: weekly → ") for t in texts)
        headline = str(app.screen.query_one("#headline", Static).render())
        assert f"Total {total_text(app.current)} of 100" in headline

    drive(app, scenario)


def test_a_small_terminal_gets_a_clear_screen_that_recovers_on_resize() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small", Static).render())
        assert "needs 80×24" in text and "60×20" in text
        await pilot.resize_terminal(70, 22)
        await pilot.pause(0.1)
        assert "70×22" in str(app.screen.query_one("#too-small", Static).render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, QuestionnaireScreen)

    drive(app, scenario, size=(60, 20))


def test_the_score_panel_grows_on_wide_terminals() -> None:
    widths = {}

    for size in ((80, 24), (120, 40)):
        app = AdvisorApp()

        async def scenario(pilot: Pilot[Any], app: AdvisorApp = app, width: int = size[0]) -> None:
            await pilot.press("enter")
            widths[width] = app.screen.query_one("#side").outer_size.width

        drive(app, scenario, size=size)
    assert widths[80] >= 30 and widths[120] >= 40


def test_quit_offers_save_and_quit(tmp_path: Path) -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "ctrl+shift+a", "9", "ctrl+q")
        assert isinstance(app.screen, ConfirmQuitScreen)
        assert app.screen.query_one("#save", Button).label.plain == "Save & quit"
        await pilot.press("s")
        assert isinstance(app.screen, SaveAnswersScreen)
        await pilot.press("enter")
        await pilot.pause()

    drive(app, scenario)
    assert answers_file.load(str(tmp_path / "answers.yaml"))["data_size_gb"] == 9
    assert app.return_value is not None and app.return_value.saved_to is not None


def test_welcome_says_where_the_answers_come_from_and_ctrl_s_saves(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    answers_file.save({"team_size": 4}, path)
    from advisor.tui.app import make_app

    app = make_app(str(path))

    async def scenario(pilot: Pilot[Any]) -> None:
        source = str(app.screen.query_one("#source", Static).render())
        assert source.startswith(f"Answers pre-filled from {path}")
        assert "starts at its default" not in source
        await pilot.press("enter", "ctrl+shift+a", "7", "escape")
        source = str(app.screen.query_one("#source", Static).render())
        assert "changed in this session" in source
        footer = {key for key, b in app.screen.active_bindings.items() if b.binding.show}
        assert {"ctrl+t", "ctrl+s"} <= footer
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveAnswersScreen)

    drive(app, scenario)


def test_help_gives_numbers_and_wraps_under_its_own_column() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        notes_text = app.screen.query_one("#help-notes").query(".item")
        text = " ".join(str(s.render()) for s in notes_text.results(Static))
        assert "met_at" not in text and "threshold" not in text and "50 or more" in text
        for item in app.screen.query(".item").results(Static):
            assert item.region.x >= app.screen.query_one("#help-text").region.x + 3

    drive(app, scenario)


def test_errors_pop_up_away_from_next() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "x", "ctrl+r")
        await pilot.pause(0.2)
        toasts = list(app.screen.query("Toast"))
        assert toasts, "the rejected answer is announced"
        next_button = app.screen.query_one("#next").region
        assert all(not t.region.overlaps(next_button) for t in toasts)

    drive(app, scenario, toasts=True)


def test_the_aws_dialog_names_questions_and_uses_compact_inputs() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "ctrl+g")
        assert isinstance(app.screen, EvidenceScreen)
        intro = str(app.screen.query(".muted").first(Static).render())
        assert "data size" in intro and "_" not in intro
        assert all(i.compact and i.size.height == 1 for i in app.screen.query(Input))

    drive(app, scenario)


@pytest.mark.parametrize("width", [40, 60, 76])
def test_commands_break_between_words_only(width: int) -> None:
    command = (
        "python -m ml_project.pipeline upsert --role-arn "
        "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101 "
        "--bucket my-bucket --region eu-west-1"
    )
    lines = shell_lines(command, width)
    assert " ".join(line.removesuffix(" \\").strip() for line in lines) == command
    words = command.split()
    for line in lines:
        for word in line.removesuffix(" \\").split():
            assert word in words
        assert len(line) <= width or len(line.split()) <= 2
    assert all(line.endswith(" \\") for line in lines[:-1])
    shown = [str(Content.from_markup(command_markup(line))) for line in lines]
    assert shown == [f"  {line}" for line in lines]  # no markup leaks, the backslash stays
