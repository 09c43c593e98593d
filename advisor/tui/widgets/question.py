"""One question of the questionnaire as a form field, built from its ``Question`` definition.

The widget follows the question's kind: a Select for choices, a Switch for yes/no, a validated
Input for numbers. Numbers are checked by the same ``coerce`` that validates flags and answers
files, and a rejection reads exactly like the CLI's (``collect.field_message``). Every change is
reported up as ``QuestionField.Changed``; the field never touches the answers itself.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Switch

from advisor.questions import Question, Value
from advisor.validate import coerce, field_message

MEASURED = " (measured)"
"""Suffix of the prompt of an answer measured from AWS (``ctrl+g``)."""
ESTIMATED = " (estimated)"
"""Suffix instead when the measurement rests on an estimate (a listing stopped early)."""


def format_number(value: Value) -> str:
    """Show a number without a useless ``.0`` (``1.0`` → ``1``), as the CLI does."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check(question: Question, text: str) -> tuple[Value | None, str | None]:
    """Return ``(value, None)`` when ``text`` is accepted, else ``(None, message)``."""
    try:
        return coerce(question, text, text=True), None
    except (ValueError, TypeError, OverflowError):
        return None, field_message(question.id, text, "tui")


class AnswerValidator(Validator):
    """Textual validator that defers to the questionnaire's own rules for one question."""

    def __init__(self, question: Question) -> None:
        """Validate answers to ``question``."""
        super().__init__()
        self.question = question

    def validate(self, value: str) -> ValidationResult:
        """Accept exactly what ``advisor.validate.coerce`` accepts."""
        _, error = check(self.question, value)
        return self.success() if error is None else self.failure(error)


class QuestionField(Vertical):
    """A question's prompt, its input widget and, when the value is rejected, the reason."""

    class Changed(Message):
        """The field's value changed: ``value`` is set when accepted, ``error`` when not."""

        def __init__(self, field: QuestionField, value: Value | None, error: str | None) -> None:
            """Carry the field, its new value (or None) and the rejection message (or None)."""
            super().__init__()
            self.field = field
            self.value = value
            self.error = error

        @property
        def control(self) -> QuestionField:
            """The field that changed (for ``@on`` selectors)."""
            return self.field

    error: reactive[str | None] = reactive(None)
    """Why the current text is rejected, or None when it is accepted."""

    def __init__(self, question: Question, value: Value) -> None:
        """Build the field for ``question`` showing ``value``."""
        super().__init__(id=f"field-{question.id}", classes=f"question -{question.kind}")
        self.question = question
        self.value: Value | None = value

    def compose(self) -> ComposeResult:
        """The prompt, the control (and unit), and an error line hidden until needed."""
        yield Label(self.question.prompt, classes="prompt")
        with Horizontal(classes="control-row"):
            yield self._control()
            if self.question.unit:
                yield Label(self.question.unit, classes="unit")
            if self.question.kind == "bool":
                yield Label(self._bool_label(bool(self.value)), classes="unit", id="bool-label")
        yield Label("", classes="error")

    def _control(self) -> Widget:
        q, control_id = self.question, f"q-{self.question.id}"
        if q.kind == "choice":
            options = [(c.label, c.value) for c in q.choices]
            return Select(options, value=self.value, allow_blank=False, compact=True, id=control_id)
        if q.kind == "bool":
            return Switch(value=bool(self.value), id=control_id)
        return Input(
            format_number(self.value if self.value is not None else q.default),
            placeholder=q.accepted(),
            validators=[AnswerValidator(q)],
            compact=True,
            id=control_id,
        )

    def _bool_label(self, value: bool) -> str:
        return next((c.label for c in self.question.choices if c.value == value), str(value))

    @property
    def control(self) -> Widget:
        """The input widget (Select, Switch or Input)."""
        return self.query_one(f"#q-{self.question.id}")

    def show_value(self, value: Value) -> None:
        """Put ``value`` in the control (the control then reports it as a change)."""
        control = self.control
        if isinstance(control, Select):
            control.value = value
        elif isinstance(control, Switch):
            control.value = bool(value)
        elif isinstance(control, Input):
            control.value = format_number(value)

    def mark_measured(self, basis: str | None, estimated: bool = False) -> None:
        """Suffix the prompt with "(measured)" or "(estimated)" and explain why on hover."""
        prompt = self.query_one(".prompt", Label)
        mark = (ESTIMATED if estimated else MEASURED) if basis else ""
        prompt.update(self.question.prompt + mark)
        prompt.tooltip = (
            f"{'Estimated' if estimated else 'Measured'} from AWS: {basis}" if basis else None
        )
        self.set_class(basis is not None, "-measured")

    def watch_error(self, error: str | None) -> None:
        """Show or hide the inline error and flag the field as invalid."""
        self.set_class(error is not None, "-invalid")
        self.query_one(".error", Label).update(error or "")

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        value, error = check(self.question, event.value)
        self._report(value, error)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self._report(event.value, None)

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.query_one("#bool-label", Label).update(self._bool_label(event.value))
        self._report(event.value, None)

    def _report(self, value: Value | None, error: str | None) -> None:
        self.value, self.error = value, error
        self.post_message(self.Changed(self, value, error))
