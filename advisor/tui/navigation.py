"""Where a screen asks to go: a message up to the app, which alone pushes and pops screens.

Screens never import each other. They post ``Navigate("result")`` (or ``"questions"`` with a
section, ``"generate"``, ``"done"`` with what was written, ``"welcome"``) and the app's router
(``AdvisorApp.go``) decides what to pop and push, so the screen stack always reads in journey
order: welcome → questions → result → generate → done.
"""

from __future__ import annotations

from typing import Any, Literal

from textual.message import Message

Place = Literal["welcome", "questions", "result", "generate", "done"]
ORDER: tuple[Place, ...] = ("welcome", "questions", "result", "generate", "done")
"""The journey, in order; a screen's ``PLACE`` is its rank in it."""


class Navigate(Message):
    """Ask the app to show ``to`` (a place of the journey), with what that screen needs."""

    def __init__(self, to: Place, section: str | None = None, data: Any = None) -> None:
        """``section``: the questions' tab to open; ``data``: the done screen's report."""
        super().__init__()
        self.to = to
        self.section = section
        self.data = data


def rank(place: str | None) -> int:
    """The rank of a place in the journey; anything else (a dialog) ranks above all."""
    return ORDER.index(place) if place in ORDER else len(ORDER)
