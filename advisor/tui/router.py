"""The app's navigation: one router that owns the screen stack, and the too-small cover.

Screens post ``Navigate`` (see ``advisor.tui.navigation``); only the router pushes and pops, so
screens never import each other. It also covers the app with ``TooSmallScreen`` while the
terminal is below 80×24, and holds back navigation that arrives meanwhile (a finished
generation) until the cover lifts, so nothing is pushed under it or dismisses it by mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App, ReturnType
from textual.screen import Screen

from advisor.tui.navigation import Navigate, Place, rank
from advisor.tui.screens.small import TooSmallScreen, fits


class Router(App[ReturnType]):
    """An app whose screens ask to go places; the journey order decides pops and pushes."""

    def __init__(self) -> None:
        """Start with nothing held back."""
        super().__init__()
        self._deferred: list[Callable[[], object]] = []

    def on_navigate(self, message: Navigate) -> None:
        """A screen asks to go somewhere: the router decides how."""
        message.stop()
        self.go(message.to, message.section, message.data)

    def go(self, to: Place, section: str | None = None, data: Any = None) -> None:
        """Show ``to``: pop what lies at or beyond it in the journey, then push it fresh.

        The questions are kept (one screen holds their fields); the result and generate
        screens need valid answers, so an invalid field sends the user back to it first.
        """
        if isinstance(self.screen, TooSmallScreen):
            self._deferred.append(lambda: self.go(to, section, data))
            return
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        questions = next((s for s in self.screen_stack if isinstance(s, QuestionnaireScreen)), None)
        if to in ("result", "generate") and questions and questions.first_invalid():
            to, section = "questions", None
        while len(self.screen_stack) > 1:
            here = rank(getattr(self.screen, "PLACE", None))
            if here < rank(to) or (here == rank(to) and to == "questions"):
                break
            self.pop_screen()
        if to == "questions" and isinstance(self.screen, QuestionnaireScreen):
            self.screen.show_section(section)
        elif to != "welcome":
            self.push_screen(self._screen_for(to, section, data))

    def _screen_for(self, to: Place, section: str | None, data: Any) -> Screen[Any]:
        if to == "questions":
            from advisor.tui.screens.questionnaire import QuestionnaireScreen

            return QuestionnaireScreen(section)
        if to == "result":
            from advisor.tui.screens.result import ResultScreen

            return ResultScreen()
        if to == "generate" and getattr(self, "project", None) is not None:
            from advisor.tui.screens.update import UpdateScreen  # a project opened with tui DIR

            return UpdateScreen()
        if to == "generate":
            from advisor.tui.screens.generate import GenerateScreen

            return GenerateScreen()
        from advisor.tui.screens.done import DoneScreen

        return DoneScreen(*data)

    def when_on_top(self, screen: Screen[Any], callback: Callable[[], object]) -> None:
        """Run ``callback`` now if ``screen`` is on top, else once the too-small cover lifts."""
        if self.screen is screen:
            callback()
        else:
            self._deferred.append(callback)

    def on_mount(self) -> None:
        """Cover the app at once if the terminal starts too small."""
        self._check_size()

    def on_resize(self, event: events.Resize) -> None:
        """Cover or uncover the app as the terminal crosses the minimum size."""
        self._check_size(event.size)

    def _check_size(self, size: Any = None) -> None:
        size = size or self.size
        cover = next((s for s in self.screen_stack if isinstance(s, TooSmallScreen)), None)
        if cover is None and not fits(size):
            self.push_screen(TooSmallScreen())
        elif cover is not None and not fits(size):
            cover.show(size)
        elif cover is not None and self.screen is cover:
            self.pop_screen()
            deferred, self._deferred = self._deferred, []
            for callback in deferred:
                callback()
