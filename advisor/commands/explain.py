"""``sm-advisor explain``: describe the scoring model."""

from __future__ import annotations

import argparse
import sys

from advisor.commands.command import Command

HELP = "print the scoring model: questions, weights, need curves, thresholds"
DESCRIPTION = (
    "Print the scoring model: every question with its flag, accepted values, default and "
    "weight, how answers map to need, and the thresholds."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``explain``."""
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default), markdown (the table in docs/assess.md) or json",
    )
    p.set_defaults(run=run)


COMMAND = Command("explain", HELP, add_arguments, DESCRIPTION)


def run(args: argparse.Namespace) -> int:
    """Print the model in the chosen format."""
    from advisor import explain

    if args.format == "markdown":
        sys.stdout.write(explain.markdown_table())
    elif args.format == "json":
        sys.stdout.write(explain.as_json())
    else:
        sys.stdout.write(explain.as_text())
    return 0
