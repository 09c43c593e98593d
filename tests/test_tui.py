"""The TUI driven with Textual's pilot: the whole path, validation, saving, quitting, prefill.

Tests are plain functions that run their coroutine with ``asyncio.run`` (no async plugin needed).
Each step waits for what it needs (``tui_pilot``), never for a fixed time. Expected values come
from the same public functions the app is meant to call (``score``, ``build_spec``, ``plan``),
computed here independently of the app's state.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, Select, Static, Switch
from tui_pilot import (
    drive,
    focused,
    generate_form,
    move,
    record_notes,
    replace_text,
    send,
    settle,
    shown,
    type_text,
    until,
)

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


async def choose(pilot: Pilot[Any], qid: str, value: str) -> None:
    """Pick a choice in the focused Select with the keyboard (enter, arrows, enter)."""
    q = DEFAULT_MODEL.question(qid)
    order = [c.value for c in q.choices]
    select = pilot.app.focused
    assert isinstance(select, Select) and select.id == f"q-{qid}"
    current = select.value
    assert isinstance(current, str)
    steps = order.index(value) - order.index(current)
    key = "down" if steps >= 0 else "up"
    send(pilot, "enter")
    await until(
        pilot,
        lambda: select.expanded and select.has_focus_within and not select.has_focus,
        f"the list of #q-{qid} to open with focus",
    )
    send(pilot, *[key] * abs(steps), "enter")
    await until(
        pilot,
        lambda: select.value == value and pilot.app.focused is select,
        f"#q-{qid} to read {value!r} and have focus again",
    )
    app = pilot.app
    assert isinstance(app, AdvisorApp)
    await until(pilot, lambda: app.answers[qid] == value, f"the answer {qid}={value!r}")


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
    assert isinstance(app, AdvisorApp)
    await shown(pilot, QuestionnaireScreen)
    await focused(pilot, "#q-data_size_gb")
    await type_text(pilot, "500")
    await move(pilot, "tab", "#q-data_frequency")
    await choose(pilot, "data_frequency", "daily")
    await move(pilot, "ctrl+n", "#q-tuning")
    await choose(pilot, "tuning", "automated")
    await move(pilot, "ctrl+n", "#q-release_frequency")
    await choose(pilot, "release_frequency", "weekly")
    await move(pilot, "tab", "#q-environments")
    await type_text(pilot, "3")
    await move(pilot, "ctrl+n", "#q-team_size")
    await type_text(pilot, "8")
    await move(pilot, "tab", "#q-teams")
    await type_text(pilot, "2")
    await move(pilot, "tab", "#q-audit_lineage")
    send(pilot, "space")
    await until(pilot, lambda: app.answers == Answers(EXPECTED), "every answer in the app")


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
        send(pilot, "enter")
        await answer_everything(pilot)
        panel_total = app.screen.query_one("#score #total", ScoreBar)
        await until(pilot, lambda: panel_total.score == expected.score, "the panel's total")
        assert app.dirty
        send(pilot, "ctrl+n")  # "Next" on the last section shows the result
        result = await shown(pilot, ResultScreen)
        assert app.current == score(expected_answers, app.sources)
        headline = str(result.query_one("#headline", Static).render())
        assert "SageMaker Pipeline" in headline
        await focused(pilot, "#generate")
        send(pilot, "g")
        form = await shown(pilot, GenerateScreen)
        await focused(pilot, "#directory")
        await replace_text(pilot, "churn")
        await move(pilot, "tab", "#force")
        await move(pilot, "tab", "#name")
        await type_text(pilot, "churn model")
        spec = build_spec(decision(expected), name="churn model", kind="auto", framework="sklearn")
        planned = plan(spec)
        preview = form.query_one("#preview-text", Static)
        await until(
            pilot,
            lambda: (
                f"{len(planned)} files" in str(preview.render())
                and "churn model" in str(preview.render())
            ),
            "the dry run of 'churn model'",
        )
        assert not target.exists()  # the dry run wrote nothing
        send(pilot, "ctrl+g")
        await shown(pilot, DoneScreen)
        written = {
            p.relative_to(target).as_posix(): p.read_bytes()
            for p in target.rglob("*")
            if p.is_file()
        }
        assert written == planned
        assert app.generated == target.resolve()
        assert not app.dirty  # the project's .sm-advisor.yaml keeps the answers
        await focused(pilot, "#quit")
        send(pilot, "enter")
        await until(pilot, lambda: app.return_value is not None, "the app to quit")

    drive(app, scenario)
    assert app.return_value is not None
    assert app.return_value.generated == target.resolve()
    assert app.return_value.assessment.recommendation == expected.recommendation == "pipeline"


def test_an_invalid_number_is_rejected_inline_and_blocks_next() -> None:
    app = AdvisorApp()
    said = record_notes(app)

    async def scenario(pilot: Pilot[Any]) -> None:
        send(pilot, "enter")
        screen = await shown(pilot, QuestionnaireScreen)
        await focused(pilot, "#q-data_size_gb")
        help_box = screen.query_one("#help", Static)
        assert DEFAULT_MODEL.question("data_size_gb").help in str(help_box.render())
        await type_text(pilot, "-5")
        field = screen.query_one("#field-data_size_gb", QuestionField)
        next_button = screen.query_one("#next", Button)
        label = field.query_one(".error", Label)
        await until(pilot, lambda: "'-5'" in str(label.render()), "the rejection of -5")
        await until(pilot, lambda: next_button.disabled, "Next to be disabled")
        error = str(label.render())
        assert "'-5' is not accepted" in error and "≥ 0" in error
        assert field.has_class("-invalid") and field.query_one(".error").display
        assert app.answers["data_size_gb"] == 1.0  # the model never saw -5
        send(pilot, "ctrl+n")
        await until(pilot, lambda: len(said) == 1, "ctrl+n to say why it stays")
        assert screen.section == "sec-data"
        send(pilot, "ctrl+r")
        await until(pilot, lambda: len(said) == 2, "ctrl+r to say why it stays")
        assert app.screen is screen and said[1] == field.error
        await replace_text(pilot, "2.5e2")
        await until(pilot, lambda: app.answers["data_size_gb"] == 250.0, "the answer 250")
        await until(pilot, lambda: not next_button.disabled, "Next to be enabled again")
        assert field.error is None
        await move(pilot, "ctrl+n", "#q-tuning")
        await move(pilot, "ctrl+n", "#q-release_frequency")
        await move(pilot, "ctrl+n", "#q-team_size")
        await move(pilot, "tab", "#q-teams")
        teams_help = DEFAULT_MODEL.question("teams").help
        await until(pilot, lambda: teams_help in str(help_box.render()), "the help of teams")
        await type_text(pilot, "1.5")  # teams is a whole number
        teams = screen.query_one("#field-teams", QuestionField)
        await until(pilot, lambda: "'1.5'" in str(teams.error), "1.5 to be rejected")
        assert "expected a whole number" in str(teams.error)
        send(pilot, "ctrl+n")
        await until(pilot, lambda: len(said) == 3, "ctrl+n to say why it stays")
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
        screen = await shown(pilot, QuestionnaireScreen)
        await pilot.click("Tab#--content-tab-sec-team")
        await until(pilot, lambda: screen.section == "sec-team", "the team section")
        switch = screen.query_one("#q-audit_lineage", Switch)
        await until(pilot, lambda: switch.region.area > 0, "the switch on screen")
        await pilot.click("#q-audit_lineage")
        await until(pilot, lambda: app.answers["audit_lineage"] is True, "the switch's answer")
        assert switch.value is True
        await pilot.click("#next")
        await shown(pilot, ResultScreen)
        await pilot.click("#change")
        await shown(pilot, QuestionnaireScreen)
        next_button = screen.query_one("#next", Button)
        # A button ignores a click for 0.2 s after a press (Textual's "-active" effect).
        await until(pilot, lambda: not next_button.has_class("-active"), "Next released")
        await pilot.click("#next")
        await shown(pilot, ResultScreen)
        await pilot.click("#generate")
        form = await shown(pilot, GenerateScreen)
        preview = form.query_one("#preview-text", Static)
        await until(pilot, lambda: "Dry run" in str(preview.render()), "the dry run")
        await pilot.click("#generate-button")
        await shown(pilot, DoneScreen)
        await pilot.click("#quit")
        await until(pilot, lambda: app.return_value is not None, "the app to quit")

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
        send(pilot, "enter")
        await shown(pilot, QuestionnaireScreen)
        await focused(pilot, "#q-data_size_gb")
        await type_text(pilot, "42")
        await until(pilot, lambda: app.answers["data_size_gb"] == 42, "the answer 42")
        send(pilot, "ctrl+s")
        dialog = await shown(pilot, SaveAnswersScreen)
        await focused(pilot, "#path")
        await replace_text(pilot, "mine.txt")
        send(pilot, "enter")
        error = dialog.query_one("#file-error", Label)
        await until(pilot, lambda: "use a .yaml" in str(error.render()), "the refusal of .txt")
        await replace_text(pilot, "mine.yaml")
        send(pilot, "enter")
        await shown(pilot, QuestionnaireScreen)
        await until(pilot, lambda: not app.dirty, "the answers to count as saved")
        assert app.saved_to == Path("mine.yaml")

    drive(app, scenario)
    assert answers_file.load(path) == Answers(data_size_gb=42.0).as_dict()


def test_quit_asks_first_only_when_answers_are_unsaved() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        send(pilot, "enter")
        await shown(pilot, QuestionnaireScreen)
        await focused(pilot, "#q-data_size_gb")
        await move(pilot, "tab", "#q-data_frequency")
        await choose(pilot, "data_frequency", "weekly")
        send(pilot, "ctrl+q")
        await shown(pilot, ConfirmQuitScreen)
        await focused(pilot, "#stay")
        send(pilot, "n")
        await shown(pilot, QuestionnaireScreen)
        await focused(pilot, "#q-data_frequency")
        send(pilot, "q")  # on a Select, q is not typed text: it quits (after asking)
        await shown(pilot, ConfirmQuitScreen)
        await focused(pilot, "#stay")
        send(pilot, "y")
        await until(pilot, lambda: app.return_value is not None, "the app to quit")

    drive(app, scenario)
    assert app.return_value is not None
    assert app.return_value.answers["data_frequency"] == "weekly"

    untouched = AdvisorApp()

    async def quit_at_once(pilot: Pilot[Any]) -> None:
        await focused(pilot, "#start")
        send(pilot, "q")
        await until(pilot, lambda: untouched.return_value is not None, "the app to quit")

    drive(untouched, quit_at_once)
    assert untouched.return_value is not None and untouched.return_value.saved_to is None


def test_typing_q_or_question_mark_in_a_number_field_types_it() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        send(pilot, "enter")
        await shown(pilot, QuestionnaireScreen)
        await focused(pilot, "#q-data_size_gb")
        field = await type_text(pilot, "q?")
        send(pilot, "f1")
        help_screen = await shown(pilot, HelpScreen)
        assert field.value == "q?"
        help_text = str(help_screen.query_one(".help-question", Static).render())
        assert DEFAULT_MODEL.question("data_size_gb").help in help_text.replace("\n", " ")
        send(pilot, "escape")
        await shown(pilot, QuestionnaireScreen)
        send(pilot, "escape")
        await shown(pilot, WelcomeScreen)

    drive(app, scenario)


def test_generate_refuses_a_non_empty_directory_and_a_bad_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    app = AdvisorApp()
    said = record_notes(app)

    async def scenario(pilot: Pilot[Any]) -> None:
        form = await generate_form(pilot)
        await replace_text(pilot, "occupied")
        send(pilot, "ctrl+g")
        await until(pilot, lambda: len(said) == 1, "generate to say why it did not")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        error = str(form.query_one("#directory-error", Label).render())
        assert "is not empty" in error
        await replace_text(pilot, "fresh")
        await move(pilot, "tab", "#force")
        await move(pilot, "tab", "#name")
        await type_text(pilot, "9 lives")
        send(pilot, "ctrl+g")
        await until(pilot, lambda: len(said) == 2, "generate to say why it did not")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        assert "is not usable" in str(form.query_one("#name-error", Label).render())

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
    said = record_notes(app)

    async def scenario(pilot: Pilot[Any]) -> None:
        send(pilot, "r")
        await shown(pilot, ResultScreen)
        await focused(pilot, "#generate")
        send(pilot, "g")
        form = await shown(pilot, GenerateScreen)
        label = form.query_one("#form-error", Label)
        await until(pilot, lambda: str(label.render()), "the dry run's error")
        send(pilot, "ctrl+g")
        await until(pilot, lambda: len(said) == 1, "generate to say why it did not")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        error = str(label.render())
        assert error.startswith("generation failed: script/train.py.jinja:3")
        assert said[0] == error

    drive(app, scenario)
    assert list(tmp_path.iterdir()) == []


def test_answers_file_prefills_the_form(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("data_size_gb: 750\nteam_size: 12\ntuning: manual\n")
    answers, sources = load_answers(str(path))
    app = AdvisorApp(answers, sources, str(path))

    async def scenario(pilot: Pilot[Any]) -> None:
        assert str(path) in str(app.screen.query_one("#source", Static).render())
        send(pilot, "enter")
        screen = await shown(pilot, QuestionnaireScreen)
        assert screen.query_one("#q-data_size_gb", Input).value == "750"
        assert screen.query_one("#q-tuning", Select).value == "manual"
        expected = score(Answers(data_size_gb=750, team_size=12, tuning="manual"))
        total = screen.query_one("#score #total", ScoreBar)
        await until(pilot, lambda: total.score == expected.score, "the pre-filled score")
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
