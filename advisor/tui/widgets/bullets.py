"""A bulleted list whose wrapped lines stay under their text (a hanging indent), not at column 0."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static


class Bullets(Vertical):
    """One row per item: a marker cell, then the item's markup wrapping within its own column."""

    DEFAULT_CSS = """
    Bullets { height: auto; }
    Bullets > Horizontal { height: auto; }
    Bullets .marker { width: auto; padding: 0 1 0 2; }
    Bullets .item { width: 1fr; height: auto; }
    """

    def __init__(
        self,
        items: Iterable[str | tuple[str, str]],
        marker: str = "•",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """List ``items`` (content markup), each after ``marker`` or its own ``(marker, item)``."""
        super().__init__(id=id, classes=classes)
        self.items = [item if isinstance(item, tuple) else (marker, item) for item in items]

    def compose(self) -> ComposeResult:
        """A row per item."""
        for marker, item in self.items:
            with Horizontal():
                yield Static(marker, classes="marker", markup=False)
                yield Static(item, classes="item")

    @property
    def text(self) -> str:
        """The items as plain lines (for tests and screen readers)."""
        return "\n".join(str(s.render()) for s in self.query(".item").results(Static))
