"""Subcommands. Each module exposes ``register(subparsers)`` and does its imports lazily."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from advisor.commands import assess, explain, new, report, tui, update

Register = Callable[["argparse._SubParsersAction[Any]"], None]

COMMANDS: tuple[Register, ...] = (
    assess.register,
    new.register,
    update.register,
    report.register,
    tui.register,
    explain.register,
    explain.register_schema,
)
