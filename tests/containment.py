"""Helpers for the containment tests: run the CLI, fingerprint trees without following links."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from advisor.cli import main


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``sm-advisor ARGS`` in-process; return the exit code, stdout and stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    """Assert stderr is exactly one line of sm-advisor's, without a traceback; return it."""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("sm-advisor: ") and "Traceback" not in err, err
    return err


def tree(root: Path) -> dict[str, tuple[str, str, int]]:
    """Fingerprint every entry under ``root`` (no symlink followed): kind, content, mode."""
    out: dict[str, tuple[str, str, int]] = {}
    if not os.path.lexists(root):
        return out
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            st = path.lstat()
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", str(path.readlink()), 0)
            elif stat.S_ISREG(st.st_mode):
                out[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mode)
            else:
                out[rel] = ("dir", "", st.st_mode)
    return out


@contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """Mount a small tmpfs at ``where`` (root only; the test is skipped when it cannot)."""
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
