"""The load dialog (command palette → Load answers): read an answers file into the app.

The file is read and validated by the loader the app passes down (the same one behind
``--answers``); a bad file leaves the current answers untouched and says why in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from advisor.errors import USER_ERRORS
from advisor.models import Answers, Source

Loaded = tuple[Answers, dict[str, Source], Path]
Loader = Callable[[str], tuple[Answers, dict[str, Source]]]


class LoadAnswersScreen(ModalScreen[Loaded | None]):
    """Ask for an answers file; dismiss with its answers, their sources and its path."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, loader: Loader, suggestion: Path | None) -> None:
        """Read files with ``loader``; the name starts as ``suggestion`` (or ``answers.yaml``)."""
        super().__init__()
        self.loader = loader
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        """File name, error line, buttons."""
        with Vertical(classes="dialog save-dialog"):
            yield Label("Load answers", classes="dialog-title")
            yield Static("A YAML or JSON answers file; it replaces every answer.", classes="muted")
            yield Input(str(self.suggestion or "answers.yaml"), id="path", compact=True)
            yield Label("", id="load-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Load", id="load", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#load")
    def load(self) -> None:
        """Read the file, or show why not."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one("#load-error", Label).update("enter a file name, e.g. answers.yaml.")
            return
        try:
            answers, sources = self.loader(text)
        except USER_ERRORS as err:
            self.query_one("#load-error", Label).update(str(err))
            return
        self.dismiss((answers, sources, Path(text)))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
