"""argparse's help formatters, sized to the terminal without importing ``shutil``.

argparse builds a formatter for every ``add_argument`` (to check the metavar) and each one asks
``shutil.get_terminal_size`` for the width; importing ``shutil`` (with ``bz2``, ``lzma`` and
``zlib``) was about 2 ms, a twentieth of ``sm-advisor assess``. These formatters read the width
the same way (``$COLUMNS``, else the terminal of ``sys.__stdout__``, else 80) with ``os`` only.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def terminal_columns(fallback: int = 80) -> int:
    """The terminal's width in columns, found as ``shutil.get_terminal_size`` finds it."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or fallback


class _Sized:
    """Give the formatter the width argparse would, so that it never imports ``shutil``."""

    def __init__(self, prog: str, *args: Any, width: int | None = None, **kwargs: Any) -> None:
        width = terminal_columns() - 2 if width is None else width  # argparse keeps 2 spare
        super().__init__(prog, *args, width=width, **kwargs)  # type: ignore[call-arg]


class HelpFormatter(_Sized, argparse.HelpFormatter):
    """argparse's default formatter."""


class RawDescriptionHelpFormatter(_Sized, argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of the description and the epilog (examples, exit codes)."""
