"""The ``sm-advisor`` command line: parse, dispatch, and turn errors into one line and exit 2.

Each subcommand lives in ``advisor.commands`` and imports what it needs when it runs, so that
``assess`` never loads textual, jinja2, boto3 or sagemaker.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import NoReturn

from advisor import __version__
from advisor.commands import NAMES, command
from advisor.errors import ALL_ERRORS, USER_ERRORS, UserError
from advisor.help_format import RawDescriptionHelpFormatter
from generators.message_text import one_line

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


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """Build the parser: every command, or only what ``argv`` may run or list.

    A command's arguments are added only if it may run in this process (see ``Command``); the
    help, usage and errors are the same either way (``tests/test_cli_parser.py``).
    """
    parser = Parser(
        prog="sm-advisor",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sm-advisor {__version__}")
    add_debug_flag(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    named = None if argv is None else {arg for arg in argv if not arg.startswith("-")}
    # When argv starts with a command, nothing before it can make the root parser list the
    # commands (--help, an unknown one): the others are left out, not only their arguments.
    first = next((arg for arg in argv or () if arg != "--debug"), None)
    listed = argv is None or first not in NAMES
    for name in NAMES:
        if named is None or name in named:
            add_debug_flag(command(name).add_to(sub))
        elif listed:
            command(name).add_to(sub, full=False)
    return parser


def add_debug_flag(parser: argparse.ArgumentParser) -> None:
    """Accept ``--debug`` before or after the subcommand (``sm-advisor --debug`` opens the TUI).

    SUPPRESS as the default: a subcommand's own default would overwrite a ``--debug`` given
    before it.
    """
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show a traceback on errors (for bug reports)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 2 bad input, 1 other failure.

    Errors are one line on stderr; with ``--debug`` the traceback comes first, exit code unchanged.
    """
    # A command makes tens of thousands of objects (most while importing) and few cycles: at the
    # default threshold of 700 the collector runs dozens of times for nothing, ~2 ms of 'new'.
    gc.set_threshold(5000)
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list  # until the command line is parsed
    if not args_list or args_list[0].split("=")[0] == "--answers":
        # Bare `sm-advisor` (or `sm-advisor --answers FILE`) is the TUI: parse once, not twice.
        args_list = ["tui", *args_list]
    try:
        args = build_parser(args_list).parse_args(args_list)
        if args.command is None:
            args_list = ["tui", *args_list]
            args = build_parser(args_list).parse_args(args_list)
        debug = bool(getattr(args, "debug", False))
        code: int = args.run(args)
        return code
    except USER_ERRORS as err:
        return _report(err, "error", 2, debug)
    except ALL_ERRORS as err:
        return _report(err, "failed", 1, debug)
    except KeyboardInterrupt:
        print("sm-advisor: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _report(err: Exception, kind: str, code: int, debug: bool) -> int:
    """Print an error as one line (after its traceback with ``--debug``); return the exit code."""
    if debug:
        import traceback

        traceback.print_exception(err, file=sys.stderr)
    print(f"sm-advisor: {kind}: {one_line(str(err))}", file=sys.stderr)
    return code


def entry() -> int:
    """The ``sm-advisor`` program (and ``python -m advisor``): ``main``, then a quick exit.

    At exit the interpreter searches everything still alive for reference cycles, a few times
    over: 8.5 ms of a 100 ms ``new`` on a loaded machine (100.3 against 91.8 ms, medians of 21
    interleaved runs). Freezing the collector first leaves those objects to the end of the
    process instead. Nothing else changes: atexit handlers, stream flushing and
    the finalizers of everything freed by reference counting run as before. Only the program
    does this; ``main`` itself, called in-process (tests, embedding), leaves the collector alone.
    """
    code = main()
    gc.freeze()
    return code
