"""The merge base of a generated project, and the three-way merge of one text file.

``sm-advisor update`` needs what was generated last time, but the templates of an older version
are gone by then, so ``plan`` also writes a snapshot of itself to ``.sm-advisor/base.json``::

    {"binary": {path: "sha256:<hex>"}, "files": {path: text}, "format": 1}

Text files are stored whole (they may be merged); binary files only by digest, which is all the
rule "yours wins if you changed it, else the template's" needs. The JSON is deterministic (sorted
keys, one entry per line) so that re-rendering unchanged answers gives identical bytes.

Text is merged with ``git merge-file`` (battle-tested, the markers users know). There is no
pure-Python fallback: the maintained library (``merge3``, from Breezy) is GPL-2.0-or-later, which
this MIT package cannot depend on, and git is on the machines where generated projects live. Without
git, a merge that needs it stops with one line before anything is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Literal, NamedTuple

from generators import untrusted
from generators.digests import sha256_hex
from generators.errors import GeneratorError, SpecError
from generators.message_text import clip

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
    return "sha256:" + sha256_hex(data)


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
                raise SpecError(f"{where}: bad entry '{clip(rel)}'; {fix}")
            base[rel] = value.encode("utf-8") if as_bytes else value
    return base


def safe_path(rel: str) -> bool:
    """Say whether a stored path stays inside the project (relative, no '..', no backslash)."""
    p = PurePosixPath(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts and "\\" not in rel


class Merged(NamedTuple):
    """The merged bytes of one file and how many conflict blocks they contain."""

    data: bytes
    conflicts: int


def merge3(base: bytes, ours: bytes, theirs: bytes, style: Style = "diff3") -> Merged:
    """Merge two edits of ``base`` with ``git merge-file``; conflicting hunks get git's markers.

    All three must be text (see ``is_text``). Trivial cases (one side unchanged) never run a
    merge, so git is only needed when you and the templates both changed a file.

    Raises:
        SpecError: git is not on PATH (the caller has written nothing yet).
        GeneratorError: git merge-file failed.
    """
    if ours == theirs or theirs == base:
        return Merged(ours, 0)
    if ours == base:
        return Merged(theirs, 0)
    return git_merge(base, ours, theirs, style)


NO_GIT = (
    "merging a file that both you and the templates changed needs git ('git merge-file'), "
    "which is not on PATH; install git (for example 'apt-get install git') and run the "
    "update again. Nothing was written."
)


def git_merge(base: bytes, ours: bytes, theirs: bytes, style: Style = "diff3") -> Merged:
    """Merge with ``git merge-file``, which prints the merge and exits with the conflict count."""
    import shutil
    import subprocess
    import tempfile

    git = shutil.which("git")
    if git is None:
        raise SpecError(NO_GIT)
    with tempfile.TemporaryDirectory(prefix="sm-advisor-merge-") as tmp:
        for label, data in zip(LABELS, (ours, base, theirs), strict=True):
            (Path(tmp) / label).write_bytes(data)
        labels = [arg for label in LABELS for arg in ("-L", label)]
        diff3 = ["--diff3"] if style == "diff3" else []
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
        proc = subprocess.run(
            [git, "merge-file", "-p", *diff3, *labels, *LABELS],
            cwd=tmp,
            capture_output=True,
            env=env,
            check=False,
        )
    if not 0 <= proc.returncode < 128:
        reason = proc.stderr.decode(errors="replace").strip().splitlines()
        raise GeneratorError(
            f"git merge-file failed (exit {proc.returncode}): "
            f"{reason[-1] if reason else 'no message'}"
        )
    return Merged(proc.stdout, proc.returncode)
