"""The result: the recommendation and its margin, each criterion with its reasons, the flips."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from advisor.models import Assessment
from advisor.tui.navigation import Navigate
from advisor.tui.widgets.bar import ScoreBar
from advisor.tui.widgets.bullets import Bullets
from advisor.wording import NAMES, flip_text, margin_phrase, total_text

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp

MAX_FLIPS = 5


def headline(a: Assessment, kind: str | None = None) -> str:
    """The verdict sentence of ``advisor.wording``, with the recommendation highlighted.

    ``kind``: the kind of the project opened with ``sm-advisor tui DIR``, shown beside it.
    """
    project = ""
    if kind is not None:
        fits = "still fits" if kind == a.recommendation else "no longer fits"
        project = f"  (this project: {NAMES[kind]}, which {fits})"
    return (
        f"Recommendation: [b $text-accent]{NAMES[a.recommendation]}[/]{project}\n"
        f"Total {total_text(a)} of 100, {margin_phrase(a)}."
    )


def flips_markup(a: Assessment) -> list[str]:
    """What would change the answer: the smallest single-answer changes, closest first."""
    if not a.flips:
        return ["No single answer change would flip the recommendation; it is not close."]
    lines = [escape(flip_text(f)) for f in a.flips[:MAX_FLIPS]]
    more = len(a.flips) - MAX_FLIPS
    if more > 0:
        lines.append(f"[$text-muted]… and {more} more[/]")
    return lines


class ResultScreen(Screen[None]):
    """Show why the current answers lead to the recommendation, then save or generate."""

    SUB_TITLE = "Result"
    PLACE = "result"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "app.save", "Save"),
        Binding("g", "generate", "Generate"),
        Binding("up", "scroll('up')", show=False),
        Binding("down", "scroll('down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
    ]

    app: AdvisorApp

    def compose(self) -> ComposeResult:
        """Headline, total bar, one block per criterion, flips, buttons."""
        a = self.app.current
        yield Header()
        with VerticalScroll(id="result-body"):
            kind = self.app.project[1].project.kind if self.app.project else None
            yield Static(headline(a, kind), id="headline")
            yield ScoreBar("Total", a.threshold, id="result-total")
            yield Static("[b]What would change the answer[/b]", classes="criterion-title")
            yield Bullets(flips_markup(a), id="flips")
            for c in a.criteria:
                met = "[$text-success]met[/]" if c.met else "[$text-muted]not met[/]"
                yield Static(f"[b]{escape(c.title)}[/b] ({met})", classes="criterion-title")
                yield ScoreBar("Score", a.threshold, id=f"result-{c.id}")
                yield Bullets((escape(r) for r in c.reasons), classes="reasons")
        with Horizontal(classes="buttons"):
            yield Button("Change answers", id="change", compact=True)
            yield Button("Save answers", id="save", compact=True)
            label = "Update project" if self.app.project else "Generate project"
            yield Button(label, id="generate", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Fill the bars (attributes down) and focus Generate, the natural next step."""
        a = self.app.current
        self.query_one("#result-total", ScoreBar).score = a.score
        for c in a.criteria:
            self.query_one(f"#result-{c.id}", ScoreBar).score = c.score
        self.query_one("#generate", Button).focus()

    def action_scroll(self, how: str) -> None:
        """Scroll the report with the arrow and page keys wherever the focus is."""
        getattr(self.query_one("#result-body", VerticalScroll), f"scroll_{how}")()

    @on(Button.Pressed, "#change")
    def _change(self) -> None:
        self.post_message(Navigate("questions"))

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.app.action_save()

    @on(Button.Pressed, "#generate")
    def action_generate(self) -> None:
        """Open the generate form (the update form for a project opened with ``tui DIR``)."""
        self.post_message(Navigate("generate"))
