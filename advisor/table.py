"""The Rich rendering of an assessment, for people at a terminal (fits 80 columns)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from advisor.models import Assessment
from advisor.questions import DEFAULT_MODEL
from advisor.wording import bar, flip_text, score_text, total_text, verdict

if TYPE_CHECKING:
    from rich.console import Console


def table_text(assessment: Assessment, estimated: Collection[str] = ()) -> str:
    """Return what ``print_table`` prints to standard output (styled for it, as rich detects)."""
    from rich.console import Console

    console = Console()
    with console.capture() as captured:
        print_table(assessment, console, estimated)
    return captured.get()


def print_table(
    assessment: Assessment, console: Console | None = None, estimated: Collection[str] = ()
) -> None:
    """Print the criteria with bars, the verdict, the reasons and the flips.

    ``estimated``: ids of measured answers that rest on an estimate (marked so, not measured).
    """
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title="sm-advisor assessment", title_justify="left")
    table.add_column("Criterion")
    table.add_column("Score", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("Met", justify="center")
    for c in assessment.criteria:
        colour = "green" if c.met else "yellow"
        score = score_text(c.score, assessment.threshold)
        table.add_row(c.title, score, f"[{colour}]{bar(c.score)}[/]", _met(c.met))
    table.add_section()
    table.add_row(
        "[bold]Total[/]", f"[bold]{total_text(assessment)}[/]", _threshold_bar(assessment)
    )
    console.print(table)
    style = "bold green" if assessment.recommendation == "pipeline" else "bold cyan"
    console.print(f"[{style}]{verdict(assessment)}[/]\n")
    for c in assessment.criteria:
        console.print(f"[bold]{c.title}[/]")
        for reason in c.reasons:
            console.print(f"  • {_mark(reason, assessment, estimated)}")
    console.print()
    if assessment.flips:
        console.print("[bold]What would change the answer[/]")
        for f in assessment.flips:
            console.print(f"  • {flip_text(f)} (total {score_text(f.score)})")
    else:
        console.print("No single answer change flips this recommendation.")
    if assessment.defaulted:
        labels = ", ".join(DEFAULT_MODEL.question(qid).label for qid in assessment.defaulted)
        console.print(f"[dim]Defaulted (not answered): {labels}[/]")


def _met(met: bool) -> str:
    return "[green]yes[/]" if met else "no"


def _threshold_bar(assessment: Assessment) -> str:
    marker = round(assessment.threshold / 100 * 20)
    text = bar(assessment.score)
    return f"{text[:marker]}[bold red]|[/]{text[marker:]}"


def _mark(reason: str, assessment: Assessment, estimated: Collection[str] = ()) -> str:
    """Mark reasons whose answer was measured from the AWS account (or estimated from it)."""
    measured = [qid for qid, src in assessment.sources.items() if src == "measured"]
    for qid in measured:
        if reason.startswith(DEFAULT_MODEL.question(qid).label + ":"):
            mark = "estimated" if qid in estimated else "measured"
            return f"{reason} [magenta]({mark})[/]"
    return reason
