"""The Textual app: holds the answers and their assessment, and moves between the screens.

State lives here and nowhere else: ``answers`` (always a complete, validated set) and
``assessment`` (``score(answers)``, recomputed by a watcher on every change). Screens read them
(attributes down) and change answers only through ``set_answer`` after a field reports a valid
value (messages up). The app returns an ``Outcome`` so the caller can say what happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen

from advisor.evidence.model import Evidence, Measured
from advisor.models import Answers, Assessment, Source
from advisor.questions import Value
from advisor.scoring import score
from advisor.tui.router import Router
from advisor.tui.screens.modals import ConfirmQuitScreen, HelpScreen
from advisor.tui.screens.welcome import WelcomeScreen
from advisor.wording import verdict

if TYPE_CHECKING:
    from generators.manifest_schema import Manifest

# A generated project opened with 'sm-advisor tui DIR': its folder and its manifest.
Project = tuple[Path, "Manifest"]


@dataclass(frozen=True)
class Outcome:
    """What the session produced: the final answers and assessment, and what was written."""

    answers: Answers
    assessment: Assessment
    saved_to: Path | None = None
    generated: Path | None = None


class AdvisorApp(Router[Outcome]):
    """Questionnaire → live score → result → generated project."""

    CSS_PATH = "advisor.tcss"
    TITLE = "sm-advisor"
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("q", "quit", "Quit", show=False),
        Binding("question_mark", "help", "Help", key_display="?", show=False),
        Binding("f1", "help", "Help"),
        Binding("ctrl+t", "toggle_theme", "Theme"),
    ]

    answers: var[Answers] = var(Answers, init=False)
    """The current answers: complete and valid (invalid text never gets here)."""
    assessment: var[Assessment | None] = var(None, init=False)
    """``score(answers)``, kept in step by ``watch_answers``."""

    def __init__(
        self,
        answers: Answers | None = None,
        sources: dict[str, Source] | None = None,
        answers_path: str | Path | None = None,
    ) -> None:
        """Start from ``answers`` (defaults if None); ``answers_path`` is where they came from."""
        super().__init__()
        start = answers if answers is not None else Answers()
        self.sources: dict[str, Source] = dict(sources or {})
        self.answers_path = Path(answers_path) if answers_path else None
        self.baseline = start
        self.saved_to: Path | None = None
        self.generated: Path | None = None
        self.measured: dict[str, Measured] = {}
        """Answers measured from AWS and still in use, with the sentence that justifies them."""
        self.evidence_uri = ""
        self.project_form: Any = None
        """The generate form's last values (a ``ProjectForm``), so the form keeps them."""
        self.project: Project | None = None
        """The generated project opened with ``sm-advisor tui DIR``: its folder and manifest."""
        self.set_reactive(AdvisorApp.answers, start)
        self.set_reactive(AdvisorApp.assessment, score(start, self.sources))

    def get_default_screen(self) -> Screen[Any]:
        """Open on the welcome screen."""
        return WelcomeScreen()

    @property
    def current(self) -> Assessment:
        """The assessment of the current answers (never None once constructed)."""
        assert self.assessment is not None
        return self.assessment

    @property
    def dirty(self) -> bool:
        """Whether the answers changed since they were loaded, saved or generated into a project."""
        return self.answers != self.baseline

    def set_answer(self, qid: str, value: Value) -> None:
        """Record one validated answer; the assessment follows through ``watch_answers``."""
        if self.answers[qid] == value:
            return
        self.sources[qid] = "tui"
        self.measured.pop(qid, None)
        self.answers = self.answers.replace(**{qid: value})

    def apply_evidence(self, evidence: Evidence) -> dict[str, Measured]:
        """Take the measured answers as the *measured* layer: they replace what is there.

        Like ``assess --evidence`` without flags, so the score and result screen say
        "measured". Returns the measured answers by question, for the fields to mark.
        """
        measured = evidence.by_question()
        self.measured = dict(measured)
        self.evidence_uri = evidence.s3.uri
        for qid in measured:
            self.sources[qid] = "measured"
        answers = self.answers.replace(**evidence.answers())
        if answers == self.answers:
            self.assessment = score(answers, self.sources)  # only the sources changed
        self.answers = answers
        return measured

    def watch_answers(self, answers: Answers) -> None:
        """Rescore on every change (pure and fast: a few milliseconds)."""
        self.assessment = score(answers, self.sources)

    def mark_saved(self, path: Path | None = None, generated: Path | None = None) -> None:
        """Remember that the current answers are on disk (an answers file or a project)."""
        self.baseline = self.answers
        self.saved_to = path or self.saved_to
        self.generated = generated or self.generated

    def outcome(self) -> Outcome:
        """Build the value the app returns."""
        return Outcome(self.answers, self.current, self.saved_to, self.generated)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: the app's commands, then Textual's (without its dated screenshot)."""
        from advisor.tui.palette import commands

        yield from commands(self)
        yield from (c for c in super().get_system_commands(screen) if c.title != "Screenshot")

    def save_svg(self) -> None:
        """Save the screen as an SVG in the working directory and say where."""
        from advisor.tui.palette import screenshot_path

        path = screenshot_path(Path.cwd())
        self.save_screenshot(path.name, str(path.parent))
        self.notify(f"Screenshot saved to {path}.", title="Screenshot")

    async def action_quit(self) -> None:
        """Quit, asking first when answers changed and were not saved (twice quits at once)."""
        if not self.dirty or isinstance(self.screen, ConfirmQuitScreen):
            self.exit(self.outcome())
            return

        def decided(choice: str | None) -> None:
            if choice == "quit":
                self.exit(self.outcome())
            elif choice == "save":
                self.action_save(then_quit=True)

        self.push_screen(ConfirmQuitScreen(), decided)

    def action_help(self) -> None:
        """Show the keys and the help of the focused question."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.focused_question_help()))

    def focused_question_help(self) -> str | None:
        """Return the help text of the question that has focus, if any."""
        from advisor.tui.widgets.question import QuestionField

        for node in self.focused.ancestors_with_self if self.focused else ():
            if isinstance(node, QuestionField):
                q = node.question
                return f"{q.prompt}\n\n{q.help}\n\nAccepts {q.accepted()}."
        return None

    def action_save(self, then_quit: bool = False) -> None:
        """Ask for a file name and save the answers there (ctrl+s); quit after if asked."""
        from advisor.tui.screens.save import SaveAnswersScreen

        def saved(path: Path | None) -> None:
            if path is not None:
                self.mark_saved(path)
                self.notify(f"Answers saved to {path}.", title="Saved")
                if then_quit:
                    self.exit(self.outcome())

        suggestion = self.saved_to or self.answers_path
        self.push_screen(SaveAnswersScreen(self.answers, suggestion), saved)

    def action_load(self) -> None:
        """Ask for an answers file and replace the answers with it (palette: Load answers)."""
        from advisor.tui.screens.load import LoadAnswersScreen, Loaded

        def loaded(result: Loaded | None) -> None:
            if result is not None:
                self.load(*result)

        self.push_screen(LoadAnswersScreen(load_answers, self.answers_path), loaded)

    def load(self, answers: Answers, sources: dict[str, Source], path: Path) -> None:
        """Take loaded answers as the new baseline and show them in the questions."""
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        self.sources, self.measured, self.answers_path = dict(sources), {}, path
        self.answers = answers
        self.assessment = score(answers, self.sources)
        self.baseline = answers
        for screen in self.screen_stack:
            if isinstance(screen, QuestionnaireScreen):
                screen.show_answers()
        self.notify(f"Answers loaded from {path}.", title="Loaded")

    def action_toggle_theme(self) -> None:
        """Switch between Textual's light and dark themes (ctrl+t)."""
        self.toggle_theme()

    def toggle_theme(self) -> None:
        """Switch between Textual's light and dark themes."""
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def load_answers(
    path: str | None, project: Project | None = None
) -> tuple[Answers, dict[str, Source]]:
    """Read and validate ``--answers FILE`` the way ``assess`` does (UserError if bad).

    With a project, its manifest's answers come first and the file's replace those it names.
    """
    from advisor.usecases import Inputs, collect_answers

    if not path and project is None:
        return Answers(), {}
    if project is None:
        return collect_answers(Inputs(path))
    return collect_answers(Inputs(path, project=project[0]), project[1])


def summary(outcome: Outcome) -> list[str]:
    """Lines to print after the app closes, so the terminal keeps a record of the result."""
    lines = [f"sm-advisor: {verdict(outcome.assessment)}"]
    if outcome.saved_to:
        lines.append(f"Answers saved to {outcome.saved_to}.")
    if outcome.generated:
        lines.append(f"Project written to {outcome.generated}.")
    return lines


def make_app(
    answers_path: str | None, evidence: Evidence | None = None, project: Project | None = None
) -> AdvisorApp:
    """Build the app from ``--answers`` and ``--evidence`` (measured before the app starts).

    The evidence is the measured layer above the answers file, as in ``assess``; the result
    counts as loaded (quitting right away does not ask to save).
    """
    answers, sources = load_answers(answers_path, project)
    app = AdvisorApp(answers, sources, answers_path)
    app.project = project
    if evidence is not None:
        app.apply_evidence(evidence)
        app.baseline = app.answers
    return app


def run_app(
    answers_path: str | None, evidence: Evidence | None = None, project: Project | None = None
) -> int:
    """Run the app on the terminal; return the exit code (0 unless the app crashed)."""
    app = make_app(answers_path, evidence, project)
    outcome = app.run()
    if outcome is not None:
        print("\n".join(summary(outcome)))
    return app.return_code or 0
