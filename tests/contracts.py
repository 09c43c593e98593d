"""Run generated code under a container's contract (``generators.containers``), locally.

- ``contract_python(minor)``: an interpreter of that Python minor version: pyenv's when present,
  else one unpacked from Debian's archive by ``tools/debian_python.sh`` into
  ``$SM_ADVISOR_PYTHONS`` (default ``.pythons/`` in the repo; never installed system-wide).
- ``contract_venv(row, extra)``: a venv on that interpreter with the row's library versions
  pinned (cached by hash with the project venvs, ``generated.requirements_venv``).
- ``floor_violations(files, row)``: vermin's static floor check at the row's Python version.
- ``container_files(project)``: every generated ``.py`` that runs in a container, with the
  contract of the image it runs in.
- ``run_step(cv, script, args, ...)``: one step script in a fresh process, as the local runner
  of the pipeline project runs it, but on the container's Python and libraries.

An interpreter or library that cannot be had here makes the caller skip, naming what is missing;
the vermin check needs neither.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from generated import ROOT, Venv, clean_env, requirements_venv

from generators.containers import Contract, ProjectImages

PYENV = Path(os.environ.get("PYENV_ROOT") or "/root/.pyenv") / "versions"
PYTHONS = Path(os.environ.get("SM_ADVISOR_PYTHONS") or ROOT / ".pythons")
VERMIN_FLAGS = ["--no-tips", "--violations", "--feature", "union-types", "--eval-annotations"]


@dataclass(frozen=True)
class Interpreter:
    """A Python binary and what its process needs in the environment (unpacked ones: libs)."""

    path: Path
    env: dict[str, str] = field(default_factory=dict)


def contract_python(minor: tuple[int, int]) -> Interpreter | None:
    """An interpreter of Python ``major.minor``: pyenv's, else an unpacked Debian one, else None."""
    version = f"{minor[0]}.{minor[1]}"
    if sys.version_info[:2] == minor:
        return Interpreter(Path(sys.executable))
    found = sorted(PYENV.glob(f"{version}.*/bin/python{version}"))
    if found:
        return Interpreter(found[-1])
    unpacked = PYTHONS / version
    binary = unpacked / "usr" / "bin" / f"python{version}"
    if binary.is_file():
        libs = [unpacked / "usr/lib/x86_64-linux-gnu", unpacked / "lib/x86_64-linux-gnu"]
        return Interpreter(binary, {"LD_LIBRARY_PATH": os.pathsep.join(map(str, libs))})
    return None


@dataclass(frozen=True)
class ContractVenv:
    """A venv on a container's Python with its library versions."""

    row: Contract
    venv: Venv
    interpreter: Interpreter

    @property
    def python(self) -> Path:
        """The venv's interpreter."""
        return self.venv.python


def requirements_for(row: Contract, extra: tuple[str, ...] = ()) -> str:
    """The row's pinned libraries as requirement lines (``3.5.*`` stays a wildcard pin)."""
    lines = [f"{name}=={version}" for name, version in sorted(row.libraries.items())]
    return "\n".join([f"# contract {row.key} (Python {row.python})", *lines, *extra]) + "\n"


def contract_venv(row: Contract, extra: tuple[str, ...] = ()) -> ContractVenv | None:
    """A venv for ``row`` (None when no interpreter of its Python is at hand)."""
    interpreter = contract_python(row.python_minor)
    if interpreter is None:
        return None
    venv = requirements_venv(requirements_for(row, extra), interpreter.path, interpreter.env)
    return ContractVenv(row, venv, interpreter)


def run_step(
    cv: ContractVenv, script: Path, args: list[str], home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``script ARGS`` on the contract's Python in a clean environment; never raises."""
    full = {**clean_env(cv.venv, home), **cv.interpreter.env, **(env or {})}
    full["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [str(cv.python), str(script), *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=900,
    )


def container_files(project: Path, images: ProjectImages) -> dict[Path, tuple[Contract, ...]]:
    """Each generated ``.py`` that runs in a container, with every image it runs in.

    Pipeline: ``steps/`` go to the processing, training and serving images (each script may
    import its neighbours, so the whole folder must import everywhere it is shipped). Script
    project: ``train.py`` runs in the training image.
    """
    steps = sorted(project.glob("pipelines/*/steps/*.py"))
    if not steps:
        return {project / "train.py": (images.training,)}
    result: dict[Path, tuple[Contract, ...]] = {}
    for path in steps:
        if path.name == "preprocess_spark.py":
            result[path] = (images.processing,)
        else:
            rows = [images.training, images.inference]
            if images.processing.framework != "spark":
                rows.append(images.processing)
            result[path] = tuple(dict.fromkeys(rows))
    return result


_FINDING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d*):[^:]*:[^:]*:(?P<what>.+)$")


def floor_violations(files: list[Path], python: tuple[int, int]) -> list[str]:
    """vermin's findings above ``python`` in ``files``, as ``file:line: what`` lines.

    vermin reports ``X | Y`` in annotations even where ``from __future__ import annotations``
    keeps them from being evaluated (PEP 563); such findings are dropped after checking with
    ``ast`` that the line is an annotation in a module with that import. Nothing else is.
    """
    if not files:
        return []
    target = f"-t={python[0]}.{python[1]}-"
    command = [vermin_binary(), *VERMIN_FLAGS, target, "-f", "parsable"]
    done = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, timeout=300)
    problems = []
    for line in done.stdout.splitlines():
        found = _FINDING.match(line)
        if not found or not found["what"].strip():
            continue
        path, number, what = Path(found["file"]), int(found["line"]), found["what"]
        if "union types" in what and number in _postponed_annotation_lines(path):
            continue
        problems.append(f"{path}:{number}: {what} (the container runs Python {target[3:-1]})")
    if done.returncode not in (0, 1) or (done.returncode == 1 and not done.stdout):
        raise RuntimeError(f"vermin failed: {done.stderr[-2000:]}")
    return problems


def vermin_binary() -> str:
    """vermin (a dev dependency), installed beside this Python."""
    beside = Path(sys.executable).parent / "vermin"
    if not beside.is_file():
        raise RuntimeError("vermin is not installed; run: pip install -e '.[dev]'")
    return str(beside)


def _postponed_annotation_lines(path: Path) -> set[int]:
    """Lines holding only annotations, when the module postpones their evaluation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    future = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(a.name == "annotations" for a in node.names)
        for node in tree.body
    )
    if not future:
        return set()
    lines: set[int] = set()
    for node in ast.walk(tree):
        annotations: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            annotations = [a.annotation for a in every] + [node.returns]
        elif isinstance(node, ast.AnnAssign):
            annotations = [node.annotation]
        for annotation in annotations:
            if annotation is not None:
                lines.update(range(annotation.lineno, (annotation.end_lineno or 0) + 1))
    return lines
