"""The load dialog (command palette → Load answers): read an answers file into the app.

The file is read and validated by the loader the app passes down (the same one behind
``--answers``); a bad file leaves the current answers untouched and says why in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.widgets import Button, Input

from advisor.errors import USER_ERRORS
from advisor.models import Answers, Source
from advisor.tui.screens.file_dialog import FileDialog

Loaded = tuple[Answers, dict[str, Source], Path]
Loader = Callable[[str], tuple[Answers, dict[str, Source]]]


class LoadAnswersScreen(FileDialog[Loaded | None]):
    """Ask for an answers file; dismiss with its answers, their sources and its path."""

    HEADING = "Load answers"
    HINT = "A YAML or JSON answers file; it replaces every answer."
    ACTION = "Load"

    def __init__(self, loader: Loader, suggestion: Path | None) -> None:
        """Read files with ``loader``; the name starts as ``suggestion`` (or ``answers.yaml``)."""
        super().__init__(suggestion)
        self.loader = loader

    @on(Input.Submitted)
    @on(Button.Pressed, "#action")
    def load(self) -> None:
        """Read the file, or show why not."""
        text = self.text.strip()
        if not text:
            self.say("enter a file name, e.g. answers.yaml.")
            return
        try:
            answers, sources = self.loader(text)
        except USER_ERRORS as err:
            self.say(str(err))
            return
        self.dismiss((answers, sources, Path(text)))
