"""Turn a validated project spec into files: ``build_spec`` → ``plan`` → ``write``.

``plan`` is pure (spec in, ``{path: bytes}`` out) and ``write`` does all the writing, atomically.

The names below are loaded on first use (PEP 562): ``generators.errors`` is imported by every
command for its error classes, and must not pull in the renderer, the writer and ``dataclasses``
on the start-up path of ``assess``. Import ``write`` from ``generators.write``: once that module
is loaded, the package attribute ``write`` is the module, not the function.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generators.context import build_spec
    from generators.render import plan
    from generators.spec import ProjectSpec
    from generators.write import WriteResult

__all__ = ["ProjectSpec", "WriteResult", "build_spec", "plan"]

_HOMES = {
    "ProjectSpec": "generators.spec",
    "WriteResult": "generators.write",
    "build_spec": "generators.context",
    "plan": "generators.render",
}


def __getattr__(name: str) -> object:
    """Import a public name's module when the name is first used."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'generators' has no attribute {name!r}")
    return getattr(import_module(home), name)
