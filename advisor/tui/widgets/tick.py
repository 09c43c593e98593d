"""A checkbox that reads as unchecked when it is: ``[ ]`` and ``[✓]``, not Textual's ``▐X▌``.

Textual's compact checkbox draws the same ``X`` in both states and only changes its colour,
which reads as checked on many themes.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class Tick(Checkbox):
    """A Checkbox drawn ``[ ] label`` / ``[✓] label``."""

    DEFAULT_CSS = """
    Tick { border: none; padding: 0; background: transparent; }
    Tick:focus { border: none; }
    Tick:focus > .toggle--label { text-style: underline; background: $block-cursor-background; }
    """

    @property
    def _button(self) -> Content:
        """``[✓]`` when checked, ``[ ]`` when not (the mark in the accent colour)."""
        mark = ("✓", "bold $text-accent") if self.value else (" ", "")
        return Content.assemble("[", mark, "]")
