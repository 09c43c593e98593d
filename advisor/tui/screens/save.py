"""The save dialog (ctrl+s): write the answers to a YAML (or JSON) answers file.

The file is written by ``advisor.answers_file.save``, the same function behind the CLI, so it can
be read back with ``--answers``. Problems (bad suffix, missing folder) are shown in the dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from advisor import answers_file
from advisor.errors import UserError
from advisor.models import Answers

SUFFIXES = (*answers_file.YAML_SUFFIXES, ".json")


def check_path(text: str, overwrite_ok: Path | None) -> Path:
    """Return the path to write, or raise UserError saying what to change."""
    if not text.strip():
        raise UserError("enter a file name, e.g. answers.yaml.")
    path = Path(text.strip()).expanduser()
    if path.suffix.lower() not in SUFFIXES:
        raise UserError(f"{path}: use a .yaml, .yml or .json file name.")
    if path.is_dir():
        raise UserError(f"{path} is a directory; add a file name, e.g. {path / 'answers.yaml'}.")
    if path.exists() and path.resolve() != (overwrite_ok.resolve() if overwrite_ok else None):
        raise FileExistsError(path)
    return path


class SaveAnswersScreen(ModalScreen[Path | None]):
    """Ask for a file name and save the answers there; dismiss with the path written."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, answers: Answers, suggestion: Path | None) -> None:
        """Save ``answers``; the file name starts as ``suggestion`` (or ``answers.yaml``)."""
        super().__init__()
        self.answers = answers
        self.suggestion = suggestion
        self.confirmed: Path | None = suggestion

    def compose(self) -> ComposeResult:
        """File name, error line, buttons."""
        with Vertical(classes="dialog save-dialog"):
            yield Label("Save answers", classes="dialog-title")
            yield Static("Read them back later with: sm-advisor --answers FILE", classes="muted")
            yield Input(str(self.suggestion or "answers.yaml"), id="path", compact=True)
            yield Label("", id="save-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        """Write the file, or show why not (a second Save confirms overwriting)."""
        text = self.query_one("#path", Input).value
        error = self.query_one("#save-error", Label)
        try:
            path = check_path(text, self.confirmed)
            answers_file.save(self.answers.as_dict(), path)
        except FileExistsError as err:
            self.confirmed = Path(str(err))
            error.update(f"{err} exists; press Save again to overwrite it.")
            return
        except UserError as err:
            error.update(str(err))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
