"""The save dialog (ctrl+s): write the answers to a YAML (or JSON) answers file.

The file is written by ``advisor.answers_file.save``, the same function behind the CLI, so it can
be read back with ``--answers``. Problems (bad suffix, missing folder) are shown in the dialog.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.widgets import Button, Input

from advisor import answers_file
from advisor.errors import UserError
from advisor.models import Answers
from advisor.tui.screens.file_dialog import FileDialog

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


class SaveAnswersScreen(FileDialog[Path | None]):
    """Ask for a file name and save the answers there; dismiss with the path written."""

    HEADING = "Save answers"
    HINT = "Read them back later with: sm-advisor --answers FILE"
    ACTION = "Save"

    def __init__(self, answers: Answers, suggestion: Path | None) -> None:
        """Save ``answers``; the file name starts as ``suggestion`` (or ``answers.yaml``)."""
        super().__init__(suggestion)
        self.answers = answers
        self.confirmed: Path | None = suggestion

    @on(Input.Submitted)
    @on(Button.Pressed, "#action")
    def save(self) -> None:
        """Write the file, or show why not (a second Save confirms overwriting)."""
        try:
            path = check_path(self.text, self.confirmed)
            answers_file.save(self.answers.as_dict(), path)
        except FileExistsError as err:
            self.confirmed = Path(str(err))
            self.say(f"{err} exists; press Save again to overwrite it.")
            return
        except UserError as err:
            self.say(str(err))
            return
        self.dismiss(path)
