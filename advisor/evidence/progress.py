"""Progress of a long listing, as users expect it: a bar on a terminal, a line now and then in logs.

``show`` turns a listing ``Tick`` into whatever the progress object draws: ``BarProgress`` (a
Rich bar on stderr with objects/s, bytes so far and the budget left; rich is imported only
here, only on a terminal), or any ``aws.Progress`` (a live line on a terminal, one line every
``every`` pages off one; the TUI's status line).
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from advisor.evidence.aws import Progress
from advisor.evidence.listing import Listing, Tick
from advisor.evidence.render import size


def describe(tick: Tick, uri: str) -> str:
    """One line: how much was listed, how fast, and how much of the budget is left."""
    rate = tick.objects / tick.elapsed if tick.elapsed > 0 else 0.0
    text = (
        f"listed {tick.objects:,} objects ({size(tick.bytes)}) in {uri}, "
        f"{rate:,.0f} objects/s, {tick.units_done:,}/{tick.units_known:,} prefixes"
    )
    if tick.budget is not None:
        text += f", {max(0.0, tick.budget - tick.elapsed):.0f} s of the budget left"
    return text


def show(progress: Progress, tick: Tick, uri: str) -> None:
    """Hand a tick to ``progress``: the bar if it draws one, else one line of text."""
    if isinstance(progress, BarProgress):
        progress.tick(tick, uri)
    else:
        progress.update(tick.requests, describe(tick, uri))


def report_stop(progress: Progress, listing: Listing) -> None:
    """Say on stderr that the answers rest on a partial listing (nothing if it finished)."""
    if listing.stopped is None or listing.timeline.count == 0:
        return
    why = (
        "interrupted"
        if listing.stopped == "interrupted"
        else f"the {listing.budget:g} s budget ran out (--evidence-budget)"
    )
    progress.stream.write(
        f"sm-advisor: {why} after {listing.timeline.count:,} objects; the data answers are "
        "estimated from what was listed.\n"
    )
    progress.stream.flush()


def default_progress(stream: TextIO | None = None) -> Progress:
    """A bar on a terminal, lines otherwise."""
    stream = stream if stream is not None else sys.stderr
    if bool(getattr(stream, "isatty", lambda: False)()):
        return BarProgress(stream)
    return Progress(stream)


class BarProgress(Progress):
    """A Rich progress bar for listings (sub-prefixes done of known), a live line otherwise."""

    def __init__(self, stream: TextIO | None = None) -> None:
        """Draw on ``stream`` (default stderr); the bar starts with the first tick."""
        super().__init__(stream)
        self.bar: Any = None
        self.task: Any = None

    def tick(self, tick: Tick, uri: str) -> None:
        """Move the bar: prefixes done of known, objects, bytes, objects/s, budget left."""
        if self.bar is None:
            self._start(uri)
        rate = tick.objects / tick.elapsed if tick.elapsed > 0 else 0.0
        left = "" if tick.budget is None else f"{max(0.0, tick.budget - tick.elapsed):.0f} s left"
        self.bar.update(
            self.task,
            completed=tick.units_done,
            total=max(tick.units_known, 1),
            objects=f"{tick.objects:,} objects",
            size=size(tick.bytes),
            rate=f"{rate:,.0f}/s",
            left=left,
        )

    def _start(self, uri: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
        from rich.progress import Progress as Bar

        console = Console(file=self.stream, stderr=self.stream is sys.stderr)
        self.bar = Bar(
            TextColumn("[bold]listing[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("prefixes  {task.fields[objects]}  {task.fields[size]}"),
            TextColumn("{task.fields[rate]}  [dim]{task.fields[left]}[/]"),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task(uri, total=1, objects="", size="", rate="", left="")
        self.bar.start()

    def done(self) -> None:
        """Remove the bar (transient), or end the live line."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        super().done()
