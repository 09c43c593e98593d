"""The "terminal too small" screen: says the size needed and the size there is, then recovers.

The app pushes it when the terminal drops below ``MIN_SIZE`` and pops it as soon as the
terminal is large enough again; nothing below it is lost (the screens stay on the stack).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_SIZE = Size(80, 24)
"""The smallest terminal the layouts are designed for."""


def too_small_text(size: Size) -> str:
    """The message, e.g. ``sm-advisor needs 80×24; this terminal is 60×20.``."""
    return (
        f"[b]sm-advisor needs {MIN_SIZE.width}×{MIN_SIZE.height}[/b]; "
        f"this terminal is {size.width}×{size.height}.\n\n"
        "Enlarge the window (or reduce the font size): your answers are kept and the "
        "questionnaire comes back as soon as it fits. ctrl+q quits."
    )


def fits(size: Size) -> bool:
    """Whether ``size`` is at least ``MIN_SIZE`` both ways."""
    return size.width >= MIN_SIZE.width and size.height >= MIN_SIZE.height


class TooSmallScreen(ModalScreen[None]):
    """Covers the app while the terminal is smaller than ``MIN_SIZE``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.bell", show=False)]
    DEFAULT_CSS = """
    TooSmallScreen { background: $background; }
    TooSmallScreen #too-small {
        width: 100%;
        padding: 1 2;
        text-align: center;
        color: $foreground;
    }
    """

    def compose(self) -> ComposeResult:
        """One centred paragraph."""
        with Middle(), Center():
            yield Static(too_small_text(self.app.size), id="too-small")

    def show(self, size: Size) -> None:
        """Say the new size."""
        self.query_one("#too-small", Static).update(too_small_text(size))
