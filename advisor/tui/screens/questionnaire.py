"""The questionnaire: a tab per criterion, a field per question, help and a live score beside it.

Everything is generated from ``advisor.questions``. Fields report changes up; valid values go to
``app.set_answer`` and the app's new assessment comes back down to the score panel. A field whose
text is rejected keeps its error on screen and blocks "Next" and "Result" until it is fixed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static, TabbedContent, TabPane

from advisor.models import Assessment
from advisor.questions import CRITERIA, DEFAULT_MODEL, Question
from advisor.tui.navigation import Navigate
from advisor.tui.widgets.question import QuestionField
from advisor.tui.widgets.score_panel import ScorePanel

if TYPE_CHECKING:
    from advisor.evidence import Evidence
    from advisor.tui.app import AdvisorApp

SECTION_IDS = tuple(f"sec-{c.id}" for c in CRITERIA)
CHANGED, INVALID = " •", " ✗"
"""Tab suffixes: a section with answers changed since loading, or with a rejected answer."""


def tab_label(short: str, changed: bool, invalid: bool) -> str:
    """A section's tab: its name, marked when an answer is rejected or changed."""
    return short + (INVALID if invalid else CHANGED if changed else "")


def help_markup(q: Question) -> str:
    """The help box text for one question: why it matters and what is accepted."""
    return (
        f"[b]{escape(q.label)}[/b]: {escape(q.help)}\n"
        f"[$text-muted]Accepts {escape(q.accepted())}; default {escape(q.display(q.default))}.[/]"
    )


class QuestionnaireScreen(Screen[None]):
    """Answer the questions section by section while the score follows."""

    SUB_TITLE = "Questions"
    PLACE = "questions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "welcome", "Back"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+b", "previous", "Prev", show=False),
        Binding("ctrl+r", "result", "Result"),
        Binding("ctrl+s", "app.save", "Save"),
        Binding("ctrl+g", "measure", "Measure from AWS", show=False),
    ]

    app: AdvisorApp

    def __init__(self, section: str | None = None) -> None:
        """Open on ``section`` (a ``sec-…`` id), or on the first."""
        super().__init__()
        self.start_section = section or SECTION_IDS[0]

    def compose(self) -> ComposeResult:
        """Tabs of fields and the help box on the left, the score panel on the right."""
        yield Header()
        with Horizontal(id="questionnaire-body"):
            with Vertical(id="form-column"):
                with TabbedContent(id="sections"):
                    for c in CRITERIA:
                        pane = TabPane(c.short, id=f"sec-{c.id}")
                        with pane, VerticalScroll(classes="section"):
                            yield Static(escape(c.title), classes="section-intro")
                            for q in DEFAULT_MODEL.questions_for(c.id):
                                yield QuestionField(q, self.app.answers[q.id])
                with Horizontal(classes="buttons"):
                    back = Button("Back", id="back", compact=True)
                    back.can_focus = False  # so tab and enter from the last field reach Next
                    yield back
                    yield Button("Next", id="next", variant="primary", compact=True)
            with Vertical(id="side"):
                yield ScorePanel(id="score")
                yield Static("", id="help")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Follow the app's assessment and start on the first question."""
        self.watch(self.app, "assessment", self._show_assessment)
        self._mark_measured()
        self.show_section(self.start_section)

    def show_section(self, section: str | None) -> None:
        """Show ``section`` (or stay) and focus its first field."""
        self._go(section or self.section)

    def show_answers(self) -> None:
        """Put the app's answers into every field (after loading a file)."""
        for f in self.fields():
            f.show_value(self.app.answers[f.question.id])
        self._mark_measured()

    def _mark_measured(self) -> None:
        for f in self.fields():
            m = self.app.measured.get(f.question.id)
            f.mark_measured(m.basis if m else None, m.estimated if m else False)

    def action_measure(self) -> None:
        """Open the "Measure from AWS" modal; fill the measured answers into the fields."""
        from advisor.tui.screens.evidence import EvidenceScreen

        def measured(evidence: Evidence | None) -> None:
            if evidence is None:
                return
            found = self.app.apply_evidence(evidence)
            for f in self.fields():
                if f.question.id in found:
                    f.show_value(self.app.answers[f.question.id])
            self._mark_measured()
            names = ", ".join(DEFAULT_MODEL.question(q).label for q in found) or "nothing"
            self.notify(f"Measured {names} from {evidence.s3.uri}.", title="Measured")

        self.app.push_screen(EvidenceScreen(self.app.evidence_uri), measured)

    def _show_assessment(self, assessment: Assessment | None) -> None:
        self.query_one(ScorePanel).assessment = assessment
        self._update_tabs()

    def _update_tabs(self) -> None:
        tabs = self.query_one(TabbedContent)
        for c in CRITERIA:
            fields = self.fields(f"sec-{c.id}")
            changed = any(
                self.app.answers[f.question.id] != self.app.baseline[f.question.id] for f in fields
            )
            invalid = any(f.error for f in fields)
            tabs.get_tab(f"sec-{c.id}").label = tab_label(c.short, changed, invalid)

    def fields(self, section: str | None = None) -> list[QuestionField]:
        """The question fields of one section (or of all sections), in order."""
        root = self.query_one(f"#{section}") if section else self
        return list(root.query(QuestionField))

    @property
    def section(self) -> str:
        """The id of the section on show."""
        return self.query_one(TabbedContent).active

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Show the help of the question that just got focus."""
        for node in event.widget.ancestors_with_self:
            if isinstance(node, QuestionField):
                self.query_one("#help", Static).update(help_markup(node.question))
                return

    @on(QuestionField.Changed)
    def _changed(self, event: QuestionField.Changed) -> None:
        event.stop()
        if event.value is not None:
            self.app.set_answer(event.field.question.id, event.value)
            if event.field.question.id not in self.app.measured:
                event.field.mark_measured(None)
        self._update_next()
        self._update_tabs()
        bad = next((f for f in self.fields() if f.error), None)
        self.query_one(ScorePanel).stale = bad.question.label if bad else None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a number field moves on (to Next after a section's last field)."""
        if event.validation_result is not None and not event.validation_result.is_valid:
            return
        fields = self.fields(self.section)
        if fields and event.input is fields[-1].control:
            self.query_one("#next", Button).focus()
        else:
            self.focus_next()

    @on(TabbedContent.TabActivated)
    def _update_next(self) -> None:
        """Label Next "Result" on the last section; disable it while this section has an error."""
        button = self.query_one("#next", Button)
        button.label = "Result" if self.section == SECTION_IDS[-1] else "Next"
        button.disabled = any(f.error for f in self.fields(self.section))

    def first_invalid(self, section: str | None = None) -> QuestionField | None:
        """Show and focus the first rejected answer (of ``section`` or anywhere), saying why."""
        bad = [f for f in self.fields(section) if f.error]
        if not bad:
            return None
        field = bad[0]
        self.query_one(TabbedContent).active = f"sec-{field.question.criterion}"
        field.control.focus()
        self.notify(field.error or "", title="Fix this answer first", severity="error")
        return field

    def _go(self, section: str) -> None:
        self.query_one(TabbedContent).active = section
        first = self.fields(section)[0]
        first.control.focus()
        # Say it now rather than when the focus event arrives: the help follows the section.
        self.query_one("#help", Static).update(help_markup(first.question))

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        """Go to the next section (or the result from the last), unless an answer is rejected."""
        if self.first_invalid(self.section):
            return
        index = SECTION_IDS.index(self.section)
        if index == len(SECTION_IDS) - 1:
            self.action_result()
        else:
            self._go(SECTION_IDS[index + 1])

    def action_welcome(self) -> None:
        """Back to the welcome screen."""
        self.post_message(Navigate("welcome"))

    def action_previous(self) -> None:
        """Go to the previous section."""
        index = SECTION_IDS.index(self.section)
        if index > 0:
            self._go(SECTION_IDS[index - 1])

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        """Back to the previous section, or to the welcome screen from the first."""
        if self.section == SECTION_IDS[0]:
            self.post_message(Navigate("welcome"))
        else:
            self.action_previous()

    def action_result(self) -> None:
        """Show the result (the app sends the user back here first if an answer is rejected)."""
        self.post_message(Navigate("result"))
