"""The first screen: what the tool decides, on which four criteria, and how to start."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Grid, Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from advisor.models import Answers
from advisor.questions import CRITERIA, DEFAULT_MODEL
from advisor.tui.navigation import Navigate

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp

INTRO = (
    "Do you need a [b]SageMaker Pipeline[/b], or is [b]one training script[/b] enough?\n"
    "Answer {count} short questions. Each answer moves a score for one of four criteria; when "
    "the total reaches {threshold:g} out of 100 a pipeline pays for its setup. You see the "
    "score change as you answer, why it lands where it does, and then generate the project."
)


class WelcomeScreen(Screen[None]):
    """Explain the decision and start the questionnaire."""

    SUB_TITLE = "Welcome"
    PLACE = "welcome"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start"),
        Binding("enter", "start", "Start", show=False),
        Binding("r", "result", "Result"),
        Binding("ctrl+s", "app.save", "Save"),
    ]

    app: AdvisorApp

    def compose(self) -> ComposeResult:
        """Intro, criteria, where the answers came from, and the start button."""
        yield Header()
        with VerticalScroll(id="welcome-body"):
            yield Static(
                INTRO.format(count=len(DEFAULT_MODEL.questions), threshold=DEFAULT_MODEL.threshold),
                id="intro",
            )
            with Grid(id="criteria"):
                for c in CRITERIA:
                    yield Static(escape(c.short), classes="criterion-id")
                    yield Static(escape(c.summary))
            yield Static(self._source_line(), id="source", classes="muted")
            with Center(), Horizontal(classes="buttons"):
                yield Button("Start", id="start", variant="primary", compact=True)
                yield Button("Result", id="result", compact=True)
        yield Footer(compact=True)

    def _source_line(self) -> str:
        """Where the answers on hand come from, in words, and the keys to go on."""
        app, keys = self.app, "Press enter to start, r for the result of these answers, ? for help."
        measured = len(app.measured)
        if app.answers == Answers() and not measured:
            return f"Every question starts at its default: a small, one-person project. {keys}"
        parts = []
        if app.answers_path:
            parts.append(f"Answers pre-filled from {escape(str(app.answers_path))}")
        if measured:
            parts.append(f"{measured} measured from AWS")
        if app.dirty:
            parts.append("changed in this session" + ("" if app.answers_path else " (not saved)"))
        return "; ".join(parts or ["Answers carried over from this session"]) + f". {keys}"

    def on_mount(self) -> None:
        """Focus Start so enter begins."""
        self.query_one("#start", Button).focus()

    def on_screen_resume(self) -> None:
        """Say where the answers come from now (they may have changed since)."""
        self.query_one("#source", Static).update(self._source_line())

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Open the questionnaire."""
        self.post_message(Navigate("questions"))

    @on(Button.Pressed, "#result")
    def action_result(self) -> None:
        """Skip to the result of the current (default or pre-filled) answers."""
        self.post_message(Navigate("result"))
