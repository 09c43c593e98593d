"""The merge base of a generated project, and the three-way merge of one text file.

``sm-advisor update`` needs what was generated last time, but the templates of an older version
are gone by then, so ``plan`` also writes a snapshot of itself to ``.sm-advisor/base.json``::

    {"binary": {path: "sha256:<hex>"}, "files": {path: text}, "format": 1}

Text files are stored whole (they may be merged); binary files only by digest, which is all the
rule "yours wins if you changed it, else the template's" needs. The JSON is deterministic (sorted
keys, one entry per line) so that re-rendering unchanged answers gives identical bytes.

Text is merged with ``git merge-file`` when git is on PATH (battle-tested, the markers users
know), else with the pure-Python diff3 below; both produce git-style conflict markers.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from generators import untrusted
from generators.errors import SpecError

SNAPSHOT = ".sm-advisor/base.json"
FORMAT = 1
LABELS = ("ours", "base", "theirs")

Style = Literal["diff3", "merge"]
# What the base knows of one file: its bytes (text), or the digest of a binary file.
BaseEntry = bytes | str


def is_text(data: bytes) -> bool:
    """Say whether a file can be merged line by line: UTF-8 without NUL bytes."""
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def digest(data: bytes) -> str:
    """Return the digest the snapshot stores for a binary file."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def same(entry: BaseEntry | None, data: bytes | None) -> bool:
    """Say whether a file's content equals what the base recorded (both absent counts)."""
    if entry is None or data is None:
        return entry is None and data is None
    if isinstance(entry, bytes):
        return entry == data
    return entry == digest(data)


def snapshot(files: Mapping[str, bytes]) -> bytes:
    """Return ``.sm-advisor/base.json`` for a plan: every file but the snapshot itself."""
    text: dict[str, str] = {}
    binary: dict[str, str] = {}
    for rel, data in files.items():
        if rel == SNAPSHOT:
            continue
        if is_text(data):
            text[rel] = data.decode("utf-8")
        else:
            binary[rel] = digest(data)
    doc = {"format": FORMAT, "files": text, "binary": binary}
    return (json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def read_snapshot(data: bytes, where: str) -> dict[str, BaseEntry]:
    """Parse a snapshot into ``{path: bytes or digest}``; refuse anything malformed or unsafe."""
    fix = f"delete {where} to merge against a fresh render of the stored answers instead."
    try:
        doc = untrusted.load_json(untrusted.decode(data, where), where)
    except untrusted.InputError as err:
        raise SpecError(f"{err} {fix[0].upper()}{fix[1:]}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SpecError(f"{where}: not a format-{FORMAT} sm-advisor snapshot; {fix}")
    base: dict[str, BaseEntry] = {}
    for key, as_bytes in (("files", True), ("binary", False)):
        entries = doc.get(key, {})
        if not isinstance(entries, dict):
            raise SpecError(f"{where}: '{key}' is not a mapping; {fix}")
        for rel, value in entries.items():
            if not isinstance(value, str) or not safe_path(rel):
                raise SpecError(f"{where}: bad entry '{untrusted.clip(rel)}'; {fix}")
            base[rel] = value.encode("utf-8") if as_bytes else value
    return base


def safe_path(rel: str) -> bool:
    """Say whether a stored path stays inside the project (relative, no '..', no backslash)."""
    p = PurePosixPath(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts and "\\" not in rel


@dataclass(frozen=True)
class Merged:
    """The merged bytes of one file and how many conflict blocks they contain."""

    data: bytes
    conflicts: int


def merge3(base: bytes, ours: bytes, theirs: bytes, style: Style = "diff3") -> Merged:
    """Merge two edits of ``base``; conflicting hunks get git-style markers.

    All three must be text (see ``is_text``). Trivial cases never run a merge.
    """
    if ours == theirs or theirs == base:
        return Merged(ours, 0)
    if ours == base:
        return Merged(theirs, 0)
    merged = git_merge(base, ours, theirs, style)
    return merged if merged is not None else python_merge(base, ours, theirs, style)


def git_merge(base: bytes, ours: bytes, theirs: bytes, style: Style = "diff3") -> Merged | None:
    """Merge with ``git merge-file``; None when git is missing or fails."""
    import shutil
    import subprocess
    import tempfile

    git = shutil.which("git")
    if git is None:
        return None
    with tempfile.TemporaryDirectory(prefix="sm-advisor-merge-") as tmp:
        names = []
        for label, data in zip(LABELS, (ours, base, theirs), strict=True):
            (Path(tmp) / label).write_bytes(data)
            names.append(label)
        labels = [arg for label in LABELS for arg in ("-L", label)]
        diff3 = ["--diff3"] if style == "diff3" else []
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
        proc = subprocess.run(
            [git, "merge-file", "-p", *diff3, *labels, *names],
            cwd=tmp, capture_output=True, env=env, check=False,
        )
    if not 0 <= proc.returncode < 128:
        return None
    return Merged(proc.stdout, proc.returncode)


def python_merge(base: bytes, ours: bytes, theirs: bytes, style: Style = "diff3") -> Merged:
    """Merge line by line with diff3's rule, using only the standard library."""
    b, o, t = (x.decode("utf-8").splitlines(keepends=True) for x in (base, ours, theirs))
    out: list[str] = []
    conflicts = 0
    for chunk in _chunks(b, o, t):
        if isinstance(chunk, list):
            out += chunk
            continue
        conflicts += 1
        mine, old, new = chunk
        out += [f"<<<<<<< {LABELS[0]}\n", *_closed(mine)]
        if style == "diff3":
            out += [f"||||||| {LABELS[1]}\n", *_closed(old)]
        out += ["=======\n", *_closed(new), f">>>>>>> {LABELS[2]}\n"]
    return Merged("".join(out).encode("utf-8"), conflicts)


Lines = list[str]


def _chunks(base: Lines, ours: Lines, theirs: Lines) -> Iterator[Lines | tuple[Lines, ...]]:
    """Yield merged lines, or ``(ours, base, theirs)`` for a hunk both sides changed."""
    ib = io = it = 0
    end = (len(base), len(base), len(ours), len(theirs))
    for sb, eb, so, st in [*_stable(base, ours, theirs), end]:
        b, o, t = base[ib:sb], ours[io:so], theirs[it:st]
        if o == t or t == b:
            yield o
        elif o == b:
            yield t
        else:
            yield (o, b, t)
        yield base[sb:eb]
        ib, io, it = eb, so + eb - sb, st + eb - sb


def _stable(base: Lines, ours: Lines, theirs: Lines) -> Iterator[tuple[int, int, int, int]]:
    """Yield the runs of base lines both sides kept: (base from, base to, ours at, theirs at)."""
    om = difflib.SequenceMatcher(None, base, ours, autojunk=False).get_matching_blocks()
    tm = difflib.SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    i = j = 0
    while i < len(om) and j < len(tm):
        ob, oo, on = om[i]
        tb, tt, tn = tm[j]
        lo, hi = max(ob, tb), min(ob + on, tb + tn)
        if lo < hi:
            yield lo, hi, oo + lo - ob, tt + lo - tb
        if ob + on < tb + tn:
            i += 1
        else:
            j += 1


def _closed(lines: Lines) -> Lines:
    """End the last line with a newline so that a marker never joins it."""
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines
