"""The shape shared by the save and load dialogs: a title, a hint, a file name, an error line."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

ResultT = TypeVar("ResultT")


class FileDialog(ModalScreen[ResultT]):
    """Ask for a file name; subclasses name the action and act on ``#action`` or enter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]
    HEADING = ""
    HINT = ""
    ACTION = ""

    def __init__(self, suggestion: Path | None) -> None:
        """The file name starts as ``suggestion`` (or ``answers.yaml``)."""
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        """Heading, hint, file name, error line, buttons."""
        with Vertical(classes="dialog save-dialog"):
            yield Label(self.HEADING, classes="dialog-title")
            yield Static(self.HINT, classes="muted")
            yield Input(str(self.suggestion or "answers.yaml"), id="path", compact=True)
            yield Label("", id="file-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.ACTION, id="action", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @property
    def text(self) -> str:
        """The file name as typed."""
        return self.query_one("#path", Input).value

    def say(self, error: str) -> None:
        """Show why the file could not be used."""
        self.query_one("#file-error", Label).update(error)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
