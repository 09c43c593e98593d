"""The TUI's conventions, driven with Textual's pilot (issue 13): one test per promise.

Focus never leaves the questions backwards, the palette reaches every place, the generate form
keeps its values, the score says when it is stale, small terminals get a clear screen that
recovers, the quit dialog can save, and every word on screen is a label, not an id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, Select, Static, Tab
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
from advisor.models import Answers
from advisor.questions import CRITERIA
from advisor.tui import project_form
from advisor.tui.app import AdvisorApp
from advisor.tui.screens.done import command_markup, shell_lines
from advisor.tui.screens.evidence import EvidenceScreen
from advisor.tui.screens.generate import GenerateScreen
from advisor.tui.screens.load import LoadAnswersScreen
from advisor.tui.screens.modals import ConfirmQuitScreen, HelpScreen
from advisor.tui.screens.questionnaire import SECTION_IDS, QuestionnaireScreen
from advisor.tui.screens.result import ResultScreen
from advisor.tui.screens.save import SaveAnswersScreen
from advisor.tui.screens.small import TooSmallScreen
from advisor.tui.screens.welcome import WelcomeScreen
from advisor.tui.widgets.score_panel import ScorePanel
from advisor.tui.widgets.tick import Tick
from advisor.wording import margin_text, total_text

FIXED_PLAN = {"README.md": b"", "train.py": b"", ".sm-advisor.yaml": b""}


async def palette(pilot: Pilot[Any], text: str) -> None:
    """Open the command palette, type ``text``, and run the best match once it is highlighted."""
    send(pilot, "ctrl+p")
    box = await shown(pilot, CommandPalette)
    await until(pilot, lambda: isinstance(pilot.app.focused, CommandInput), "the palette's input")
    await type_text(pilot, text)
    commands = box.query_one(CommandList)

    def best_matches() -> bool:  # the palette searches in a worker
        best = commands.highlighted_option
        return best is not None and text.lower() in str(best.prompt).lower()

    await until(pilot, best_matches, f"the palette to offer {text!r} first")
    send(pilot, "enter")
    await until(pilot, lambda: pilot.app.screen is not box, "the palette to close")


async def questions(pilot: Pilot[Any]) -> QuestionnaireScreen:
    """From the welcome screen, open the questions and wait for the first field's focus."""
    await focused(pilot, "#start")
    send(pilot, "enter")
    screen = await shown(pilot, QuestionnaireScreen)
    await focused(pilot, "#q-data_size_gb")
    return screen


async def dry_run_done(pilot: Pilot[Any], form: GenerateScreen) -> None:
    """Wait until the form's dry run has shown its files (and the workers are done)."""
    preview = form.query_one("#preview-text", Static)
    await until(pilot, lambda: "Dry run" in str(preview.render()), "the dry run's preview")
    await settle(pilot)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_enter_and_tab_walk_forward_through_every_section_to_the_result() -> None:
    """From each section's last field, tab or enter reaches Next (never Back or Welcome)."""
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await questions(pilot)

        async def walk(section: str) -> None:
            await until(pilot, lambda: screen.section == section, f"section {section}")
            for field in screen.fields(section):
                await focused(pilot, f"#{field.control.id}")
                # Enter confirms a number and moves on; lists and switches move on with tab.
                send(pilot, "enter" if isinstance(field.control, Input) else "tab")
            next_button = await focused(pilot, "#next")
            # A button ignores enter for 0.2 s after a press (Textual's "-active" effect).
            await until(pilot, lambda: not next_button.has_class("-active"), "Next released")
            send(pilot, "enter")

        for section in SECTION_IDS:
            await walk(section)
        await shown(pilot, ResultScreen)
        assert [type(s) for s in app.screen_stack][:2] == [WelcomeScreen, QuestionnaireScreen]

    drive(app, scenario)


def test_back_is_for_the_mouse_and_escape_only() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await questions(pilot)
        await move(pilot, "ctrl+n", "#q-tuning")
        assert screen.section == SECTION_IDS[1]
        assert not screen.query_one("#back", Button).can_focus
        await pilot.click("#back")
        await until(pilot, lambda: screen.section == SECTION_IDS[0], "the first section")
        send(pilot, "escape")
        await shown(pilot, WelcomeScreen)

    drive(app, scenario)


def test_the_palette_reaches_sections_result_generate_and_takes_a_screenshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))
    app = AdvisorApp()
    said = record_notes(app)

    async def scenario(pilot: Pilot[Any]) -> None:
        await palette(pilot, "Team size")
        screen = await shown(pilot, QuestionnaireScreen)
        assert screen.section == "sec-team"
        await until(
            pilot, lambda: app.focused is screen.fields("sec-team")[0].control, "team size focused"
        )
        await palette(pilot, "Result")
        await shown(pilot, ResultScreen)
        await palette(pilot, "Generate project")
        await dry_run_done(pilot, await shown(pilot, GenerateScreen))
        await palette(pilot, "Questions: Tuning")
        await until(pilot, lambda: app.screen is screen, "the same questions screen on top")
        assert screen.section == "sec-tuning"
        assert [type(s).__name__ for s in app.screen_stack] == [
            "WelcomeScreen",
            "QuestionnaireScreen",
        ]
        await palette(pilot, "Screenshot")
        shot = Path.cwd() / "sm-advisor-screenshot.svg"
        await until(pilot, lambda: said, "the screenshot's notification")
        assert said == [f"Screenshot saved to {shot}."]
        await palette(pilot, "Help")
        await shown(pilot, HelpScreen)
        send(pilot, "escape")
        await until(pilot, lambda: app.screen is screen, "the help to close")
        await palette(pilot, "Save answers")
        await shown(pilot, SaveAnswersScreen)

    drive(app, scenario)
    shot = tmp_path / "sm-advisor-screenshot.svg"
    assert shot.read_text(encoding="utf-8").startswith("<svg")


def test_the_palette_loads_answers_into_the_fields(tmp_path: Path) -> None:
    answers_file.save({"team_size": 12, "tuning": "automated"}, tmp_path / "team.yaml")
    answers_file.save({"team_size": -1}, tmp_path / "bad.yaml")
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await questions(pilot)
        await palette(pilot, "Load answers")
        dialog = await shown(pilot, LoadAnswersScreen)
        await focused(pilot, "#path")
        await replace_text(pilot, "bad.yaml")
        send(pilot, "enter")
        error = dialog.query_one("#file-error", Label)
        await until(pilot, lambda: "team_size" in str(error.render()), "the file to be refused")
        await replace_text(pilot, "team.yaml")
        send(pilot, "enter")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        await until(pilot, lambda: app.answers["team_size"] == 12, "the loaded answers")
        assert app.answers["tuning"] == "automated"
        assert screen.query_one("#q-team_size", Input).value == "12"
        assert screen.query_one("#q-tuning", Select).value == "automated"
        assert not app.dirty  # loaded answers are the new baseline

    drive(app, scenario)


def test_the_generate_form_keeps_its_values_between_visits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))
    app = AdvisorApp()
    expected = project_form.ProjectForm(
        "churn", "churn_v2", "pipeline", "xgboost", "v3", force=True
    )

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await generate_form(pilot)
        await dry_run_done(pilot, screen)
        await replace_text(pilot, "churn")
        await move(pilot, "tab", "#force")
        send(pilot, "space")
        await until(pilot, lambda: screen.query_one("#force", Tick).value, "the box ticked")
        await move(pilot, "tab", "#name")
        await type_text(pilot, "churn_v2")
        screen.query_one("#framework", Select).value = "xgboost"
        screen.query_one("#kind", Select).value = "pipeline"
        await until(pilot, lambda: app.project_form == expected, "the app to keep the form")
        await settle(pilot)
        send(pilot, "escape")  # generate → result → welcome
        await shown(pilot, ResultScreen)
        send(pilot, "escape")
        await shown(pilot, WelcomeScreen)
        again = await generate_form(pilot)
        assert again is not screen
        assert again.form() == expected
        await dry_run_done(pilot, again)

    drive(app, scenario)


def test_ctrl_g_on_an_invalid_form_says_why_and_points_at_the_checkbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usecases, "render", lambda spec: dict(FIXED_PLAN))
    (tmp_path / "ml-project").mkdir()
    (tmp_path / "ml-project" / "notes.txt").write_text("mine")
    app = AdvisorApp()
    said = record_notes(app)

    async def scenario(pilot: Pilot[Any]) -> None:
        form = await generate_form(pilot)
        label = form.query_one("#directory-error", Label)
        await until(pilot, lambda: str(label.render()), "the directory's error")
        error = str(label.render())
        assert "tick “Overwrite generated files” below" in error and "--force" not in error
        await move(pilot, "tab", "#force")
        send(pilot, "ctrl+g")
        await until(pilot, lambda: said, "generate to say why it did not")
        await settle(pilot)
        assert isinstance(app.screen, GenerateScreen)
        assert any("Overwrite generated files" in n for n in said)
        await focused(pilot, "#directory")

    drive(app, scenario)
    assert [p.name for p in (tmp_path / "ml-project").iterdir()] == ["notes.txt"]


def test_the_checkbox_reads_unchecked_until_it_is_checked() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        form = await generate_form(pilot)
        tick = form.query_one("#force", Tick)
        assert str(tick.render()).startswith("[ ] Overwrite")
        tick.value = True
        assert str(tick.render()).startswith("[✓] Overwrite")

    drive(app, scenario)


def test_the_score_says_it_is_stale_while_an_answer_is_rejected() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await questions(pilot)
        panel = screen.query_one(ScorePanel)
        field = await type_text(pilot, "x")
        await until(pilot, lambda: panel.has_class("-stale"), "the score to turn stale")
        verdict = str(panel.query_one("#verdict", Static).render())
        assert "stale" in str(panel.query_one("#panel-title", Label).render())
        assert "fix Data size first" in verdict
        tabs = screen.query_one("#sections").query(Tab)
        assert str(tabs.first().label).endswith("✗")
        send(pilot, "backspace")
        await until(pilot, lambda: field.value == "", "the x to be deleted")
        await type_text(pilot, "70")
        await until(pilot, lambda: app.answers["data_size_gb"] == 70, "the answer 70")
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
        screen = await questions(pilot)
        field = await replace_text(pilot, "-1")
        field_error = screen.query_one("#field-data_size_gb").query_one(".error", Label)
        await until(pilot, lambda: "'-1'" in str(field_error.render()), "the rejection of -1")
        assert str(field_error.render()).startswith("Data size: '-1' is not accepted")
        send(pilot, "backspace", "backspace")
        await until(pilot, lambda: field.value == "", "the -1 to be deleted")
        await type_text(pilot, "1")
        await until(pilot, lambda: not str(field_error.render()), "the rejection to go")
        send(pilot, "ctrl+r")
        result = await shown(pilot, ResultScreen)
        flips = result.query_one("#flips").query(".item")
        texts = [str(s.render()) for s in flips.results(Static)]
        assert texts and all("_" not in t for t in texts)
        assert any(t.startswith("Release frequency: weekly → ") for t in texts)
        headline = str(result.query_one("#headline", Static).render())
        assert f"Total {total_text(app.current)} of 100" in headline

    drive(app, scenario)


def test_a_small_terminal_gets_a_clear_screen_that_recovers_on_resize() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        cover = await shown(pilot, TooSmallScreen)
        text = cover.query_one("#too-small", Static)
        assert "needs 80×24" in str(text.render()) and "60×20" in str(text.render())
        await pilot.resize_terminal(70, 22)
        await until(pilot, lambda: "70×22" in str(text.render()), "the cover to say 70×22")
        await pilot.resize_terminal(80, 24)
        await shown(pilot, WelcomeScreen)
        await questions(pilot)

    drive(app, scenario, size=(60, 20))


def test_the_score_panel_grows_on_wide_terminals() -> None:
    widths = {}

    for size in ((80, 24), (120, 40)):
        app = AdvisorApp()

        async def scenario(pilot: Pilot[Any], app: AdvisorApp = app, width: int = size[0]) -> None:
            side = (await questions(pilot)).query_one("#side")
            await until(pilot, lambda: side.outer_size.width, "the score panel laid out")
            widths[width] = side.outer_size.width

        drive(app, scenario, size=size)
    assert widths[80] >= 30 and widths[120] >= 40


def test_quit_offers_save_and_quit(tmp_path: Path) -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await questions(pilot)
        await replace_text(pilot, "9")
        await until(pilot, lambda: app.dirty, "the answer 9")
        send(pilot, "ctrl+q")
        dialog = await shown(pilot, ConfirmQuitScreen)
        assert str(dialog.query_one("#save", Button).label) == "Save & quit"
        await focused(pilot, "#stay")
        send(pilot, "s")
        await shown(pilot, SaveAnswersScreen)
        await focused(pilot, "#path")
        send(pilot, "enter")
        await until(pilot, lambda: app.return_value is not None, "the app to quit")

    drive(app, scenario)
    assert answers_file.load(str(tmp_path / "answers.yaml"))["data_size_gb"] == 9
    assert app.return_value is not None and app.return_value.saved_to is not None


def test_welcome_says_where_the_answers_come_from_and_ctrl_s_saves(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    answers_file.save({"team_size": 4}, path)
    from advisor.tui.app import make_app

    app = make_app(str(path))

    async def scenario(pilot: Pilot[Any]) -> None:
        welcome = await shown(pilot, WelcomeScreen)
        source = str(welcome.query_one("#source", Static).render())
        assert source.startswith(f"Answers pre-filled from {path}")
        assert "starts at its default" not in source
        await questions(pilot)
        await replace_text(pilot, "7")
        await until(pilot, lambda: app.dirty, "the answer 7")
        send(pilot, "escape")
        await until(pilot, lambda: app.screen is welcome, "the welcome screen again")
        line = welcome.query_one("#source", Static)
        await until(pilot, lambda: "changed in this session" in str(line.render()), "the news")
        footer = {key for key, b in welcome.active_bindings.items() if b.binding.show}
        assert {"ctrl+t", "ctrl+s"} <= footer
        send(pilot, "ctrl+s")
        await shown(pilot, SaveAnswersScreen)

    drive(app, scenario)


def test_help_gives_numbers_and_wraps_under_its_own_column() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await focused(pilot, "#start")
        send(pilot, "f1")
        screen = await shown(pilot, HelpScreen)
        notes_text = screen.query_one("#help-notes").query(".item")
        text = " ".join(str(s.render()) for s in notes_text.results(Static))
        assert "met_at" not in text and "threshold" not in text and "50 or more" in text
        column = screen.query_one("#help-text")
        items = list(screen.query(".item").results(Static))
        await until(pilot, lambda: column.region.width and items[-1].region.width, "the layout")
        for item in items:
            assert item.region.x >= column.region.x + 3

    drive(app, scenario)


def test_errors_pop_up_away_from_next() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = await questions(pilot)
        await type_text(pilot, "x")
        next_button = screen.query_one("#next", Button)
        await until(pilot, lambda: next_button.disabled, "the rejection")
        send(pilot, "ctrl+r")

        def toasts_shown() -> bool:
            toasts = list(app.screen.query("Toast"))
            return bool(toasts) and all(t.region.area for t in toasts)

        await until(pilot, toasts_shown, "the rejected answer to be announced")
        toasts = list(app.screen.query("Toast"))
        assert all(not t.region.overlaps(next_button.region) for t in toasts)

    drive(app, scenario, toasts=True)


def test_the_aws_dialog_names_questions_and_uses_compact_inputs() -> None:
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await questions(pilot)
        send(pilot, "ctrl+g")
        dialog = await shown(pilot, EvidenceScreen)
        await focused(pilot, "#evidence-uri")
        intro = str(dialog.query(".muted").first(Static).render())
        assert "data size" in intro and "_" not in intro
        inputs = list(dialog.query(Input))
        await until(pilot, lambda: all(i.size.height for i in inputs), "the inputs laid out")
        assert all(i.compact and i.size.height == 1 for i in inputs)

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
