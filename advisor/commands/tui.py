"""``sm-advisor tui`` (and bare ``sm-advisor`` on a terminal): the interactive questionnaire."""

from __future__ import annotations

import argparse
import sys

from advisor.commands.command import Command
from advisor.errors import UserError
from advisor.flags import add_evidence_flags, evidence_from_args

HELP = "open the interactive questionnaire (the default on a terminal)"
DESCRIPTION = (
    "Open the interactive questionnaire: answer, watch the score, see the recommendation and "
    "generate the project."
)
NO_TTY = (
    "the interactive questionnaire needs a terminal; run 'sm-advisor assess --help' or "
    "'sm-advisor new --help' to answer with flags or an answers file instead."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``tui``."""
    p.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="a project made by 'sm-advisor new': pre-fill its answers (.sm-advisor.yaml) and "
        "show its kind next to the recommendation",
    )
    p.add_argument("--answers", metavar="FILE", help="pre-fill the answers from a YAML/JSON file")
    add_evidence_flags(p)
    p.set_defaults(run=run)


COMMAND = Command("tui", HELP, add_arguments, DESCRIPTION)


def run(args: argparse.Namespace) -> int:
    """Open the app on a terminal; refuse (exit 2) without one."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(NO_TTY)
    project = None
    if args.directory:  # read before the app starts: a bad manifest exits 2 as in update
        from pathlib import Path

        from advisor.usecases import check_bookkeeping, recover
        from generators.manifest import load

        done = recover(Path(args.directory))  # as update does: finish a killed change first,
        if done:
            print(f"sm-advisor: note: {done}.", file=sys.stderr)
        check_bookkeeping(Path(args.directory))  # and refuse symlinked bookkeeping files
        project = (Path(args.directory), load(Path(args.directory)))
    evidence = evidence_from_args(args)  # before the app starts: errors exit 2 as in assess
    from advisor.tui.app import run_app

    return run_app(answers_path=args.answers, evidence=evidence, project=project)
