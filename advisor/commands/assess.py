"""``sm-advisor assess``: score answers and print the recommendation."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from advisor.flags import (
    add_answer_flags,
    add_evidence_flags,
    answers_from_args,
    evidence_from_args,
)

HELP = "score a project and recommend a single script or a SageMaker Pipeline"

EPILOG = """\
example, measuring some answers from the AWS account (see docs/evidence.md):
  sm-advisor assess --evidence s3://my-bucket/churn/data/ --region eu-west-1 --team-size 4
exit codes: 0 assessed, 2 bad input or unusable evidence (one line on stderr saying why).
The JSON output is documented in docs/assess.md ("JSON output") and is stable."""


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
    add_evidence_flags(p)
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
    """Collect answers (measuring evidence if asked), score them and print the result."""
    from advisor.scoring import score

    evidence = evidence_from_args(args)
    answers, sources = answers_from_args(args, evidence.answers() if evidence else None)
    assessment = score(answers, sources)
    if args.format == "json":
        from advisor.output import to_json

        extra: dict[str, object] | None = (
            {"evidence": evidence.to_dict(sources)} if evidence else None
        )
        sys.stdout.write(to_json(assessment, extra))
    elif args.format == "markdown":
        from advisor.output import to_markdown

        sys.stdout.write(to_markdown(assessment))
        if evidence:
            from advisor.evidence.render import markdown_section

            sys.stdout.write("\n" + markdown_section(evidence, sources))
    else:
        from advisor.table import print_table

        estimated = {m.question for m in evidence.measured if m.estimated} if evidence else ()
        print_table(assessment, estimated=estimated)
        if evidence:
            from advisor.evidence.render import text_section

            print("\n" + text_section(evidence, sources))
    return 0
