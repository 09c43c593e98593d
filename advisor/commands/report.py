"""``sm-advisor report``: write a decision record (ADR) of the assessment as HTML or Markdown."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from advisor.commands.command import Command
from advisor.errors import UserError
from advisor.flags import add_answer_flags, add_evidence_flags, inputs_from_args
from generators.message_text import clip

if TYPE_CHECKING:
    from pathlib import Path

HELP = "write a decision record (ADR) with scores, chart, flips and cost, as HTML or Markdown"

EPILOG = """\
examples:
  sm-advisor report --answers answers.yaml -o decision.html
  sm-advisor report --evidence s3://my-bucket/churn/data/ --team-size 6 -o docs/adr/0001-training.md
  sm-advisor report --prices eu-west-1-prices.json -o decision.html --date 2026-03-01
The output is deterministic (no timestamp unless --date). The price table and its date are in
docs/report.md; --prices FILE layers your own prices over it.
exit codes: 0 written, 2 bad input (one line on stderr saying why)."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``report``."""
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
    g.add_argument(
        "--date", type=real_date, metavar="YYYY-MM-DD",
        help="date shown in the record, e.g. 2026-03-01 (default: none)",
    )  # fmt: skip
    add_answer_flags(p)
    add_evidence_flags(p)
    p.set_defaults(run=run)


COMMAND = Command("report", HELP, add_arguments, epilog=EPILOG)


def real_date(text: str) -> str:
    """Accept a real calendar date written YYYY-MM-DD (not 2026-13-45, not 20260301)."""
    import datetime as dt
    import re

    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, re.ASCII):
            return dt.date.fromisoformat(text).isoformat()
        problem = "is not written YYYY-MM-DD"
    except ValueError as err:
        problem = f"is not a real date ({err})"
    raise argparse.ArgumentTypeError(f"'{clip(text, 40)}' {problem}; e.g. 2026-03-01")


def run(args: argparse.Namespace) -> int:
    """Assess (with evidence if asked), render the record and write it."""
    from advisor import __version__, usecases
    from advisor.report import format_for
    from advisor.report.document import Meta

    stdout = args.output == "-"
    fmt = format_for(args.output, args.format or ("markdown" if stdout else None))
    assessed = usecases.assess(inputs_from_args(args))
    meta = Meta(args.title, args.status, args.date, __version__)
    text = usecases.report(assessed, meta, fmt, args.prices)
    assessment = assessed.assessment
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
        raise UserError(
            f"{clip(str(path), 200)}: cannot be written ({err.strerror}); check the -o path."
        ) from None
