"""Write a plan to disk atomically, never touching a file the generator did not produce.

- A new or empty target: everything is rendered into a temporary folder beside it (same
  filesystem) and moved into place with one rename; a failure leaves nothing behind.
- A non-empty target: refused unless ``force``. With ``force`` every file is first staged beside
  the target, then each is swapped in with ``os.replace``; files the plan does not contain are
  left alone, and files whose content is already identical are not rewritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generators.errors import TargetError

EXECUTABLE_SUFFIXES = (".sh",)


@dataclass
class WriteResult:
    """What ``write`` did, for the CLI to report."""

    target: Path
    created: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def check_target(target: Path, force: bool) -> bool:
    """Check the target can be written; return True when it already has files in it."""
    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} exists and is not a directory; choose another path.")
    if not target.parent.exists():
        raise TargetError(f"{target.parent} does not exist; create it first.")
    occupied = target.is_dir() and any(target.iterdir())
    if occupied and not force:
        raise TargetError(
            f"{target} is not empty; choose an empty or new directory, or pass --force to "
            "overwrite the generated files (other files are never deleted)."
        )
    return occupied


def write(plan: Mapping[str, bytes], target: Path, force: bool = False) -> WriteResult:
    """Write every planned file under ``target``; see the module docstring for the guarantees."""
    target = target.resolve() if target.exists() else target.absolute()
    occupied = check_target(target, force)
    for rel in plan:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise TargetError(f"refusing to write outside the target: {rel}")
    if occupied:
        return _merge_into(plan, target)
    return _fresh(plan, target)


def _stage(plan: Mapping[str, bytes], folder: Path) -> None:
    for rel, data in plan.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if rel.endswith(EXECUTABLE_SUFFIXES):
            path.chmod(0o755)


def _fresh(plan: Mapping[str, bytes], target: Path) -> WriteResult:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _stage(plan, staging)
        staging.chmod(0o777 & ~_umask())
        staging.replace(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(target=target, created=sorted(plan))


def _merge_into(plan: Mapping[str, bytes], target: Path) -> WriteResult:
    result = WriteResult(target=target)
    for rel in sorted(plan):
        blocked = [p for p in (target / rel, *(target / rel).parents) if p.is_relative_to(target)]
        if (target / rel).is_dir() or any(p.is_file() for p in blocked[1:]):
            raise TargetError(f"{target / rel}: a folder and a file clash there; move it away.")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _stage(plan, staging)
        for rel in sorted(plan):
            dest = target / rel
            if dest.is_file() and dest.read_bytes() == plan[rel]:
                result.unchanged.append(rel)
                continue
            (result.overwritten if dest.exists() else result.created).append(rel)
            if dest.is_file():
                shutil.copymode(dest, staging / rel)  # keep the user's chmod (update, --force)
            dest.parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).replace(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def remove(paths: Iterable[str], target: Path) -> None:
    """Delete generated files, then the folders this leaves empty (never ``target`` itself)."""
    for rel in paths:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise TargetError(f"refusing to delete outside the target: {rel}")
        path = target / rel
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == target or not parent.is_relative_to(target) or any(parent.iterdir()):
                break
            parent.rmdir()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
