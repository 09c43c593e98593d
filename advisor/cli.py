"""The ``sm-advisor`` command line: parse, dispatch, and turn errors into one line and exit 2.

Each subcommand lives in ``advisor.commands`` and imports what it needs when it runs, so that
``assess`` never loads textual, jinja2, boto3 or sagemaker.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from advisor import __version__
from advisor.commands import COMMANDS
from advisor.errors import ALL_ERRORS, USER_ERRORS, UserError

DESCRIPTION = """\
Decide whether an ML project on Amazon SageMaker needs a SageMaker Pipeline or a single
training script, see why, and scaffold the right project.

Run with no command on a terminal to open the interactive questionnaire."""

EPILOG = """\
examples:
  sm-advisor assess --data-size-gb 500 --release-frequency weekly --team-size 8
  sm-advisor assess --answers answers.yaml --format json
  sm-advisor new demo --kind pipeline --framework xgboost
  sm-advisor explain"""


class UsageError(UserError):
    """The command line itself is wrong (unknown flag, missing argument)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, raised instead of printed."""

    def error(self, message: str) -> NoReturn:
        """Raise instead of printing usage, so the edge prints one line and exits 2."""
        raise UsageError(f"{message}; run '{self.prog} --help' for usage.")


def build_parser() -> Parser:
    """Build the parser with every subcommand."""
    parser = Parser(
        prog="sm-advisor",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sm-advisor {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback on errors (for bug reports)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 2 bad input, 1 other failure."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    if not args_list or args_list[0].split("=")[0] == "--answers":
        # Bare `sm-advisor` (or `sm-advisor --answers FILE`) is the TUI: parse once, not twice.
        args_list = ["tui", *args_list]
    try:
        args = build_parser().parse_args(args_list)
        if args.command is None:
            args_list = ["tui", *args_list]
            args = build_parser().parse_args(args_list)
        code: int = args.run(args)
        return code
    except USER_ERRORS as err:
        if debug:
            raise
        print(f"sm-advisor: error: {err}", file=sys.stderr)
        return 2
    except ALL_ERRORS as err:
        if debug:
            raise
        print(f"sm-advisor: failed: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sm-advisor: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
