"""``kill -9`` during ``sm-advisor update`` leaves the old project or the new one, never a mix.

The update runs in a forked child (the modules are already imported, so a run takes a fraction
of a second) that is killed with SIGKILL: once before each of its file-system steps in turn
(rename, replace, unlink, mkdir, rmdir: every step of staging, commit and cleanup), and then at
random moments. After each kill the next command on the project (``new --dry-run``) recovers
it first, and the tree must then equal exactly the old project or the new one, user edits kept.

Killing before every step (and 30 random moments) is the slow variant. The fast one kills once
per stretch of like steps (before its first step, and before the very last step): the recovery
sees the same journal inside a stretch (n of m files replaced), so each state it must handle is
still reached, in a third of the runs.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from containment import cli, tree

from advisor.cli import main

UPDATE = ("--kind", "pipeline")  # script -> pipeline: 18 added, 4 removed, 1 merged, 3 updated
STEPS = ("rename", "replace", "unlink", "mkdir", "rmdir")
MY_LINE = "my-local-stuff/\n"
RANDOM = {"stretches": 5, "every-step": 30}
NEW = ("--kind", "pipeline", "--name", "demo")


def _child(argv: list[str], kill_at: int | None, pause: float, log: Path | None) -> None:
    """Run ``sm-advisor ARGV`` in this (forked) process; SIGKILL itself before step ``kill_at``.

    Exits with 100 + the exit code, or with the number of steps taken when ``kill_at`` is 0.
    With a ``log``, writes the name of each step to it, one a line.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115 (never returns)
    count = 0

    names = log.open("w", encoding="utf-8") if log else None  # noqa: SIM115 (see above)

    def wrap(real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            if names:
                names.write(f"{real.__name__}\n")
                names.flush()
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            if pause:
                time.sleep(pause)
            return real(*args, **kwargs)

        return step

    for name in STEPS:
        setattr(os, name, wrap(getattr(os, name)))
    code = main(argv)
    os._exit(min(count, 255) if kill_at == 0 else 100 + code)


def _run(
    argv: list[str],
    kill_at: int | None = None,
    delay: float | None = None,
    log: Path | None = None,
) -> int:
    """Run ``sm-advisor ARGV`` in a child; kill it after ``delay`` s (0: never); return status."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            _child(argv, kill_at, 0.002 if delay is not None else 0.0, log)
        finally:
            os._exit(98)
    if delay:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def _count_steps(argv: list[str]) -> int:
    """Count the file-system steps of an uninterrupted run (give it a scratch copy)."""
    return os.waitstatus_to_exitcode(_run(argv, kill_at=0))


def _steps(argv: list[str], log: Path) -> list[str]:
    """The file-system steps of an uninterrupted run, by name, in order (a scratch copy)."""
    count = os.waitstatus_to_exitcode(_run(argv, kill_at=0, log=log))
    names = log.read_text(encoding="utf-8").split()
    assert len(names) == count
    return names


def stretch_kills(names: list[str]) -> list[int]:
    """The steps (1-based) that begin a stretch of like steps, and the last step."""
    return [
        k for k in range(1, len(names) + 1) if k in (1, len(names)) or names[k - 1] != names[k - 2]
    ]


def _outcome(killed: bool, err: str, ending: str) -> str:
    recovery = "rolled forward" if "finished" in err else "rolled back" if "undid" in err else ""
    return " ".join(w for w in ("killed" if killed else "done", recovery, ending) if w)


@pytest.fixture
def work_dir(tmp_path: Path) -> Iterator[Path]:
    """A scratch folder in memory when the machine has one (fsync is free there), else tmp."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="sm-advisor-kill-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def before(work_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A script project with user edits: one that merges, one file of the user's own."""
    target = work_dir / "old"
    assert cli(capsys, "new", str(target))[0] == 0
    ignore = target / ".gitignore"
    ignore.write_text(MY_LINE + ignore.read_text())
    (target / "notes.txt").write_text("mine\n")
    return target


@pytest.mark.parametrize("kills", ["stretches", pytest.param("every-step", marks=pytest.mark.slow)])
def test_kill_9_during_update_leaves_the_old_or_the_new_project(
    kills: str, before: Path, work_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tree(before)
    ref = work_dir / "new"
    shutil.copytree(before, ref, symlinks=True)
    assert cli(capsys, "update", str(ref), *UPDATE)[0] == 0  # also imports what update needs
    durations = []
    for i in range(2):  # paused 2 ms per step as the random runs are; the faster run counts
        copy = work_dir / f"ref{i}"
        shutil.copytree(before, copy, symlinks=True)
        start = time.perf_counter()
        assert os.waitstatus_to_exitcode(_run(["update", str(copy), *UPDATE], None, 0.0)) == 100
        durations.append(time.perf_counter() - start)
    assert tree(work_dir / "ref0") == tree(work_dir / "ref1") == tree(ref)
    new = tree(ref)
    assert old != new and (ref / ".gitignore").read_text().startswith(MY_LINE)
    assert (ref / "notes.txt").read_text() == "mine\n"
    shutil.copytree(before, work_dir / "count", symlinks=True)
    names = _steps(["update", str(work_dir / "count"), *UPDATE], work_dir / "steps.log")
    assert len(names) > 40 and set(names) == set(STEPS)
    at = range(1, len(names) + 1) if kills == "every-step" else stretch_kills(names)
    rng = random.Random(10)
    trials: list[tuple[int | None, float | None]] = [(k, None) for k in at]
    trials += [(None, rng.uniform(0, min(durations))) for _ in range(RANDOM[kills])]
    outcomes: Counter[str] = Counter()
    for i, (kill_at, delay) in enumerate(trials):
        work = work_dir / f"t{i}"
        shutil.copytree(before, work, symlinks=True)
        status = _run(["update", str(work), *UPDATE], kill_at, delay)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert killed or kill_at is None, f"step {kill_at} was not reached"
        code, _, err = cli(capsys, "new", str(work), "--dry-run", "--force")
        state = tree(work)
        assert state in (old, new), f"trial {i} (kill_at={kill_at}, delay={delay}): a mix"
        assert code == 0 and "Traceback" not in err
        outcomes[_outcome(killed, err, "new" if state == new else "old")] += 1
        shutil.rmtree(work)
    print(f"\n{len(trials)} runs ({len(at)} step kills, {RANDOM[kills]} random): {dict(outcomes)}")
    assert sum(n for k, n in outcomes.items() if k.startswith("killed")) >= len(at)
    assert any("rolled forward" in k for k in outcomes)
    assert any("rolled back" in k for k in outcomes)


def test_kill_9_during_new_leaves_the_folder_empty_or_the_project_complete(
    work_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = work_dir / "ref"
    ref.mkdir()
    assert cli(capsys, "new", str(ref), *NEW)[0] == 0
    complete = tree(ref)
    (work_dir / "count").mkdir()
    steps = _count_steps(["new", str(work_dir / "count"), *NEW])
    assert steps > 20
    outcomes: Counter[str] = Counter()
    for kill_at in range(1, steps + 1):
        work = work_dir / f"n{kill_at}"
        work.mkdir(mode=0o750)
        status = _run(["new", str(work), *NEW], kill_at)
        assert os.WIFSIGNALED(status), f"step {kill_at} was not reached"
        code, _, err = cli(capsys, "new", str(work), "--dry-run", "--force")
        state = tree(work)
        assert code == 0 and state in ({}, complete), f"kill at step {kill_at}: a mix"
        assert work.stat().st_mode & 0o777 == 0o750
        outcomes[_outcome(True, err, "complete" if state else "empty")] += 1
        shutil.rmtree(work)
    print(f"\n{steps} kills of new into an empty folder: {dict(outcomes)}")
    assert any("rolled forward" in k for k in outcomes) and any("empty" in k for k in outcomes)


def test_every_staged_file_is_synced_before_the_commit_point_and_folders_before_cleanup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Syncing runs in threads (``journal._sync_all``); the order of the steps must not change.

    Before ``txn.new`` is renamed to ``txn`` (the commit point) every staged file, the journal and
    the staging folder are synced; before ``txn`` is deleted, every folder a file landed in is.
    """
    events: list[tuple[str, str]] = []
    real_fsync, real_rename, real_rmtree = os.fsync, os.rename, shutil.rmtree

    def fsync(fd: int) -> None:
        events.append(("fsync", str(Path(f"/proc/self/fd/{fd}").readlink())))
        real_fsync(fd)

    def rename(src: str, dst: str, **kwargs: Any) -> None:
        events.append(("rename", f"{src}->{dst}"))
        real_rename(src, dst, **kwargs)

    def rmtree(path: str, **kwargs: Any) -> None:
        events.append(("rmtree", str(path)))
        real_rmtree(path, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    target = tmp_path / "demo"
    assert cli(capsys, "new", str(target), *NEW)[0] == 0

    commit = events.index(("rename", "txn.new->txn"))
    cleanup = events.index(("rmtree", "txn"))
    synced_before_commit = {path for kind, path in events[:commit] if kind == "fsync"}
    staging = str(target / ".sm-advisor" / "txn.new")
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    staged = {f"{staging}/{i}" for i in range(len(files))} | {f"{staging}/journal.json", staging}
    assert staged <= synced_before_commit, staged - synced_before_commit
    synced_before_cleanup = {path for kind, path in events[commit:cleanup] if kind == "fsync"}
    folders = {str((target / rel).parent) for rel in files}
    assert folders <= synced_before_cleanup, folders - synced_before_cleanup
    assert len(folders) > 5
