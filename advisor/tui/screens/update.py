"""The last screen for a project opened with ``sm-advisor tui DIR``: update it in place.

It shows what ``sm-advisor update DIR --kind KIND --dry-run`` would do with the current answers
(each file's fate, and where the training code's regions go when the kind changes), recomputed
when the kind changes; **Update** writes it the way the command does.
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
from textual.widgets import Button, Footer, Header, Select, Static

from advisor.errors import ALL_ERRORS, USER_ERRORS, UserError
from advisor.wording import NAMES

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp
    from advisor.usecases import UpdatePlan


def plan_update(app: AdvisorApp, kind: str) -> UpdatePlan:
    """The update of the opened project to ``kind`` with the current answers (nothing written)."""
    from advisor import usecases
    from generators.update import Options

    assert app.project is not None
    target, manifest = app.project
    usecases.check_version(manifest, target)
    before = usecases.assess_project(target, manifest).assessment
    return usecases.plan_update(target, manifest, before, app.current, Options(kind=kind))


def update_markup(planned: UpdatePlan, directory: str) -> str:
    """The dry run: each file's fate, where the code goes, and the conflicts to expect."""
    from generators.merge import SNAPSHOT

    shown = [c for c in planned.changes if c.path != SNAPSHOT]
    spec = planned.spec
    if not shown:
        return f"{escape(directory)} already matches its {spec.kind} project: nothing to change."
    lines = [
        f"[b]Dry run[/b]: {len(shown)} changes make {escape(directory)} a {spec.kind} project "
        f"({spec.framework}, SDK {spec.sdk})"
    ]
    lines += [
        f"  {c.status:<9} {escape(c.path)}"
        + (f" [$text-muted]({escape(c.note)})[/]" if c.note else "")
        for c in shown
    ]
    if planned.carried:
        lines.append("\n[b]Your training code[/b]")
        lines += [f"  {escape(line)}" for line in planned.carried]
    conflicts = [c.path for c in shown if c.status == "conflict"]
    if conflicts:
        lines.append(
            f"\n[$text-warning]{len(conflicts)} file(s) will get conflict markers to resolve: "
            f"{escape(', '.join(conflicts))}[/]"
        )
    return "\n".join(lines)


class UpdateScreen(Screen[None]):
    """Choose the kind, preview the update of the opened project, and write it."""

    SUB_TITLE = "Update the project"
    PLACE = "generate"  # the journey's last form: generate, or update for an opened project
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    app: AdvisorApp

    def compose(self) -> ComposeResult:
        """Kind, dry-run preview, buttons."""
        assert self.app.project is not None
        target, manifest = self.app.project
        kind = self.app.current.recommendation
        yield Header()
        yield Static(
            f"Update {escape(str(target))} (now a {manifest.project.kind} project) with these "
            "answers, keeping your edits.",
            id="update-intro",
        )
        options = [(NAMES[k].capitalize(), k) for k in ("script", "pipeline")]
        yield Select(options, value=kind, allow_blank=False, id="update-kind")
        with VerticalScroll(id="update-body"):
            yield Static("Computing the update…", id="update-preview")
        with Horizontal(classes="buttons"):
            yield Button("Back", id="back", compact=True)
            yield Button("Update project", id="update-button", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Compute the first preview."""
        self._preview()

    @on(Select.Changed, "#update-kind")
    def _kind_changed(self) -> None:
        self._preview()

    def kind(self) -> str:
        """The kind chosen in the form."""
        return str(self.query_one("#update-kind", Select).value)

    @work(exclusive=True, group="preview")
    async def _preview(self) -> None:
        text = self.query_one("#update-preview", Static)
        try:
            planned = await asyncio.to_thread(plan_update, self.app, self.kind())
        except ALL_ERRORS as err:
            shown = err if isinstance(err, USER_ERRORS) else UserError(f"update failed: {err}")
            text.update(f"[$text-error]{escape(str(shown))}[/]")
            self.query_one("#update-button", Button).disabled = True
            return
        assert self.app.project is not None
        text.update(update_markup(planned, str(self.app.project[0])))
        self.query_one("#update-button", Button).disabled = False

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#update-button")
    def action_update(self) -> None:
        """Write the update, then say what was written."""
        button = self.query_one("#update-button", Button)
        if button.disabled:
            return
        button.disabled = True
        self.workers.cancel_group(self, "preview")
        self._update()

    @work(group="update")
    async def _update(self) -> None:
        from generators.update import apply

        text = self.query_one("#update-preview", Static)
        assert self.app.project is not None
        target = self.app.project[0]
        try:
            planned = await asyncio.to_thread(plan_update, self.app, self.kind())
            await asyncio.to_thread(apply, planned.changes, target)
        except ALL_ERRORS as err:
            text.update(f"[$text-error]{escape(str(err))}[/]")
            return
        self.app.mark_saved(generated=target)
        done = update_markup(planned, str(target)).replace("[b]Dry run[/b]", "[b]Updated[/b]", 1)
        text.update(done)
