"""The last screen: what was written where, and the first commands to run."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from advisor.tui.project_form import Prepared
from generators import WriteResult
from generators.next_steps import next_steps, tree

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp


def done_markup(prepared: Prepared, result: WriteResult) -> str:
    """The same report as ``sm-advisor new``: tree, extras, next steps."""
    spec, directory = prepared.spec, prepared.form.directory.strip()
    counts = f"{len(result.created)} files"
    if result.overwritten or result.unchanged:
        counts = (
            f"{len(result.created)} created, {len(result.overwritten)} overwritten, "
            f"{len(result.unchanged)} unchanged"
        )
    lines = [
        f"[b $text-success]Wrote a {spec.kind} project[/] ({spec.framework}, SDK {spec.sdk}) "
        f"in {escape(directory)}: {counts}.",
        "\n[b]Next steps[/b]",
        *(f"  [$text-accent]{escape(step)}[/]" for step in next_steps(spec, directory)),
        "\n[b]Files[/b]",
        escape(tree(sorted(prepared.files))),
    ]
    lines += [f"  extra '{e}': {escape(spec.extra_reasons.get(e, ''))}" for e in spec.extras]
    lines.append(
        "\n[$text-muted]The answers are kept in .sm-advisor.yaml in the project; "
        "'sm-advisor --answers' reads that file.[/]"
    )
    return "\n".join(lines)


class DoneScreen(Screen[None]):
    """Show the generated tree and the next steps; quit or go back to the result."""

    SUB_TITLE = "Done"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("up", "scroll('up')", show=False),
        Binding("down", "scroll('down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
    ]

    app: AdvisorApp

    def __init__(self, prepared: Prepared, result: WriteResult) -> None:
        """Report on ``result``, the writing of ``prepared``."""
        super().__init__()
        self.prepared = prepared
        self.result = result

    def compose(self) -> ComposeResult:
        """The report and two buttons."""
        yield Header()
        with VerticalScroll(id="done-body"):
            yield Static(done_markup(self.prepared, self.result), id="done-text")
        with Horizontal(classes="buttons"):
            yield Button("Back to the result", id="back", compact=True)
            yield Button("Quit", id="quit", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        """Focus Quit: the journey is over."""
        self.query_one("#quit", Button).focus()

    def action_scroll(self, how: str) -> None:
        """Scroll the report with the arrow and page keys wherever the focus is."""
        getattr(self.query_one("#done-body", VerticalScroll), f"scroll_{how}")()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit(self.app.outcome())
