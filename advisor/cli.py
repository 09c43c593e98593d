"""The ``sm-advisor`` command line: parse, dispatch, and turn errors into one line and exit 2.

Each subcommand lives in ``advisor.commands`` and imports what it needs when it runs, so that
``assess`` never loads textual, jinja2, boto3 or sagemaker.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, cast

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


class _Skipped:
    """Stands in for the parser of a command that is not being run: its arguments are skipped.

    Every method (``add_argument``, ``add_argument_group``, ``set_defaults``, ...) does nothing
    and returns the stand-in, and it has no actions, so a command's ``register`` runs unchanged.
    """

    _actions: tuple[argparse.Action, ...] = ()

    def __getattr__(self, name: str) -> Callable[..., _Skipped]:
        return self._skip

    def _skip(self, *_args: object, **_kwargs: object) -> _Skipped:
        return self


class _Commands:
    """The subparsers action, filling in only the commands named on the command line.

    Every command is still listed (``--help``, "invalid choice") with its help line; building
    the arguments of all seven commands was a tenth of the start-up of ``assess``.
    """

    def __init__(self, sub: argparse._SubParsersAction[Parser], wanted: set[str] | None) -> None:
        self._sub = sub
        self._wanted = wanted

    def add_parser(self, name: str, **kwargs: Any) -> Parser | _Skipped:
        """Add the command; return its parser only if it may run in this process."""
        parser = self._sub.add_parser(name, **kwargs)
        return parser if self._wanted is None or name in self._wanted else _Skipped()


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """Build the parser: every subcommand, or only those named in ``argv`` when it is given."""
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
    commands = cast("argparse._SubParsersAction[Any]", _Commands(sub, _named(argv)))
    for register in COMMANDS:
        register(commands)
    return parser


def _named(argv: Sequence[str] | None) -> set[str] | None:
    return None if argv is None else {arg for arg in argv if not arg.startswith("-")}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 2 bad input, 1 other failure."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    if not args_list or args_list[0].split("=")[0] == "--answers":
        # Bare `sm-advisor` (or `sm-advisor --answers FILE`) is the TUI: parse once, not twice.
        args_list = ["tui", *args_list]
    try:
        args = build_parser(args_list).parse_args(args_list)
        if args.command is None:
            args_list = ["tui", *args_list]
            args = build_parser(args_list).parse_args(args_list)
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
