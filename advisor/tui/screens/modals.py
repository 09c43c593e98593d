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

KEYS = (
    ("tab / shift+tab", "move between fields and buttons"),
    ("enter", "press a button, open a list, confirm a number"),
    ("escape", "go back one screen (or close this)"),
    ("ctrl+n / ctrl+b", "next / previous section of questions"),
    ("ctrl+r", "see the result from the questions"),
    ("ctrl+s", "save the answers to a YAML file"),
    ("ctrl+g", "measure answers from AWS (S3 data, SageMaker history)"),
    ("ctrl+t", "switch between light and dark theme"),
    ("? / f1", "this help"),
    ("q / ctrl+q", "quit (asks first if answers are unsaved)"),
)


def help_text(question: str | None) -> str:
    """Build the help overlay's text: the focused question, the keys, how scoring works."""
    parts = []
    if question:
        parts.append(f"[b]This question[/b]\n{escape(question)}\n")
    parts.append("[b]Keys[/b] (the mouse works too)")
    parts += [f"  [$text-accent]{key:<16}[/] {what}" for key, what in KEYS]
    parts.append("\n[b]How the score works[/b]")
    parts += [f"  • {escape(note)}" for note in DEFAULT_MODEL.notes]
    return "\n".join(parts)


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
            with VerticalScroll():
                yield Static(help_text(self.question), id="help-text")
            yield Button("Close", id="close", variant="primary", compact=True)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)


class ConfirmQuitScreen(ModalScreen[bool]):
    """Ask before quitting with unsaved answers; ``True`` means quit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose(True)", "Quit"),
        Binding("escape,n", "choose(False)", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        """The question and two buttons; Stay has focus so enter alone loses nothing."""
        with Vertical(classes="dialog confirm-dialog"):
            yield Label("Quit without saving?", classes="dialog-title")
            yield Static(
                "Your answers changed since they were last loaded or saved. Stay and press "
                "ctrl+s to save them, or quit and lose them."
            )
            with Horizontal(classes="buttons"):
                yield Button("Stay", id="stay", variant="primary", compact=True)
                yield Button("Quit", id="quit", variant="error", compact=True)

    def on_mount(self) -> None:
        """Focus Stay: the safe choice."""
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")

    def action_choose(self, quit_: bool) -> None:
        """Answer with a key instead of a button."""
        self.dismiss(quit_)
