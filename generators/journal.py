"""All-or-nothing changes to a project folder: stage, commit with a journal, roll forward.

A change (``new`` into an empty or non-empty DIR, ``update``) is a list of operations: put these
bytes at a path, remove a path whose bytes are still the ones it had. ``commit``:

1. stages every new file and ``journal.json`` (the operations) in ``.sm-advisor/txn.new/``,
   beside the files it replaces (same filesystem), and syncs them (all at once, see
   ``_sync_all``);
2. renames ``txn.new`` to ``txn``: the commit point;
3. applies the operations in order (the manifest and the snapshot last), each by one rename or
   unlink, then deletes ``txn``.

A ``kill -9`` at any moment leaves ``txn.new`` (nothing was changed yet: ``recover`` deletes it,
the old project stays) or ``txn`` (``recover`` applies what is left: the new project). Every
command that works on a DIR calls ``recover`` before anything else. An operation is applied only
while the file still has the bytes it had when the change was computed (or already has the new
ones), so a file you edited in between is never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from generators import paths
from generators.digests import sha256_hex
from generators.errors import TargetError

META_DIR = ".sm-advisor"
TXN = "txn"
STAGING = "txn.new"
JOURNAL = "journal.json"
EXECUTABLE_SUFFIXES = (".sh",)
SYNC_THREADS = 4  # with this thread; more add thread start-ups, not fewer commits
SYNC_BATCH = 64  # files held open at once while staging


def _digest(data: bytes | None) -> str | None:
    return None if data is None else sha256_hex(data)


class Change(NamedTuple):
    """The operations of one commit: files to write (with their old bytes) and to remove.

    The caller fills the two mappings it passes in (no shared defaults: they are mutable).
    """

    puts: dict[str, tuple[bytes, bytes | None]]
    removes: dict[str, bytes]
    last: Sequence[str] = ()

    def ops(self) -> list[dict[str, str | None]]:
        """Return the journal's operations: content, removals, then the ``last`` paths."""
        first = [r for r in self.puts if r not in self.last]
        out: list[dict[str, str | None]] = []
        for rel in [*first, *(r for r in self.last if r in self.puts)]:
            new, old = self.puts[rel]
            out.append({"op": "put", "path": rel, "new": _digest(new), "old": _digest(old)})
        for rel in sorted(self.removes):
            out.append({"op": "rm", "path": rel, "new": None, "old": _digest(self.removes[rel])})
        return out


def _meta(root: int, create: bool) -> int | None:
    """Open ``.sm-advisor/`` without following a symlink; refuse it if it is not a folder."""
    kind, _ = paths.probe(root, META_DIR)
    if kind == "missing" and not create:
        return None
    if kind == "missing":
        os.mkdir(META_DIR, 0o777, dir_fd=root)
    elif kind != "dir":
        raise TargetError(
            f"{META_DIR} in the project is a {'symlink' if kind == 'link' else 'file'}, not "
            "sm-advisor's folder; move it away and run the command again."
        )
    return os.open(META_DIR, paths.DIR_FLAGS, dir_fd=root)


def commit(target: Path, change: Change) -> None:
    """Apply ``change`` to DIR all-or-nothing (see the module docstring)."""
    root = paths.open_root(target)
    try:
        _check(root, change)
        meta = _meta(root, create=True)
        assert meta is not None
        try:
            _stage(root, meta, change)
            os.rename(STAGING, TXN, src_dir_fd=meta, dst_dir_fd=meta)
            os.fsync(meta)
            _roll_forward(root, meta)
        except BaseException:
            _discard(meta, STAGING)  # before the commit point: nothing changed; else recover()
            _drop_empty_meta(root)
            raise
        finally:
            os.close(meta)
    except OSError as err:
        raise paths.os_error(err, target) from None
    finally:
        os.close(root)


def _check(root: int, change: Change) -> None:
    """Refuse a change whose files clash with folders, before anything is written."""
    for rel in change.puts:
        if not paths.safe(rel):
            raise TargetError(f"refusing to write outside the project: {paths.show(rel)}")
        kind, at = paths.probe(root, rel)
        if kind in ("dir", "under-file"):
            raise TargetError(f"{paths.show(at)}: a folder and a file clash there; move it away.")
        if kind in ("link", "under-link", "other"):
            raise paths.Unsafe(f"{paths.show(at)} is a symlink or a special file; left alone.")


def _stage(root: int, meta: int, change: Change) -> None:
    if paths.probe(meta, STAGING)[0] != "missing":
        _discard(meta, STAGING)
    os.mkdir(STAGING, 0o700, dir_fd=meta)
    stage = os.open(STAGING, paths.DIR_FLAGS, dir_fd=meta)
    written: list[int] = []  # written, not yet synced and closed
    try:
        ops = change.ops()
        for i, op in enumerate(ops):
            if op["op"] != "put":
                continue
            rel = str(op["path"])
            mode = paths.mode_of(root, rel)
            if mode is None:
                mode = 0o777 if rel.endswith(EXECUTABLE_SUFFIXES) else 0o666
                mode &= ~_umask()
            op["src"] = str(i)
            written.append(_write(stage, str(i), change.puts[rel][0], mode))
            if len(written) >= SYNC_BATCH:
                _sync_all(written)
                _close_all(written)
        journal = json.dumps({"format": 1, "ops": ops}).encode()
        written.append(_write(stage, JOURNAL, journal, 0o600))
        _sync_all([*written, stage])
    finally:
        _close_all(written)
        os.close(stage)


def _write(fd: int, name: str, data: bytes, mode: int) -> int:
    """Create ``name`` in folder ``fd`` with ``data`` and ``mode``; return it open (not synced)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    f = os.open(name, flags, 0o600, dir_fd=fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(f, view) :]
        os.fchmod(f, mode)
    except BaseException:
        os.close(f)
        raise
    return f


def _close_all(fds: list[int]) -> None:
    while fds:
        os.close(fds.pop())


def _sync_all(fds: Sequence[int], strict: bool = True) -> None:
    """``fsync`` every descriptor, several at a time; raise the first error if ``strict``.

    A filesystem commits concurrent syncs together (ext4's journal takes one commit for all the
    files waiting), so staging a project's ~30 files costs a few commits, not one per file: about
    a tenth of the time of syncing them one after the other.
    """
    import threading  # already loaded by jinja2 on the path of new and update

    errors: list[OSError] = []

    def sync(part: Sequence[int]) -> None:
        for fd in part:
            try:
                os.fsync(fd)
            except OSError as err:
                errors.append(err)

    n = max(1, min(SYNC_THREADS, len(fds)))
    threads = [threading.Thread(target=sync, args=(fds[i::n],)) for i in range(1, n)]
    for thread in threads:
        thread.start()
    sync(fds[::n])  # this thread's share
    for thread in threads:
        thread.join()
    if errors and strict:
        raise errors[0]


def recover(target: Path) -> str | None:
    """Finish or undo a change a killed command left in DIR; say which (None: nothing to do)."""
    try:
        root = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None  # not a folder (yet): the command reports that itself
    try:
        if paths.probe(root, META_DIR)[0] != "dir":
            return None  # the command refuses a .sm-advisor that is not a folder itself
        meta = _meta(root, create=False)
        assert meta is not None
        try:
            if paths.probe(meta, TXN)[0] == "dir":
                _roll_forward(root, meta)
                return "finished an interrupted change of this project (its journal was complete)"
            if paths.probe(meta, STAGING)[0] != "missing":
                _discard(meta, STAGING)
                _drop_empty_meta(root)
                return "undid an interrupted change of this project (it had not started yet)"
            _drop_empty_meta(root)  # killed between making .sm-advisor/ and staging in it
            return None
        finally:
            os.close(meta)
    except OSError as err:
        raise paths.os_error(err, target) from None
    finally:
        os.close(root)


def _roll_forward(root: int, meta: int) -> None:
    txn = os.open(TXN, paths.DIR_FLAGS, dir_fd=meta)
    try:
        ops = _ops(paths.read(txn, JOURNAL, limit=16 << 20))
        for op in ops:
            rel = op["path"]
            if not paths.safe(rel):
                continue
            if op["op"] == "put":
                _put(root, txn, op)
            else:
                _remove(root, op)
        _sync_folders(root, {op["path"].rpartition("/")[0] for op in ops})
    finally:
        os.close(txn)
    _discard(meta, TXN)
    _drop_empty_meta(root)


def _ops(raw: bytes | None) -> list[dict[str, str]]:
    """Parse a journal (untrusted, like everything in DIR): a list of well-formed operations."""
    if raw is None:
        return []  # killed while cleaning up: nothing left to do
    fix = f"delete {META_DIR}/{TXN} and run the command again."
    try:
        ops = json.loads(raw.decode("utf-8"))["ops"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise TargetError(
            f"{META_DIR}/{TXN}/{JOURNAL} is not a journal of sm-advisor's; {fix}"
        ) from None
    bad = TargetError(f"{META_DIR}/{TXN}/{JOURNAL} has a malformed operation; {fix}")
    if not isinstance(ops, list):
        raise bad
    keys = {"put": {"op", "path", "new", "old", "src"}, "rm": {"op", "path", "new", "old"}}
    checked: list[dict[str, str]] = []
    for op in ops:
        if not isinstance(op, dict) or set(op) != keys.get(str(op.get("op")), set()):
            raise bad
        if not all(v is None or isinstance(v, str) for v in op.values()):
            raise bad
        if op["op"] == "put" and not str(op["src"]).isdigit():
            raise bad
        checked.append(op)
    return checked


def _current(root: int, rel: str) -> tuple[paths.Kind, str | None]:
    kind, _ = paths.probe(root, rel)
    return kind, _digest(paths.read(root, rel)) if kind == "file" else None


def _put(root: int, txn: int, op: dict[str, str]) -> None:
    src = op["src"]
    if paths.probe(txn, src)[0] != "file":
        return  # applied before the last run was killed
    kind, now = _current(root, op["path"])
    if kind not in ("file", "missing") or now not in (op["old"], op["new"]):
        return  # a symlink, or edited since: left alone
    with paths.parent(root, op["path"], create=True) as (fd, name):
        os.replace(src, name, src_dir_fd=txn, dst_dir_fd=fd)


def _remove(root: int, op: dict[str, str]) -> None:
    rel = op["path"]
    kind, now = _current(root, rel)
    if kind == "file" and now == op["old"]:
        with paths.parent(root, rel) as (fd, name):
            os.unlink(name, dir_fd=fd)
    if kind in ("file", "missing"):
        paths.prune(root, rel)


def _sync_folders(root: int, folders: set[str]) -> None:
    """Make the renames durable before the journal goes: every folder touched is synced."""
    with contextlib.ExitStack() as opened:
        fds = [root] if "" in folders else []
        for folder in sorted(folders - {""}):
            try:
                fds.append(opened.enter_context(paths.parent(root, folder + "/."))[0])
            except (OSError, paths.Unsafe):
                pass  # pruned away, or a symlink (never followed): nothing of ours to sync
        _sync_all(fds, strict=False)


def _discard(meta: int, name: str) -> None:
    """Delete a staging folder of ours (``shutil.rmtree`` never follows a symlink)."""
    kind, _ = paths.probe(meta, name)
    if kind == "dir":
        shutil.rmtree(name, dir_fd=meta)
    elif kind != "missing":
        os.unlink(name, dir_fd=meta)


def _drop_empty_meta(root: int) -> None:
    try:
        st = os.stat(META_DIR, dir_fd=root, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            os.rmdir(META_DIR, dir_fd=root)
    except OSError:
        pass  # not empty (the snapshot is there), or gone


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def plan_change(
    files: Mapping[str, bytes], current: Mapping[str, bytes | None], last: Sequence[str] = ()
) -> Change:
    """Return the change that writes ``files`` over ``current`` (unchanged files left out)."""
    puts = {r: (d, current.get(r)) for r, d in files.items() if current.get(r) != d}
    return Change(puts, {}, last)
