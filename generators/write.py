"""Write a plan into DIR all-or-nothing, never touching a file the generator did not produce.

- A new DIR is made (the only thing ever created beside it); an existing empty DIR is filled in
  place, so its mode and identity stay (a mount point, or ``new .`` from inside it).
- A non-empty DIR is refused unless ``force``; then the planned files are written over their
  old versions and every other file is left alone (identical files are not rewritten).
- A planned path that is, or goes through, a symlink or a special file is the user's: it is
  skipped and reported, never followed or replaced (``generators.paths``).

Every case commits through ``generators.journal`` (stage in ``.sm-advisor/txn.new``, one rename,
roll forward), so a crash leaves the old folder or the new project after the next run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from generators import journal, paths
from generators.errors import TargetError
from generators.manifest import FILENAME
from generators.merge import SNAPSHOT

EXECUTABLE_SUFFIXES = journal.EXECUTABLE_SUFFIXES
META = (FILENAME, SNAPSHOT)


class WriteResult(NamedTuple):
    """What ``write`` did, for the CLI to report (``write`` fills the lists)."""

    target: Path
    created: list[str]
    overwritten: list[str]
    unchanged: list[str]
    skipped: list[str]


def check_target(target: Path, force: bool) -> bool:
    """Check the target can be written; return True when it already has files in it."""
    where = paths.show(target)
    try:
        st = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as err:
        raise paths.os_error(err, target) from None
    if st is not None and stat.S_ISLNK(st.st_mode) and not target.exists():
        raise TargetError(
            f"{where} is a symlink to a missing path (or a loop); remove it or choose another."
        )
    if st is None:
        if not target.parent.is_dir():
            fix = (
                "is not a directory; choose a path"
                if target.parent.exists()
                else ("does not exist; create it first, or choose a path")
            )
            raise TargetError(f"{paths.show(target.parent)} {fix} in an existing folder.")
        return False
    if not target.is_dir():
        raise TargetError(f"{where} exists and is not a directory; choose another path.")
    try:
        with os.scandir(target) as entries:
            occupied = any(True for _ in entries)
    except OSError as err:
        raise paths.os_error(err, target) from None
    if occupied and not force:
        raise TargetError(
            f"{where} is not empty; choose an empty or new directory, or pass --force to "
            "overwrite the generated files (other files are never deleted)."
        )
    return occupied


def write(plan: Mapping[str, bytes], target: Path, force: bool = False) -> WriteResult:
    """Write every planned file under ``target``; see the module docstring for the guarantees."""
    target = target.absolute()
    for rel in plan:
        if not paths.safe(rel):
            raise TargetError(f"refusing to write outside the target: {paths.show(rel)}")
    journal.recover(target)
    check_target(target, force)
    made = False
    if not target.exists():
        try:
            target.mkdir()
        except OSError as err:
            raise paths.os_error(err, target) from None
        made = True
    try:
        result, current = _survey(plan, target)
        files = {r: d for r, d in plan.items() if r not in result.skipped}
        journal.commit(target, journal.plan_change(files, current, last=META))
    except BaseException:
        if made:
            _rmdir(target)
        raise
    return result


def _survey(plan: Mapping[str, bytes], target: Path) -> tuple[WriteResult, dict[str, bytes | None]]:
    """Sort the planned files by what is on disk now, reading none through a symlink."""
    result = WriteResult(target, [], [], [], [])
    current: dict[str, bytes | None] = {}
    root = paths.open_root(target)
    try:
        for rel in sorted(plan):
            kind, at = paths.probe(root, rel)
            if kind in ("dir", "under-file"):
                raise TargetError(
                    f"{paths.show(target / at)}: a folder and a file clash there; move it away."
                )
            if kind in ("link", "under-link", "other"):
                result.skipped.append(rel)
                continue
            current[rel] = paths.read(root, rel) if kind == "file" else None
            if current[rel] == plan[rel]:
                result.unchanged.append(rel)
            else:
                (result.overwritten if kind == "file" else result.created).append(rel)
    except OSError as err:
        raise paths.os_error(err, target) from None
    finally:
        os.close(root)
    return result, current


def _rmdir(target: Path) -> None:
    try:
        target.rmdir()
    except OSError:
        pass
