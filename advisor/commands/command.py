"""One subcommand as the CLI sees it: its name and help line, and how to add its arguments."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NamedTuple

from advisor.help_format import HelpFormatter, RawDescriptionHelpFormatter


class Command(NamedTuple):
    """A subcommand: listed with its ``help``; its arguments added only when it may run.

    ``add_arguments(parser)`` adds the command's flags and sets ``run``. The CLI calls it only
    for the command named on the command line (``advisor.cli.build_parser``): building every
    command's flags, with argparse's gettext look-ups, was a tenth of the start-up of ``assess``.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    description: str | None = None
    """Default: the help line as a sentence."""
    epilog: str | None = None
    """Examples and exit codes; with one, the description and epilog keep their line breaks."""

    def add_to(self, sub: argparse._SubParsersAction[Any], full: bool = True) -> Any:
        """Add this command to ``sub``: listed always, its arguments only if ``full``."""
        if not full:
            return sub.add_parser(self.name, help=self.help, formatter_class=HelpFormatter)
        parser = sub.add_parser(
            self.name,
            help=self.help,
            description=self.description or self.help[0].upper() + self.help[1:] + ".",
            epilog=self.epilog,
            formatter_class=RawDescriptionHelpFormatter if self.epilog else HelpFormatter,
        )
        self.add_arguments(parser)
        return parser
