"""The layering of the code (docs/architecture.md), enforced.

- ``generators`` imports nothing from ``advisor``: not at run time (a fresh interpreter imports
  each ``generators`` module and no ``advisor`` module may appear), and not in the source (no
  lazy or type-checking import either).
- No import loops among the modules of ``advisor`` and ``generators`` at run time (a module
  reached again through its own imports, lazy ones included; type-checking imports excepted):
  the ``advisor.models`` ↔ ``advisor.collect`` loop is gone (``advisor.validate``).
- The shells reach the generator's plan-and-write steps only through ``advisor.usecases``.
- ``assess --format`` offers exactly the renderers of ``advisor.output.RENDERERS``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def module_names(package: str) -> dict[str, Path]:
    """Every module of a package, by dotted name (``generators`` for its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


GENERATORS = module_names("generators")
ADVISOR = module_names("advisor")
MODULES = {**GENERATORS, **ADVISOR}


def test_importing_each_generators_module_loads_no_advisor_module() -> None:
    code = f"""
import importlib, json, sys
found = {{}}
for name in {sorted(GENERATORS)!r}:
    importlib.import_module(name)
    loaded = sorted(m for m in sys.modules if m == "advisor" or m.startswith("advisor."))
    if loaded:
        found[name] = loaded
        break
print(json.dumps(found))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(proc.stdout) == {}, "a generators module imports advisor"
    assert len(GENERATORS) > 10  # the walk found the package


def imports(path: Path, *, type_checking: bool = True) -> list[tuple[int, str]]:
    """The modules a file imports (lazy imports included), with their line numbers.

    ``from pkg import name`` counts as importing ``pkg.name`` when that is a module, else ``pkg``.
    With ``type_checking=False``, imports under ``if TYPE_CHECKING:`` are left out.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if not type_checking:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                found.append((node.lineno, full if full in MODULES else node.module))
    return found


def test_no_generators_source_names_advisor() -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in GENERATORS.values()
        for line, name in imports(path)
        if name == "advisor" or name.startswith("advisor.")
    ]
    assert offending == []


def runtime_graph() -> dict[str, set[str]]:
    return {
        name: {m for _, m in imports(path, type_checking=False) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """The modules ``start`` imports, directly or through others (itself only through a loop)."""
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        v = todo.pop()
        if v not in seen:
            seen.add(v)
            todo += graph[v]
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import loops: groups of modules that each reach every other one."""
    reach = {v: reachable(graph, v) for v in graph}
    groups = {
        frozenset({v} | {w for w in reach[v] if v in reach[w]}) for v in graph if v in reach[v]
    }
    return sorted(sorted(g) for g in groups)


def test_the_cycle_finder_finds_a_loop() -> None:
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_loops() -> None:
    assert cycles(runtime_graph()) == []


def test_models_and_collect_no_longer_import_each_other() -> None:
    graph = runtime_graph()
    assert "advisor.collect" not in graph["advisor.models"]
    assert "advisor.models" in graph["advisor.collect"]


GENERATOR_STEPS = {"build_spec", "plan", "write", "check_target"}


@pytest.mark.parametrize(
    "shell",
    sorted(
        name
        for name in ADVISOR
        if name.startswith(("advisor.commands", "advisor.tui")) or name == "advisor.cli"
    ),
)
def test_the_shells_plan_and_write_only_through_the_use_cases(shell: str) -> None:
    tree = ast.parse(MODULES[shell].read_text(encoding="utf-8"))
    direct = [
        f"line {node.lineno}: from {node.module} import {a.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generators")
        for a in node.names
        if a.name in GENERATOR_STEPS
    ]
    assert direct == []


def test_assess_offers_exactly_the_registered_renderers() -> None:
    from advisor.commands.assess import FORMATS
    from advisor.models import Answers
    from advisor.output import RENDERERS
    from advisor.scoring import score
    from advisor.usecases import Assessed

    assert tuple(RENDERERS) == FORMATS
    assessed = Assessed(score(Answers()), {})
    texts = {fmt: RENDERERS[fmt](assessed) for fmt in FORMATS}
    assert json.loads(texts["json"])["recommendation"] == assessed.assessment.recommendation
    assert texts["markdown"].startswith("# sm-advisor assessment\n")
    assert "sm-advisor assessment" in texts["table"]
