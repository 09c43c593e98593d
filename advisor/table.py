"""The Rich table rendering of an assessment, for people at a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.models import Assessment
from advisor.output import bar, verdict

if TYPE_CHECKING:
    from rich.console import Console


def print_table(assessment: Assessment, console: Console | None = None) -> None:
    """Print the criteria with bars, the verdict, the reasons and the flips."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title="sm-advisor assessment", title_justify="left")
    table.add_column("Criterion")
    table.add_column("Score", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("Met", justify="center")
    table.add_column("Reasons")
    for c in assessment.criteria:
        colour = "green" if c.met else "yellow"
        table.add_row(
            c.title,
            f"{c.score:.1f}",
            f"[{colour}]{bar(c.score)}[/]",
            "✔" if c.met else "·",
            "\n".join(c.reasons),
        )
    console.print(table)
    style = "bold green" if assessment.recommendation == "pipeline" else "bold cyan"
    console.print(f"[{style}]{verdict(assessment)}[/]")
    if assessment.flips:
        console.print("What would change the answer:")
        for f in assessment.flips:
            console.print(f"  • {f.text} (score {f.score:.1f})")
    else:
        console.print("No single answer change flips this recommendation.")
    if assessment.defaulted:
        console.print(f"[dim]Defaulted (not answered): {', '.join(assessment.defaulted)}[/]")
