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

from advisor.tui.navigation import Navigate
from advisor.tui.project_form import Prepared
from generators import WriteResult
from generators.next_steps import next_steps, tree

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp


CONTINUATION = " \\"


def shell_lines(command: str, width: int) -> list[str]:
    """Break a long shell command between words with backslash continuations, never inside one.

    The pieces still paste into a shell as one command; a word longer than ``width`` stays whole.
    """
    words, lines, line = command.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) + len(CONTINUATION) > width:
            lines.append(line + CONTINUATION)
            line = "    " + word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def command_markup(line: str) -> str:
    """One line of a command in the accent colour; a trailing continuation stays outside.

    (A backslash right before the closing tag would escape it in content markup.)
    """
    body = line.removesuffix(CONTINUATION)
    tail = CONTINUATION if body != line else ""
    return f"  [$text-accent]{escape(body)}[/]{tail}"


def done_markup(prepared: Prepared, result: WriteResult, width: int = 76) -> str:
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
        *(
            command_markup(line)
            for step in next_steps(spec, directory)
            for line in shell_lines(step, width - 2)
        ),
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
    PLACE = "done"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "result", "Back"),
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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Focus Quit: the journey is over."""
        self.query_one("#quit", Button).focus()

    def on_resize(self) -> None:
        """Re-break the commands for the new width (they never wrap inside a word)."""
        width = self.query_one("#done-body").scrollable_content_region.width
        text = done_markup(self.prepared, self.result, max(width, 40))
        self.query_one("#done-text", Static).update(text)

    def action_scroll(self, how: str) -> None:
        """Scroll the report with the arrow and page keys wherever the focus is."""
        getattr(self.query_one("#done-body", VerticalScroll), f"scroll_{how}")()

    @on(Button.Pressed, "#back")
    def action_result(self) -> None:
        """Back to the result (the generate form behind it keeps its values)."""
        self.post_message(Navigate("result"))

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit(self.app.outcome())
