"""A one-line score bar with the threshold marked, drawn in theme colours.

The bar is text (block characters), not a ProgressBar: it must show where the threshold lies,
stay one line tall at 80×24, and read the same in light and dark themes. Colours come from theme
variables (``$text-success``...), so a theme switch recolours it without code.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.markup import escape
from textual.reactive import reactive
from textual.widget import Widget

from advisor.wording import score_text

FULL, EMPTY, MARK = "█", "░", "│"


def bar_markup(score: float, threshold: float, width: int) -> str:
    """Return content markup for a bar of ``width`` cells: filled to ``score``, threshold marked.

    A met score (≥ threshold) is drawn in the success colour, an unmet one in the primary colour;
    the marker sits in the empty part at the threshold's cell.
    """
    width = max(width, 1)
    filled = min(width, max(0, round(width * score / 100)))
    mark = min(width - 1, round(width * threshold / 100))
    colour = "$text-success" if score >= threshold else "$text-primary"
    empty = [EMPTY] * (width - filled)
    if mark >= filled:
        empty[mark - filled] = MARK
    rest = "".join(empty).replace(MARK, f"[$text-warning]{MARK}[/]")
    return f"[{colour}]{FULL * filled}[/][$foreground-muted]{rest}[/]"


class ScoreBar(Widget):
    """``Label  ████░░│░░  42``: one criterion's (or the total's) score against the threshold."""

    DEFAULT_CSS = """
    ScoreBar { height: 1; width: 1fr; }
    """

    score: reactive[float] = reactive(0.0)
    """The score, 0–100. Set by the parent (attributes down)."""

    def __init__(
        self,
        label: str,
        threshold: float,
        *,
        label_width: int = 8,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create a bar; ``label_width`` aligns the bars of a panel."""
        super().__init__(id=id, classes=classes)
        self.label = label
        self.threshold = threshold
        self.label_width = label_width

    def render(self) -> RenderResult:
        """Draw the label, the bar and the score, fitted to the current width."""
        number = score_text(self.score, self.threshold).rjust(5)
        width = self.size.width - self.label_width - len(number) - 2
        label = self.label[: self.label_width].ljust(self.label_width)
        bar = bar_markup(self.score, self.threshold, width)
        return Content.from_markup(f"{escape(label)} {bar} [b]{number}[/b]")
