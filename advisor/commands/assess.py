"""``sm-advisor assess``: score answers and print the recommendation."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from advisor.flags import add_answer_flags, answers_from_args

HELP = "score a project and recommend a single script or a SageMaker Pipeline"

EPILOG = """\
exit codes: 0 assessed, 2 bad input (one line on stderr naming the field).
The JSON output is documented in the README ("JSON output") and is stable."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``assess`` subcommand."""
    p = sub.add_parser(
        "assess",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_format_flag(p)
    add_answer_flags(p)
    p.set_defaults(run=run)


def add_format_flag(p: argparse.ArgumentParser) -> None:
    """Add ``--format table|json|markdown``."""
    p.add_argument(
        "--format",
        choices=("table", "json", "markdown"),
        default="table",
        help="output format (default: table; json is stable for scripts)",
    )


def run(args: argparse.Namespace) -> int:
    """Collect answers, score them and print the result in the chosen format."""
    from advisor.scoring import score

    answers, sources = answers_from_args(args)
    assessment = score(answers, sources)
    if args.format == "json":
        from advisor.output import to_json

        sys.stdout.write(to_json(assessment))
    elif args.format == "markdown":
        from advisor.output import to_markdown

        sys.stdout.write(to_markdown(assessment))
    else:
        from advisor.table import print_table

        print_table(assessment)
    return 0
