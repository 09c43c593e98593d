"""``sm-advisor assess``: score answers and print the recommendation."""

from __future__ import annotations

import argparse
import sys

from advisor.commands.command import Command
from advisor.flags import add_answer_flags, add_evidence_flags, inputs_from_args

# The keys of ``advisor.output.RENDERERS`` (not imported here: ``--help`` stays light).
FORMATS = ("table", "json", "markdown")

HELP = "score a project and recommend a single script or a SageMaker Pipeline"

EPILOG = """\
example, measuring some answers from the AWS account (see docs/evidence.md):
  sm-advisor assess --evidence s3://my-bucket/churn/data/ --region eu-west-1 --team-size 4
re-assess a generated project (its .sm-advisor.yaml; flags and --evidence still apply):
  sm-advisor assess churn --check --release-frequency weekly   # see docs/graduation.md
exit codes: 0 assessed, 2 bad input or unusable evidence (one line on stderr saying why),
3 with --check: the recommendation differs from the project's kind.
The JSON output is documented in docs/assess.md ("JSON output") and is stable."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``assess``."""
    p.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="a project made by 'sm-advisor new': start from the answers in its .sm-advisor.yaml "
        "and say whether its kind still fits",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="with DIR: exit 3 when the recommendation differs from the project's kind (for CI)",
    )
    add_format_flag(p)
    add_answer_flags(p)
    add_evidence_flags(p)
    p.set_defaults(run=run)


COMMAND = Command("assess", HELP, add_arguments, epilog=EPILOG)


def add_format_flag(p: argparse.ArgumentParser) -> None:
    """Add ``--format table|json|markdown`` (the renderers of ``advisor.output``)."""
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (default: table; json is stable for scripts)",
    )


def run(args: argparse.Namespace) -> int:
    """Collect answers (measuring evidence if asked), score them and print the result."""
    from advisor import usecases
    from advisor.output import RENDERERS

    if args.check and not args.directory:
        from advisor.errors import UserError

        raise UserError("--check needs DIR, the generated project to check (has .sm-advisor.yaml)")
    project = None
    if args.directory:
        from pathlib import Path  # not at the top: every command's parser imports this module

        project = Path(args.directory)
    assessed = usecases.assess(inputs_from_args(args)._replace(project=project))
    sys.stdout.write(RENDERERS[args.format](assessed))
    fit = assessed.project
    if fit is not None and args.format != "json":
        print("\n" + fit.message)
    return 3 if args.check and fit is not None and not fit.fits else 0
