"""Subcommands: one module each, named after the command, with its ``COMMAND``.

A command's module is imported only when the command may run or the commands are listed (see
``advisor.cli.build_parser``); it imports what its ``run`` needs when it runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.commands.command import Command

NAMES = ("assess", "new", "update", "report", "tui", "explain", "schema")


def command(name: str) -> Command:
    """Return the command ``name`` (one of ``NAMES``), importing its module."""
    found: Command = import_module(f"advisor.commands.{name}").COMMAND
    return found
