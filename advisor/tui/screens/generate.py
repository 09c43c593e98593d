"""The generate form: where, what name, which framework and kind, with a live dry-run preview.

Every change re-runs the dry run (spec → plan → target check, nothing written) in a worker, so
the file tree on the right always shows what Generate would write, and problems (a non-empty
directory, an unusable name) appear under the field they concern before anything is written.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)

from advisor.errors import ALL_ERRORS, USER_ERRORS, UserError
from advisor.tui.navigation import Navigate
from advisor.tui.project_form import (
    Prepared,
    ProjectForm,
    check,
    field_of,
    generate,
    prepare,
)
from advisor.tui.widgets.tick import Tick
from generators.next_steps import tree
from generators.spec import FRAMEWORKS, KINDS, SDKS

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp

DEFAULT_DIRECTORY = "ml-project"
FORCE_LABEL = "Overwrite generated files"
PREVIEW_DELAY = 0.15  # seconds of quiet typing before the dry run reruns


def preview_markup(prepared: Prepared) -> str:
    """The dry run's summary and file tree."""
    spec = prepared.spec
    lines = [
        f"[b]Dry run[/b]: {len(prepared.files)} files, a {spec.kind} project "
        f"({spec.framework}, SDK {spec.sdk}) named {escape(spec.name)}",
        escape(tree(sorted(prepared.files))),
    ]
    lines += [
        f"[$text-muted]extra {e}: {escape(spec.extra_reasons.get(e, ''))}[/]" for e in spec.extras
    ]
    return "\n".join(lines)


def as_user_error(err: Exception) -> Exception:
    """Show any advisor error in the form; one that is not the user's says it failed."""
    return err if isinstance(err, USER_ERRORS) else UserError(f"generation failed: {err}")


class GenerateScreen(Screen[None]):
    """Choose the project's options, preview its files, and generate it."""

    SUB_TITLE = "Generate"
    PLACE = "generate"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+g", "generate", "Generate"),
    ]

    app: AdvisorApp

    def compose(self) -> ComposeResult:
        """The form on the left, the preview on the right, progress and buttons below."""
        rec = self.app.current.recommendation
        kinds = [(f"{k} (recommended)" if k == rec else k, k) for k in KINDS]
        last: ProjectForm | None = self.app.project_form
        form = last or ProjectForm(DEFAULT_DIRECTORY, kind=rec)
        yield Header()
        with Horizontal(id="generate-body"):
            with VerticalScroll(id="project-form"):
                yield Label("Directory", classes="field-label")
                yield Input(form.directory, id="directory", compact=True)
                yield Label("", id="directory-error", classes="error")
                yield Tick(FORCE_LABEL, form.force, id="force", compact=True)
                yield Label("Project name", classes="field-label")
                yield Input(form.name, placeholder="the directory's name", id="name", compact=True)
                yield Label("", id="name-error", classes="error")
                yield Label("Kind", classes="field-label")
                yield Select(kinds, value=form.kind, allow_blank=False, compact=True, id="kind")
                yield Label("Framework", classes="field-label")
                yield Select.from_values(
                    FRAMEWORKS,
                    value=form.framework,
                    allow_blank=False,
                    compact=True,
                    id="framework",
                )
                yield Label("SageMaker SDK", classes="field-label")
                yield Select.from_values(
                    SDKS, value=form.sdk, allow_blank=False, compact=True, id="sdk"
                )
                yield Label("", id="form-error", classes="error")
            with VerticalScroll(id="preview"):
                yield Static("", id="preview-text")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=3, show_eta=False, id="progress")
            yield Label("", id="progress-label")
        with Horizontal(classes="buttons"):
            yield Button("Back", id="back", compact=True)
            yield Button("Generate", id="generate-button", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Preview the defaults and put the cursor in the directory field."""
        self.query_one("#progress-row").display = False
        self.query_one("#directory", Input).focus()
        self.refresh_preview()

    def form(self) -> ProjectForm:
        """Read the form's current values."""
        return ProjectForm(
            directory=self.query_one("#directory", Input).value,
            name=self.query_one("#name", Input).value,
            kind=str(self.query_one("#kind", Select).value),
            framework=str(self.query_one("#framework", Select).value),
            sdk=str(self.query_one("#sdk", Select).value),
            force=self.query_one("#force", Tick).value,
        )

    def show_error(self, error: Exception | None) -> None:
        """Put ``error`` under its field and clear the others."""
        where = field_of(error) if error else ""
        where = "directory" if where == "force" else where  # its line sits above the box
        for field in ("directory", "name", "form"):
            text = str(error) if error and field == where else ""
            self.query_one(f"#{field}-error", Label).update(text)
            self.query_one(f"#{field}-error").set_class(bool(text), "-shown")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Tick.Changed)
    def refresh_preview(self) -> None:
        """Keep the form's values in the app (for the next visit) and rerun the dry run."""
        self.app.project_form = form = self.form()
        self._dry_run(form)

    @work(exclusive=True, group="preview")
    async def _dry_run(self, form: ProjectForm) -> None:
        await asyncio.sleep(PREVIEW_DELAY)
        text = self.query_one("#preview-text", Static)
        try:
            prepared = await asyncio.to_thread(prepare, form, self.app.current)
        except ALL_ERRORS as err:  # a template that fails to render is shown, not raised
            self.show_error(as_user_error(err))
            text.update("[$text-muted]Fix the form to see the files that would be written.[/]")
            return
        text.update(preview_markup(prepared))
        try:
            await asyncio.to_thread(check, prepared)
        except USER_ERRORS as err:
            self.show_error(err)
            return
        self.show_error(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#generate-button")
    def action_generate(self) -> None:
        """Generate the project, with progress, then show what was written."""
        if self.query_one("#generate-button", Button).disabled:
            return  # already generating
        self.workers.cancel_group(self, "preview")
        self._generate(self.form())

    def _say_why(self, error: Exception) -> None:
        """Say why nothing was generated, and put the cursor where the fix is."""
        where = field_of(error)
        target = {"directory": "#directory", "name": "#name", "force": "#directory"}.get(where)
        if target:
            self.query_one(target).focus()
        self.notify(str(error), title="Not generated", severity="error")

    @work(group="generate")
    async def _generate(self, form: ProjectForm) -> None:
        bar, label = self.query_one(ProgressBar), self.query_one("#progress-label", Label)
        self.query_one("#progress-row").display = True
        self.query_one("#generate-button", Button).disabled = True
        bar.update(progress=0)
        try:
            label.update("Rendering the templates…")
            prepared = await asyncio.to_thread(prepare, form, self.app.current)
            await asyncio.to_thread(check, prepared)
            bar.advance(1)
            label.update(f"Writing {len(prepared.files)} files…")
            result = await asyncio.to_thread(generate, prepared)
            bar.advance(1)
        except ALL_ERRORS as err:
            self._failed(err)
            return
        bar.advance(1)
        label.update("Done.")
        self.app.mark_saved(generated=result.target)
        done = Navigate("done", data=(prepared, result))
        self.app.when_on_top(self, lambda: self.post_message(done))

    def _failed(self, err: Exception) -> None:
        self.query_one("#progress-row").display = False
        self.query_one("#generate-button", Button).disabled = False
        error = as_user_error(err)
        self.show_error(error)
        self._say_why(error)
