"""Measure answers from the AWS account without leaving the TUI (``ctrl+g`` on the questions).

The modal asks for the S3 URI of the training data and, optionally, a profile and a region, then
runs ``advisor.evidence.gather`` in a worker thread so the screen keeps redrawing while S3 and
SageMaker are listed. It returns the ``Evidence`` (or None when cancelled); a failure stays in
the modal as the same one-line message the CLI prints, so the user can fix the URI and retry.
boto3 is imported by ``gather`` inside the worker, never by opening the app.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from advisor.errors import UserError
from advisor.evidence.aws import Progress
from advisor.questions import DEFAULT_MODEL

if TYPE_CHECKING:
    from advisor.evidence import Evidence

MEASURABLE = (
    "data_size_gb",
    "data_frequency",
    "tuning",
    "release_frequency",
    "models_in_production",
)
"""The questions ``advisor.evidence`` can measure, in questionnaire order."""


def intro() -> str:
    """What the dialog measures, by the questions' labels."""
    labels = [DEFAULT_MODEL.question(q).label.lower() for q in MEASURABLE]
    return (
        f"Measures {', '.join(labels[:-1])} and {labels[-1]} from S3 and the region's "
        "SageMaker history (read-only). Measured answers are marked; edit a field to override it."
    )


def failure_text(error: BaseException | None) -> str:
    """One line for the status area: the user-facing message, never a traceback."""
    if isinstance(error, UserError):
        return str(error)
    return f"measuring failed ({type(error).__name__}: {error}); check the URI and credentials."


class StatusProgress(Progress):
    """Listing progress for the modal's status line instead of stderr (which the TUI owns)."""

    def __init__(self, show: Callable[[str], object]) -> None:
        """Send each progress text to ``show`` (called from the worker thread)."""
        super().__init__(io.StringIO())
        self.show = show

    def update(self, pages: int, text: str) -> None:  # noqa: ARG002 (same signature)
        """Show the latest count: one listing page at a time is slow enough to follow."""
        self.show(f"Measuring: {text}…")

    def done(self) -> None:
        """Nothing to clear: the next update or the result replaces the line."""


class EvidenceScreen(ModalScreen["Evidence | None"]):
    """Ask where the data is, measure it in a thread, and return the evidence."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, uri: str = "", profile: str = "", region: str = "") -> None:
        """Pre-fill the inputs (with what was measured last time, for a retry)."""
        super().__init__()
        self.start = (uri, profile, region)
        self.busy = False

    def compose(self) -> ComposeResult:
        """Three inputs, a status line and the buttons."""
        uri, profile, region = self.start
        with Vertical(classes="dialog evidence-dialog"):
            yield Label("Measure from AWS", classes="dialog-title")
            yield Static(intro(), classes="muted")
            yield Label("Training data (S3 URI)", classes="field-label")
            yield Input(
                uri, placeholder="s3://bucket/training-data/", id="evidence-uri", compact=True
            )
            yield Label("AWS profile (optional)", classes="field-label")
            yield Input(profile, placeholder="default", id="evidence-profile", compact=True)
            yield Label("AWS region (optional)", classes="field-label")
            yield Input(region, placeholder="the profile's", id="evidence-region", compact=True)
            yield Static("", id="evidence-status", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Measure", id="measure", variant="primary", compact=True)

    def on_mount(self) -> None:
        """Start in the URI field."""
        self.query_one("#evidence-uri", Input).focus()

    @property
    def status(self) -> str:
        """The text of the status line (progress or the error)."""
        return str(self.query_one("#evidence-status", Static).content)

    def _say(self, text: str, error: bool = False) -> None:
        if not self.is_attached:  # cancelled while the listing went on
            return
        status = self.query_one("#evidence-status", Static)
        status.update(text)
        status.set_class(error, "error-text")

    def _value(self, widget_id: str) -> str | None:
        return self.query_one(f"#{widget_id}", Input).value.strip() or None

    @on(Input.Submitted)
    @on(Button.Pressed, "#measure")
    def action_measure(self) -> None:
        """Measure in a worker thread; ignore a second press while one runs."""
        uri = self._value("evidence-uri")
        if not uri:
            self._say("enter the S3 URI of the training data, e.g. s3://bucket/data/.", True)
            return
        if self.busy:
            return
        self.busy = True
        self.query_one("#measure", Button).disabled = True
        self._say(f"Measuring {uri}: listing objects and SageMaker history…")
        profile, region = self._value("evidence-profile"), self._value("evidence-region")

        def measure() -> Evidence:
            from advisor.evidence import gather

            progress = StatusProgress(lambda text: self.app.call_from_thread(self._say, text))
            return gather(uri, profile=profile, region=region, progress=progress)

        self.run_worker(measure, thread=True, exit_on_error=False, group="evidence")

    @on(Worker.StateChanged)
    def _measured(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS:
            self.dismiss(worker.result)
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.busy = False
            self.query_one("#measure", Button).disabled = False
            self._say(failure_text(worker.error), error=True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without measuring (a running listing is left to finish and ignored)."""
        self.dismiss(None)
