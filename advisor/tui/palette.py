"""The command palette's commands (ctrl+p): every place and action of the app, by name.

Textual's palette lists these next to its own (theme picker, keys, quit). The screenshot is the
app's own: an SVG in the working directory under a name it says, never a clock-based one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from advisor.questions import CRITERIA

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp

SCREENSHOT_STEM = "sm-advisor-screenshot"


def screenshot_path(folder: Path) -> Path:
    """The first free ``sm-advisor-screenshot[-N].svg`` in ``folder``."""
    path, n = folder / f"{SCREENSHOT_STEM}.svg", 1
    while path.exists():
        n += 1
        path = folder / f"{SCREENSHOT_STEM}-{n}.svg"
    return path


def commands(app: AdvisorApp) -> Iterator[SystemCommand]:
    """The app's commands, in the order of the journey."""
    for c in CRITERIA:
        yield SystemCommand(
            f"Questions: {c.title}",
            f"Jump to the {c.short} questions",
            lambda cid=c.id: app.go("questions", section=f"sec-{cid}"),
        )
    yield SystemCommand("Result", "Show the recommendation and why", lambda: app.go("result"))
    yield SystemCommand(
        "Generate project", "Choose a directory and write the project", lambda: app.go("generate")
    )
    yield SystemCommand("Save answers", "Write the answers to a YAML file", app.action_save)
    yield SystemCommand("Load answers", "Read answers from a YAML or JSON file", app.action_load)
    yield SystemCommand("Light/dark theme", "Switch between light and dark", app.toggle_theme)
    yield SystemCommand("Help", "Keys, scoring and the focused question", app.action_help)
    yield SystemCommand(
        "Screenshot", "Save the screen as an SVG file in this directory", app.save_svg
    )
