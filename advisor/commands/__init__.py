"""Subcommands. Each module exposes a ``Command`` and imports what it needs when it runs."""

from __future__ import annotations

from advisor.commands import assess, explain, new, report, tui, update
from advisor.commands.command import Command

COMMANDS: tuple[Command, ...] = (
    assess.COMMAND,
    new.COMMAND,
    update.COMMAND,
    report.COMMAND,
    tui.COMMAND,
    explain.COMMAND,
    explain.SCHEMA,
)
