"""Small modal screens: the help overlay and the quit confirmation."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from advisor.questions import DEFAULT_MODEL
from advisor.tui.widgets.bullets import Bullets

KEYS = (
    ("ctrl+p", "command palette: jump to a section, result, generate, load, screenshot"),
    ("tab / shift+tab", "move between fields and buttons"),
    ("enter", "press a button, open a list, confirm a number"),
    ("escape", "go back one screen (or close this)"),
    ("ctrl+n / ctrl+b", "next / previous section of questions"),
    ("ctrl+r", "see the result from the questions"),
    ("ctrl+s", "save the answers to a YAML file (any screen)"),
    ("ctrl+g", "measure answers from AWS (S3 data, SageMaker history)"),
    ("ctrl+t", "switch between light and dark theme"),
    ("? / f1", "this help"),
    ("q / ctrl+q", "quit (asks first if answers are unsaved)"),
)


def help_text(question: str | None) -> str:
    """The help overlay's text as plain lines: the focused question, the keys, the scoring."""
    parts = [f"This question\n{question}\n"] if question else []
    parts.append("Keys (the mouse works too)")
    parts += [f"  {key:<16} {what}" for key, what in KEYS]
    parts.append("\nHow the score works")
    parts += [f"  • {note}" for note in DEFAULT_MODEL.notes]
    return "\n".join(parts)


def help_widgets(question: str | None) -> ComposeResult:
    """The same text as widgets, so long lines wrap under their own column."""
    if question:
        yield Static("[b]This question[/b]", classes="help-heading")
        yield Static(escape(question), classes="help-question")
    yield Static("[b]Keys[/b] (the mouse works too)", classes="help-heading")
    yield Bullets(((key, escape(what)) for key, what in KEYS), classes="keys", id="help-keys")
    yield Static("[b]How the score works[/b]", classes="help-heading")
    yield Bullets((escape(note) for note in DEFAULT_MODEL.notes), id="help-notes")


class HelpScreen(ModalScreen[None]):
    """Keys, scoring rules and the focused question's full help."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,enter", "dismiss", "Close"),
    ]

    def __init__(self, question: str | None = None) -> None:
        """Show help, including ``question``'s text when one has focus."""
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """A scrolling box with the help text and a close button."""
        with Vertical(classes="dialog help-dialog"):
            yield Label("Help", classes="dialog-title")
            with VerticalScroll(id="help-text"):
                yield from help_widgets(self.question)
            yield Button("Close", id="close", variant="primary", compact=True)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)


class ConfirmQuitScreen(ModalScreen[str | None]):
    """Ask before quitting with unsaved answers: ``"quit"``, ``"save"`` (then quit) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose('quit')", "Quit"),
        Binding("s", "choose('save')", "Save & quit"),
        Binding("escape,n", "choose(None)", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        """The question and two buttons; Stay has focus so enter alone loses nothing."""
        with Vertical(classes="dialog confirm-dialog"):
            yield Label("Quit without saving?", classes="dialog-title")
            yield Static(
                "Your answers changed since they were last loaded or saved. Save them to a "
                "file and quit, quit and lose them, or stay."
            )
            with Horizontal(classes="buttons"):
                yield Button("Stay", id="stay", variant="primary", compact=True)
                yield Button("Save & quit", id="save", compact=True)
                yield Button("Quit", id="quit", variant="error", compact=True)

    def on_mount(self) -> None:
        """Focus Stay: the safe choice."""
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id if event.button.id in ("quit", "save") else None)

    def action_choose(self, choice: str | None) -> None:
        """Answer with a key instead of a button."""
        self.dismiss(choice)
