"""The TUI driven with Textual's pilot: the whole path, validation, saving, quitting, prefill.

Tests are plain functions that run their coroutine with ``asyncio.run`` (no async plugin needed).
Expected values come from the same public functions the app is meant to call (``score``,
``build_spec``, ``plan``), computed here independently of the app's state.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, Select, Static, Switch

from advisor import answers_file, usecases
from advisor.errors import GeneratorError
from advisor.models import Answers
from advisor.questions import DEFAULT_MODEL
from advisor.scoring import score
from advisor.tui.app import AdvisorApp, load_answers
from advisor.tui.screens.done import DoneScreen
from advisor.tui.screens.generate import GenerateScreen
from advisor.tui.screens.modals import ConfirmQuitScreen, HelpScreen
from advisor.tui.screens.questionnaire import QuestionnaireScreen
from advisor.tui.screens.result import ResultScreen
from advisor.tui.screens.save import SaveAnswersScreen
from advisor.tui.screens.welcome import WelcomeScreen
from advisor.tui.widgets.bar import ScoreBar
from advisor.tui.widgets.question import QuestionField
from advisor.usecases import decision
from generators import build_spec, plan

ROOT = Path(__file__).resolve().parent.parent
Scenario = Callable[[Pilot[Any]], Awaitable[None]]


def drive(app: AdvisorApp, scenario: Scenario, size: tuple[int, int] = (80, 24)) -> None:
    """Run ``scenario`` against ``app`` in a headless terminal of ``size``."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for workers (dry run, generation) and the messages they cause."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type into the focused widget, replacing what it holds (inputs select all on focus)."""
    await pilot.press(*text)


async def replace_text(pilot: Pilot[Any], text: str) -> None:
    """Select all of the focused input with the keyboard, then type over it."""
    await pilot.press("ctrl+shift+a", *text)


async def choose(pilot: Pilot[Any], qid: str, value: str) -> None:
    """Pick a choice in the focused Select with the keyboard (enter, arrows, enter)."""
    q = DEFAULT_MODEL.question(qid)
    order = [c.value for c in q.choices]
    select = pilot.app.focused
    assert isinstance(select, Select) and select.id == f"q-{qid}"
    steps = order.index(value) - order.index(select.value)
    key = "down" if steps >= 0 else "up"
    await pilot.press("enter", *[key] * abs(steps), "enter")


EXPECTED = {
    "data_size_gb": 500.0,
    "data_frequency": "daily",
    "tuning": "automated",
    "release_frequency": "weekly",
    "environments": 3,
    "team_size": 8,
    "teams": 2,
    "audit_lineage": True,
}


async def answer_everything(pilot: Pilot[Any]) -> None:
    """Answer the questionnaire from the keyboard alone, section by section."""
    app = pilot.app
    assert isinstance(app.screen, QuestionnaireScreen)
    await type_text(pilot, "500")
    await pilot.press("tab")
    await choose(pilot, "data_frequency", "daily")
    await pilot.press("ctrl+n")
    await choose(pilot, "tuning", "automated")
    await pilot.press("ctrl+n")
    await choose(pilot, "release_frequency", "weekly")
    await pilot.press("tab")
    await type_text(pilot, "3")
    await pilot.press("ctrl+n")
    await type_text(pilot, "8")
    await pilot.press("tab")
    await type_text(pilot, "2")
    await pilot.press("tab", "space")
    await pilot.pause()


@pytest.mark.slow
def test_whole_path_from_welcome_to_a_generated_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "churn"
    expected_answers = Answers(EXPECTED)
    expected = score(expected_answers)
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        await answer_everything(pilot)
        assert app.answers == expected_answers
        panel_total = app.screen.query_one("#score #total", ScoreBar)
        assert panel_total.score == expected.score
        assert app.dirty
        await pilot.press("ctrl+n")  # "Next" on the last section shows the result
        assert isinstance(app.screen, ResultScreen)
        assert app.current == score(expected_answers, app.sources)
        headline = str(app.screen.query_one("#headline", Static).render())
        assert "SageMaker Pipeline" in headline
        await pilot.press("g")
        assert isinstance(app.screen, GenerateScreen)
        await replace_text(pilot, "churn")
        await pilot.press("tab", "tab")
        await type_text(pilot, "churn model")
        await settle(pilot)
        preview = str(app.screen.query_one("#preview-text", Static).render())
        spec = build_spec(decision(expected), name="churn model", kind="auto", framework="sklearn")
        planned = plan(spec)
        assert f"{len(planned)} files" in preview
        assert not target.exists()  # the dry run wrote nothing
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        written = {
            p.relative_to(target).as_posix(): p.read_bytes()
            for p in target.rglob("*")
            if p.is_file()
        }
        assert written == planned
        assert app.generated == target.resolve()
        assert not app.dirty  # the project's .sm-advisor.yaml keeps the answers
        await pilot.press("enter")  # Quit has focus

    drive(app, scenario)
    assert app.return_value is not None
    assert app.return_value.generated == target.resolve()
    assert app.return_value.assessment.recommendation == expected.recommendation == "pipeline"


def test_an_invalid_number_is_rejected_inline_and_blocks_next() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        help_box = screen.query_one("#help", Static)
        assert DEFAULT_MODEL.question("data_size_gb").help in str(help_box.render())
        await type_text(pilot, "-5")
        field = screen.query_one("#field-data_size_gb", QuestionField)
        error = str(field.query_one(".error", Label).render())
        assert "'-5' is not accepted" in error and "≥ 0" in error
        assert field.has_class("-invalid") and field.query_one(".error").display
        assert app.answers["data_size_gb"] == 1.0  # the model never saw -5
        assert screen.query_one("#next", Button).disabled
        await pilot.press("ctrl+n")
        assert screen.section == "sec-data"
        await pilot.press("ctrl+r")
        assert app.screen is screen
        await replace_text(pilot, "2.5e2")
        assert field.error is None and not screen.query_one("#next", Button).disabled
        assert app.answers["data_size_gb"] == 250.0
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.press("tab")
        assert DEFAULT_MODEL.question("teams").help in str(help_box.render())
        await type_text(pilot, "1.5")  # teams is a whole number
        assert "expected a whole number" in str(
            screen.query_one("#field-teams", QuestionField).error
        )
        await pilot.press("ctrl+n")
        assert app.screen is screen

    drive(app, scenario)


@pytest.mark.slow
def test_the_whole_path_works_with_the_mouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.click("#start")
        assert isinstance(app.screen, QuestionnaireScreen)
        await pilot.click("Tab#--content-tab-sec-team")
        await pilot.pause()
        await pilot.click("#q-audit_lineage")
        await pilot.pause()
        assert app.screen.query_one("#q-audit_lineage", Switch).value is True
        assert app.answers["audit_lineage"] is True
        await pilot.click("#next")
        assert isinstance(app.screen, ResultScreen)
        await pilot.click("#change")
        assert isinstance(app.screen, QuestionnaireScreen)
        await pilot.click("#next")
        await pilot.click("#generate")
        assert isinstance(app.screen, GenerateScreen)
        await settle(pilot)
        await pilot.click("#generate-button")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        await pilot.click("#quit")

    drive(app, scenario)
    assert app.return_value is not None
    assert app.return_value.generated == (tmp_path / "ml-project").resolve()
    assert (tmp_path / "ml-project" / ".sm-advisor.yaml").is_file()


def test_ctrl_s_saves_answers_that_load_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = AdvisorApp()
    path = tmp_path / "mine.yaml"

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        await type_text(pilot, "42")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveAnswersScreen)
        await replace_text(pilot, "mine.txt")
        await pilot.press("enter")
        assert "use a .yaml" in str(app.screen.query_one("#file-error", Label).render())
        await replace_text(pilot, "mine.yaml")
        await pilot.press("enter")
        assert isinstance(app.screen, QuestionnaireScreen)
        assert not app.dirty and app.saved_to == Path("mine.yaml")

    drive(app, scenario)
    assert answers_file.load(path) == Answers(data_size_gb=42.0).as_dict()


def test_quit_asks_first_only_when_answers_are_unsaved() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "tab")
        await choose(pilot, "data_frequency", "weekly")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("n")
        assert isinstance(app.screen, QuestionnaireScreen)
        await pilot.press("q")  # on a Select, q is not typed text: it quits (after asking)
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("y")

    drive(app, scenario)
    assert app.return_value is not None
    assert app.return_value.answers["data_frequency"] == "weekly"

    untouched = AdvisorApp()

    async def quit_at_once(pilot: Pilot[Any]) -> None:
        await pilot.press("q")

    drive(untouched, quit_at_once)
    assert untouched.return_value is not None and untouched.return_value.saved_to is None


def test_typing_q_or_question_mark_in_a_number_field_types_it() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("enter", "q", "?")
        assert app.screen.query_one("#q-data_size_gb", Input).value == "q?"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one(".help-question", Static).render())
        assert DEFAULT_MODEL.question("data_size_gb").help in help_text.replace("\n", " ")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, WelcomeScreen)

    drive(app, scenario)


def test_generate_refuses_a_non_empty_directory_and_a_bad_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("r", "g")
        await replace_text(pilot, "occupied")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        error = str(app.screen.query_one("#directory-error", Label).render())
        assert "is not empty" in error
        await replace_text(pilot, "fresh")
        await pilot.press("tab", "tab")
        await type_text(pilot, "9 lives")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        assert "is not usable" in str(app.screen.query_one("#name-error", Label).render())

    drive(app, scenario)
    assert [p.name for p in occupied.iterdir()] == ["keep.txt"]
    assert not (tmp_path / "fresh").exists()


def test_a_template_that_fails_to_render_is_reported_in_the_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(spec: object) -> dict[str, bytes]:
        raise GeneratorError("script/train.py.jinja:3: 'spec' has no attribute 'nope'")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(usecases, "render", broken)
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("r", "g")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        error = str(app.screen.query_one("#form-error", Label).render())
        assert error.startswith("generation failed: script/train.py.jinja:3")

    drive(app, scenario)
    assert list(tmp_path.iterdir()) == []


def test_answers_file_prefills_the_form(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("data_size_gb: 750\nteam_size: 12\ntuning: manual\n")
    answers, sources = load_answers(str(path))
    app = AdvisorApp(answers, sources, str(path))

    async def scenario(pilot: Pilot[Any]) -> None:
        assert str(path) in str(app.screen.query_one("#source", Static).render())
        await pilot.press("enter")
        assert app.screen.query_one("#q-data_size_gb", Input).value == "750"
        assert app.screen.query_one("#q-tuning", Select).value == "manual"
        expected = score(Answers(data_size_gb=750, team_size=12, tuning="manual"))
        assert app.screen.query_one("#score #total", ScoreBar).score == expected.score
        assert not app.dirty

    drive(app, scenario)


def test_assess_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from advisor.cli import main\n"
        "main(['assess', '--format', 'json'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' "
        "or m.startswith('advisor.tui'))\n"
        "print('IMPORTED', bad, file=sys.stderr)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("args", [["tui"], [], ["--answers", "answers.yaml"]])
def test_tui_without_a_terminal_exits_2_and_points_to_assess(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2
    assert "sm-advisor assess --help" in proc.stderr and "Traceback" not in proc.stderr
