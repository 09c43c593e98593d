"""Helpers for tests that generate projects and then run them.

- ``generate`` runs the real CLI (``sm-advisor new``) in-process into a folder.
- ``tree`` reads a generated tree back as ``{relative path: bytes}``;
  ``assert_matches_golden`` compares one with a golden tree under ``tests/golden/``
  (``SM_ADVISOR_UPDATE_GOLDEN=1`` rewrites the golden tree instead).
- ``project_venv`` builds a venv from a generated project's *own* ``requirements.txt`` with
  ``uv``, cached under ``.venvs/<hash of the requirements>`` in the repo (gitignored; CI starts
  clean), so projects with equal requirements share one venv. A file lock makes concurrent
  builders wait for each other; a ``.complete`` marker tells a finished venv from a broken one.
- ``run_in_venv`` runs a command with that venv's Python in a clean environment (no AWS or
  SageMaker variables from the developer's shell).

Only the harness pins torch to the local CPU wheel (``/opt/wheels``): the generated projects
ask for plain ``torch``, which on PyPI would pull a multi-GB CUDA build. uv ignores pip.conf, so
the wheel folder is passed explicitly.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
# SM_ADVISOR_VENVS shares one venv cache between several checkouts (worktrees) of the repo.
VENVS = Path(os.environ.get("SM_ADVISOR_VENVS") or ROOT / ".venvs")
WHEELS = Path("/opt/wheels")
TORCH_CPU = "torch==2.13.0+cpu"
# Variables that would let a generated project's tests reach a real account or leak settings.
PRIVATE_PREFIXES = ("AWS_", "SAGEMAKER_", "SM_", "PYTHON", "VIRTUAL_ENV", "UV_")


def generate(target: Path, *options: str) -> Path:
    """Generate a project into ``target`` with ``sm-advisor new``; fail on a non-zero exit."""
    code = cli_main(["new", str(target), *options])
    if code != 0:
        raise AssertionError(f"sm-advisor new {target} {' '.join(options)} exited {code}")
    return target


@pytest.fixture
def new_project(tmp_path: Path) -> Callable[..., Path]:
    """Return ``make(*options, name="demo")``: generate a project into a fresh folder."""

    def make(*options: str, name: str = "demo") -> Path:
        target, n = tmp_path / name, 1
        while target.exists():
            n += 1
            target = tmp_path / f"{name}-{n}"
        return generate(target, "--name", name, *options)

    return make


def tree(root: Path) -> dict[str, bytes]:
    """Return every file under ``root`` as ``{posix relative path: content}``."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def assert_matches_golden(project: Path, golden: Path) -> None:
    """Compare ``project`` with ``golden`` file by file and fail with the first diff.

    With ``SM_ADVISOR_UPDATE_GOLDEN=1`` the golden tree is replaced by ``project`` first (after
    an intended template change; review the result with ``git diff tests/golden``).
    """
    actual = tree(project)
    if os.environ.get("SM_ADVISOR_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(project, golden)
    expected = tree(golden)
    assert sorted(actual) == sorted(expected), "files differ; see the module docstring to update"
    for rel, content in expected.items():
        if actual[rel] != content:
            diff = difflib.unified_diff(
                content.decode(errors="replace").splitlines(),
                actual[rel].decode(errors="replace").splitlines(),
                f"golden/{rel}",
                f"generated/{rel}",
                lineterm="",
            )
            pytest.fail(f"{rel} differs from the golden tree:\n" + "\n".join(list(diff)[:60]))


def constraints() -> str:
    """Return the harness-only constraints: torch from the local CPU wheel when it is there."""
    has_cpu_torch = any(WHEELS.glob("torch-2.13.0+cpu-*.whl")) if WHEELS.is_dir() else False
    return TORCH_CPU + "\n" if has_cpu_torch else ""


def venv_key(requirements: str, python: str | None = None) -> str:
    """Hash what determines a venv: the requirements, the constraints and the Python version.

    ``python`` names another interpreter (a container's, ``tests/contracts.py``); such venvs get
    no torch constraint (the local CPU wheel is built for this Python only).
    """
    salt = f"{sys.version_info[:2]}\n{constraints()}\n" if python is None else f"{python}\n"
    return hashlib.sha256((salt + requirements).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Venv:
    """A ready venv, and whether this call built it (and how long that took)."""

    path: Path
    built: bool
    seconds: float

    @property
    def python(self) -> Path:
        """The venv's interpreter."""
        return self.path / "bin" / "python"


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def uv_binary() -> str:
    """Locate uv (a dev dependency): the one installed beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if not found:
        raise RuntimeError("uv is not installed; run: pip install -e '.[dev]'")
    return found


def project_venv(project: Path) -> Venv:
    """Return a venv with ``project``'s requirements installed, building it once per content."""
    return requirements_venv((project / "requirements.txt").read_text(encoding="utf-8"))


def requirements_venv(
    requirements: str, python: Path | None = None, env: dict[str, str] | None = None
) -> Venv:
    """Return a venv with ``requirements`` on ``python`` (default: this one), cached by hash.

    ``env`` is added to uv's environment (an unpacked interpreter needs ``LD_LIBRARY_PATH``).
    """
    path = VENVS / venv_key(requirements, None if python is None else str(python))
    start = time.perf_counter()
    with _locked(path.with_suffix(".lock")):
        if (path / ".complete").is_file():
            return Venv(path, built=False, seconds=time.perf_counter() - start)
        shutil.rmtree(path, ignore_errors=True)
        _build(path, requirements, python, env or {})
        (path / ".complete").write_text(requirements, encoding="utf-8")
    return Venv(path, built=True, seconds=time.perf_counter() - start)


def _build(path: Path, requirements: str, python: Path | None, extra_env: dict[str, str]) -> None:
    uv = uv_binary()
    path.mkdir(parents=True)
    (path / "requirements.txt").write_text(requirements, encoding="utf-8")
    (path / "constraints.txt").write_text(constraints() if python is None else "", "utf-8")
    env = {**os.environ, "UV_NO_CONFIG": "1", **extra_env}
    interpreter = str(python or sys.executable)
    _run([uv, "venv", "--quiet", "--allow-existing", "--python", interpreter, str(path)], env)
    install = [uv, "pip", "install", "--quiet", "--python", str(path / "bin" / "python")]
    install += ["-r", str(path / "requirements.txt"), "-c", str(path / "constraints.txt")]
    if WHEELS.is_dir() and python is None:
        install += ["--find-links", str(WHEELS)]
    # Offline first: the registry proxy answers every revalidation as "modified", so an online
    # install downloads and rebuilds each sdist-only package again (pyspark: 20 s and 330 MB of
    # uv cache per venv; 71 copies filled the disk of a CI run). Offline, uv takes what an
    # earlier build of this session (or machine) cached; only what is missing goes online.
    if subprocess.run([*install, "--offline"], env=env, capture_output=True).returncode != 0:
        _run(install, env)


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def clean_env(venv: Venv, home: Path) -> dict[str, str]:
    """Return an environment for a generated project: its venv first, nothing private."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(PRIVATE_PREFIXES)}
    env["PATH"] = f"{venv.path / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)
    env["VIRTUAL_ENV"] = str(venv.path)
    return env


def run_in_venv(
    venv: Venv, args: list[str], cwd: Path, home: Path, timeout: float = 1200
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` with the venv's interpreter in ``cwd``; never raises on failure."""
    return subprocess.run(
        [str(venv.python), *args],
        cwd=cwd,
        env=clean_env(venv, home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
