"""``sm-advisor report``: write a decision record (ADR) of the assessment as HTML or Markdown."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from advisor.errors import UserError
from advisor.flags import (
    add_answer_flags,
    add_evidence_flags,
    answers_from_args,
    evidence_from_args,
)

if TYPE_CHECKING:
    from pathlib import Path

HELP = "write a decision record (ADR) with scores, chart, flips and cost, as HTML or Markdown"

EPILOG = """\
examples:
  sm-advisor report --answers answers.yaml -o decision.html
  sm-advisor report --evidence s3://my-bucket/churn/data/ --team-size 6 -o docs/adr/0001-training.md
  sm-advisor report --prices eu-west-1-prices.json -o decision.html --date 2026-03-01
The output is deterministic (no timestamp unless --date). The price table and its date are in
the README ("Decision report"); --prices FILE layers your own prices over it.
exit codes: 0 written, 2 bad input (one line on stderr saying why)."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``report`` subcommand."""
    p = sub.add_parser(
        "report",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    g = p.add_argument_group("report")
    g.add_argument(
        "-o", "--output", required=True, metavar="FILE",
        help="where to write: .html (self-contained page) or .md; '-' for stdout",
    )  # fmt: skip
    g.add_argument("--format", choices=("html", "markdown"), help="override the suffix")
    g.add_argument("--prices", metavar="FILE", help="JSON price table layered over the shipped one")
    g.add_argument(
        "--title", default="Train with a SageMaker Pipeline or a single script?",
        help="the record's title",
    )  # fmt: skip
    g.add_argument(
        "--status", default="Proposed", choices=("Proposed", "Accepted", "Superseded"),
        help="ADR status (default Proposed)",
    )  # fmt: skip
    g.add_argument("--date", help="date shown in the record, e.g. 2026-03-01 (default: none)")
    add_answer_flags(p)
    add_evidence_flags(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Assess (with evidence if asked), render the record and write it."""
    from advisor import __version__
    from advisor.report import format_for, make_report
    from advisor.report.document import Meta
    from advisor.scoring import score

    stdout = args.output == "-"
    fmt = format_for(args.output, args.format or ("markdown" if stdout else None))
    evidence = evidence_from_args(args)
    answers, sources = answers_from_args(args, evidence.answers() if evidence else None)
    assessment = score(answers, sources)
    meta = Meta(args.title, args.status, args.date, __version__)
    text = make_report(assessment, meta, fmt, args.prices, evidence)
    if stdout:
        sys.stdout.write(text)
        return 0
    from pathlib import Path  # here, not at the top: the parser of every command imports us

    _write(Path(args.output), text)
    print(
        f"Wrote the decision record to {args.output}: {assessment.recommendation} "
        f"(score {assessment.score:.1f}, threshold {assessment.threshold:g})."
    )
    return 0


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UserError(f"{path}: cannot be written ({err.strerror}); check the -o path.") from None
