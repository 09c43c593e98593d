"""The live score panel: one bar per criterion, the total against the threshold, the verdict.

It only displays: the screen that owns it sets ``assessment`` (attributes down) after every valid
change, and the panel redraws its children from it. It never scores anything itself. While an
answer is rejected the screen sets ``stale`` to that question's label: the panel then dims and
says the score is the last valid one, so nobody reads an old number as current.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Label, Static

from advisor.models import Assessment
from advisor.questions import CRITERIA, DEFAULT_MODEL
from advisor.tui.widgets.bar import ScoreBar
from advisor.wording import SHORT_NAMES, margin_text

STALE = "stale"
"""The panel title's marker while an answer is rejected."""


def verdict_markup(assessment: Assessment) -> str:
    """The recommendation and its margin in a few words (markup), from ``advisor.wording``."""
    name = SHORT_NAMES[assessment.recommendation]
    return f"→ [b $text-accent]{name}[/]\n[$text-muted]{margin_text(assessment)}[/]"


def stale_markup(label: str) -> str:
    """What the panel says instead of the verdict while ``label``'s answer is rejected."""
    return f"[$text-warning]Score not updated: fix {escape(label)} first.[/]"


class ScorePanel(Vertical):
    """Bars for the four criteria and the total, and the current recommendation."""

    DEFAULT_CSS = """
    ScorePanel { height: auto; }
    ScorePanel > .panel-title { text-style: bold; }
    ScorePanel > #total { margin-top: 1; }
    ScorePanel > #verdict { margin-top: 1; height: auto; }
    ScorePanel.-stale ScoreBar { opacity: 50%; }
    """

    assessment: reactive[Assessment | None] = reactive(None)
    """The assessment to show. Set by the owning screen."""
    stale: reactive[str | None] = reactive(None)
    """The label of a rejected answer, while there is one (the score shown is the last valid)."""

    def compose(self) -> ComposeResult:
        """One bar per criterion (from the questionnaire definition), the total, the verdict."""
        threshold = DEFAULT_MODEL.met_at
        yield Label("Live score", classes="panel-title", id="panel-title")
        for c in CRITERIA:
            yield ScoreBar(c.short, threshold, id=f"bar-{c.id}")
        yield ScoreBar("Total", DEFAULT_MODEL.threshold, id="total")
        yield Static("", id="verdict")

    def watch_assessment(self, assessment: Assessment | None) -> None:
        """Push the new scores down to the bars and rewrite the verdict."""
        if assessment is None or not self.is_mounted:
            return
        for c in assessment.criteria:
            self.query_one(f"#bar-{c.id}", ScoreBar).score = c.score
        self.query_one("#total", ScoreBar).score = assessment.score
        self._show_verdict()

    def watch_stale(self) -> None:
        """Dim the bars and replace the verdict while an answer is rejected."""
        if self.is_mounted:
            self._show_verdict()

    def _show_verdict(self) -> None:
        self.set_class(self.stale is not None, "-stale")
        title = "Live score" + (f" ({STALE})" if self.stale else "")
        self.query_one("#panel-title", Label).update(title)
        text = self.query_one("#verdict", Static)
        if self.stale is not None:
            text.update(stale_markup(self.stale))
        elif self.assessment is not None:
            text.update(verdict_markup(self.assessment))

    def on_mount(self) -> None:
        """Draw whatever assessment was set before the panel was mounted."""
        self.watch_assessment(self.assessment)
