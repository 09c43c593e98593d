"""The live score panel: one bar per criterion, the total against the threshold, the verdict.

It only displays: the screen that owns it sets ``assessment`` (attributes down) after every valid
change, and the panel redraws its children from it. It never scores anything itself.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from advisor.models import Assessment
from advisor.questions import CRITERIA, DEFAULT_MODEL
from advisor.tui.widgets.bar import ScoreBar


def verdict(assessment: Assessment) -> str:
    """Say the recommendation and its margin in a few words (markup)."""
    side = "above" if assessment.score >= assessment.threshold else "below"
    name = "SageMaker Pipeline" if assessment.recommendation == "pipeline" else "single script"
    return (
        f"→ [b $text-accent]{name}[/]\n"
        f"[$text-muted]{assessment.margin:.1f} {side} {assessment.threshold:g}[/]"
    )


class ScorePanel(Vertical):
    """Bars for the four criteria and the total, and the current recommendation."""

    DEFAULT_CSS = """
    ScorePanel { height: auto; }
    ScorePanel > .panel-title { text-style: bold; }
    ScorePanel > #total { margin-top: 1; }
    ScorePanel > #verdict { margin-top: 1; height: auto; }
    """

    assessment: reactive[Assessment | None] = reactive(None)
    """The assessment to show. Set by the owning screen."""

    def compose(self) -> ComposeResult:
        """One bar per criterion (from the questionnaire definition), the total, the verdict."""
        threshold = DEFAULT_MODEL.met_at
        yield Label("Live score", classes="panel-title")
        for c in CRITERIA:
            yield ScoreBar(c.id, threshold, id=f"bar-{c.id}")
        yield ScoreBar("Total", DEFAULT_MODEL.threshold, id="total")
        yield Static("", id="verdict")

    def watch_assessment(self, assessment: Assessment | None) -> None:
        """Push the new scores down to the bars and rewrite the verdict."""
        if assessment is None or not self.is_mounted:
            return
        for c in assessment.criteria:
            self.query_one(f"#bar-{c.id}", ScoreBar).score = c.score
        self.query_one("#total", ScoreBar).score = assessment.score
        self.query_one("#verdict", Static).update(verdict(assessment))

    def on_mount(self) -> None:
        """Draw whatever assessment was set before the panel was mounted."""
        self.watch_assessment(self.assessment)
