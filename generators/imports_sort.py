"""Merge import lines into one block laid out the way ruff's isort rule (I001) wants it.

Several training-code partials each need a few imports, and a generated file is their union. The
templates pass every line they need to the ``import_block`` filter (``generators.render``
registers it) and ``generators.graduate`` re-sorts a module's imports with the same function.

Layout: sections ``__future__`` / standard library / third party, one blank line apart; within a
section straight imports before from-imports, modules sorted case-insensitively; one from-import
per module with its names merged and ordered by type (CONSTANTS, Classes, functions); a
from-import longer than ``LINE_LENGTH`` is wrapped one name a line with a trailing comma. That is
ruff's default 88, not the projects' 100: the magic trailing comma keeps a wrapped import valid
for isort at either length, so ``ruff check --isolated`` (default settings) passes too.
"""

from __future__ import annotations

from collections.abc import Iterable

LINE_LENGTH = 88

# Top-level modules of the standard library that generated code imports. A module missing here
# sorts as third party, which ruff then flags in the generated project's tests.
STDLIB = frozenset(
    {
        "argparse",
        "collections",
        "csv",
        "dataclasses",
        "functools",
        "glob",
        "io",
        "json",
        "logging",
        "math",
        "os",
        "pathlib",
        "random",
        "re",
        "shlex",
        "shutil",
        "subprocess",
        "sys",
        "tarfile",
        "tempfile",
        "textwrap",
        "time",
        "typing",
    }
)
FUTURE, STANDARD, THIRD_PARTY = 0, 1, 2
UNPARSED = "UNPARSED IMPORT: "


def section_of(module: str) -> int:
    """Return the isort section of a module: ``__future__``, standard library or third party."""
    top = module.split(".")[0]
    if top == "__future__":
        return FUTURE
    return STANDARD if top in STDLIB else THIRD_PARTY


def import_block(lines: Iterable[str]) -> str:
    """Return the merged, sorted import block for ``lines`` (no trailing newline).

    Each line is ``import a``, ``import a as b`` or ``from a.b import c, d as e``; duplicates are
    expected (that is the point). Anything else is a template bug: it is kept, prefixed with
    ``UNPARSED IMPORT:``, so that the generated file fails ruff instead of losing the line.
    """
    plain: list[str] = []
    froms: dict[str, list[str]] = {}
    bad: list[str] = []
    for line in dict.fromkeys(lines):
        words = line.split()
        if _is_plain(words):
            plain.append(line.split(None, 1)[1])
        elif len(words) >= 4 and words[0] == "from" and words[2] == "import":
            names = line.split(" import ", 1)[1].split(",")
            froms.setdefault(words[1], []).extend(" ".join(n.split()) for n in names)
        else:
            bad.append(line)
    blocks = []
    for section in (FUTURE, STANDARD, THIRD_PARTY):
        out = [f"import {t}" for t in _sorted(plain) if section_of(t.split()[0]) == section]
        for module in _sorted(froms):
            if section_of(module) == section:
                out += _from_lines(module, froms[module])
        if out:
            blocks.append("\n".join(out))
    blocks += [UNPARSED + line for line in bad]
    return "\n\n".join(blocks)


def _is_plain(words: list[str]) -> bool:
    if not words or words[0] != "import":
        return False
    return len(words) == 2 or (len(words) == 4 and words[2] == "as")


def _sorted(items: Iterable[str]) -> list[str]:
    return sorted(items, key=str.lower)


def _sorted_names(names: list[str]) -> list[str]:
    """Order imported names as isort does: CONSTANTS, then Classes, then functions."""
    unique = list(dict.fromkeys(n for n in names if n))
    consts = [n for n in unique if n.isupper()]
    classes = [n for n in unique if n not in consts and n[0].isupper()]
    funcs = [n for n in unique if n not in consts and not n[0].isupper()]
    return _sorted(consts) + _sorted(classes) + _sorted(funcs)


def _from_lines(module: str, names: list[str]) -> list[str]:
    """One from-import for the plain names, then one per aliased name (ruff's default layout)."""
    aliased = {n.split()[0]: n for n in names if " as " in n}
    plain = [n for n in names if n not in aliased.values()]
    lines = [_from_line(module, _sorted_names(plain))] if plain else []
    return lines + [f"from {module} import {aliased[n]}" for n in _sorted_names(list(aliased))]


def _from_line(module: str, names: list[str]) -> str:
    one = f"from {module} import {', '.join(names)}"
    if len(one) <= LINE_LENGTH:
        return one
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
