"""Path safety inside a project: nothing outside DIR and nothing under ``.git/`` is ever touched.

Every relative path is checked by name (``safe``) and then walked one component at a time from
an open descriptor of DIR with ``O_NOFOLLOW``: a symlink anywhere inside the project is the
user's, so it is never followed and never replaced (``probe`` reports it, the callers leave it
alone). Reads and writes go through the same walk, so a symlink swapped in between the check and
the write still cannot lead outside DIR. Only DIR itself, which the user named, may be a symlink.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Literal

from generators.errors import GeneratorError, TargetError

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
# What a path is, seen without following symlinks. ``under-link``: a folder on the way is a
# symlink; ``under-file``: a file (or other non-folder) is where a folder should be.
Kind = Literal["missing", "file", "dir", "link", "other", "under-link", "under-file"]
# Errors the user can fix by choosing another DIR (exit 2); others (a full disk) exit 1.
USER_ERRNOS = {
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENOTDIR,
    errno.ENOENT,
    errno.EISDIR,
    errno.ELOOP,
    errno.ENAMETOOLONG,
    errno.EBUSY,
    errno.EEXIST,
    errno.EXDEV,
    errno.EINVAL,
}


class Unsafe(TargetError):
    """A path goes through a symlink or a file; sm-advisor leaves it alone."""


def safe(rel: object) -> bool:
    """Say whether a stored relative path may be touched at all: inside DIR, never in ``.git``.

    Relative POSIX paths of plain components only: no '..', '.', empty part, backslash, NUL
    or control character, and no component that is ``.git`` in any letter case.
    """
    if not isinstance(rel, str) or not rel or rel.startswith("/") or len(rel) > 1024:
        return False
    if any(ord(c) < 32 or c in "\\\x7f" for c in rel):
        return False
    parts = rel.split("/")
    if PurePosixPath(rel).as_posix() != rel:
        return False
    return all(p not in ("", ".", "..") and p.casefold() != ".git" for p in parts)


def show(value: object) -> str:
    """Return a path or name for a one-line message: non-printable characters escaped."""
    text = str(value)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:200])


def os_error(err: OSError, where: object, verb: str = "write") -> GeneratorError:
    """Turn an OS error into one line: ``TargetError`` (exit 2) or ``GeneratorError`` (exit 1)."""
    reason = os.strerror(err.errno) if err.errno else show(err)
    at = show(err.filename) if isinstance(err.filename, str | Path) else show(where)
    if err.errno in USER_ERRNOS:
        return TargetError(f"cannot {verb} {at}: {reason}; choose another directory.")
    return GeneratorError(f"cannot {verb} {at}: {reason}; nothing was changed there.")


def open_root(target: Path) -> int:
    """Open DIR (following a symlink only here: the user named it) as a folder descriptor."""
    try:
        return os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as err:
        raise os_error(err, target) from None


def _lstat(name: str, fd: int) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _kind(st: os.stat_result | None) -> Kind:
    if st is None:
        return "missing"
    if stat.S_ISLNK(st.st_mode):
        return "link"
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    return "file" if stat.S_ISREG(st.st_mode) else "other"


def probe(root: int, rel: str) -> tuple[Kind, str]:
    """Return what ``rel`` is, and the prefix where the walk stopped (a symlink, a file)."""
    parts = rel.split("/")
    fd = root
    try:
        for i, name in enumerate(parts):
            kind = _kind(_lstat(name, fd))
            prefix = "/".join(parts[: i + 1])
            if i == len(parts) - 1 or kind == "missing":
                return kind, prefix
            if kind != "dir":
                return ("under-link" if kind == "link" else "under-file"), prefix
            nxt = os.open(name, DIR_FLAGS, dir_fd=fd)
            if fd != root:
                os.close(fd)
            fd = nxt
    finally:
        if fd != root:
            os.close(fd)
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def parent(root: int, rel: str, create: bool = False) -> Iterator[tuple[int, str]]:
    """Yield ``(folder descriptor, name)`` for ``rel``, walking (and making) folders no-follow."""
    *dirs, name = rel.split("/")
    fd = root
    try:
        for part in dirs:
            try:
                nxt = os.open(part, DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(part, 0o777, dir_fd=fd)
                nxt = os.open(part, DIR_FLAGS, dir_fd=fd)
            except OSError as err:
                if err.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise Unsafe(
                        f"{show(rel)}: {show(part)} is a symlink or a file; left alone."
                    ) from None
                raise
            if fd != root:
                os.close(fd)
            fd = nxt
        yield fd, name
    finally:
        if fd != root:
            os.close(fd)


def read(root: int, rel: str, limit: int = 64 << 20) -> bytes | None:
    """Return a regular file's bytes (None when missing); never through a symlink or a FIFO."""
    try:
        with parent(root, rel) as (fd, name):
            try:
                f = os.open(name, READ_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                return None
    except FileNotFoundError:
        return None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise Unsafe(f"{show(rel)} is a symlink; sm-advisor never follows one.") from None
        raise
    try:
        info = os.fstat(f)
        if not stat.S_ISREG(info.st_mode):
            raise Unsafe(f"{show(rel)} is not a regular file; left alone.")
        if info.st_size > limit:  # refused before reading a byte
            size = -(-info.st_size >> 20)
            raise TargetError(
                f"{show(rel)} is {size} MiB, more than the {limit >> 20} MiB allowed; left alone."
            )
        chunks, size = [], 0
        while chunk := os.read(f, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise TargetError(f"{show(rel)} is larger than {limit >> 20} MiB; left alone.")
        return b"".join(chunks)
    finally:
        os.close(f)


def mode_of(root: int, rel: str) -> int | None:
    """Return a regular file's permission bits (None when it is not one)."""
    try:
        with parent(root, rel) as (fd, name):
            st = _lstat(name, fd)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) if st is not None and stat.S_ISREG(st.st_mode) else None


def prune(root: int, rel: str) -> None:
    """Remove the folders of ``rel`` that are now empty, deepest first (never DIR itself)."""
    dirs = rel.split("/")[:-1]
    for depth in range(len(dirs), 0, -1):
        sub = "/".join(dirs[:depth])
        try:
            with parent(root, sub) as (fd, name):
                if _kind(_lstat(name, fd)) != "dir":
                    return
                os.rmdir(name, dir_fd=fd)
        except OSError:
            return
