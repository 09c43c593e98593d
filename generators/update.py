"""Three-way update of a generated project: base (last render), ours (the files now), theirs.

Per file (a path the base or the new render knows; other files are never looked at):

- new in theirs: added; if you already made a file there, both are merged (add/add);
- gone from theirs: removed if untouched, else kept and reported;
- you deleted it: it stays deleted; reported when the templates changed it meanwhile;
- in all three: the usual merge. Text gets git-style conflict markers where both sides changed
  the same lines; for binary files yours wins if you changed it, else the template's.

The manifest and the snapshot are bookkeeping: always the new render's. Nothing is written
until the whole update is computed, and then all of it commits at once through
``generators.journal`` (a ``kill -9`` leaves the old project or the new one); the snapshot last.

The snapshot and the manifest are untrusted: a path is touched only when today's templates can
produce it (``contain``), a file is removed only while its bytes equal the snapshot's, and a path
that is or goes through a symlink is skipped, never read or written (``generators.paths``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generators import untrusted
from generators.errors import SpecError, TargetError
from generators.manifest import FILENAME
from generators.merge import (
    SNAPSHOT,
    BaseEntry,
    Style,
    digest,
    is_text,
    merge3,
    read_snapshot,
    same,
)

if TYPE_CHECKING:
    from generators.manifest_schema import Manifest
    from generators.spec import Decision, ProjectSpec

META = (FILENAME, SNAPSHOT)
# Paths (fnmatch patterns) that earlier versions' templates produced and today's do not. When a
# template file is dropped, add its output path here so that ``update`` may remove the file from
# projects made before; a snapshot entry matching neither this nor a render is never touched.
RETIRED: tuple[str, ...] = ()

Status = Literal["added", "updated", "merged", "conflict", "removed", "kept", "deleted", "skipped"]
Reader = Callable[[str], bytes | None]


@dataclass(frozen=True)
class Change:
    """What the update does to one file: ``after`` is written (None: nothing, or deleted)."""

    path: str
    status: Status
    before: bytes | None
    after: bytes | None
    note: str = ""
    conflicts: int = 0

    @property
    def writes(self) -> bool:
        """Say whether the file's content on disk changes."""
        return self.status in ("added", "updated", "merged", "conflict", "removed")


def read_ours(root: int) -> Reader:
    """Return a reader of the project's current files (None for a missing file), no-follow."""
    from generators import paths

    def read(rel: str) -> bytes | None:
        return paths.read(root, rel)

    return read


def contain(
    base: Mapping[str, BaseEntry], theirs: Mapping[str, bytes], known: Iterable[str], root: int
) -> tuple[dict[str, BaseEntry], list[Change], list[str]]:
    """Keep the snapshot entries sm-advisor may touch, and skip the paths users made symlinks.

    ``known`` are the paths the templates produce for this project (a re-render of its recorded
    answers and options); ``RETIRED`` adds those earlier versions produced. Returns the trusted
    base, the skipped paths and one note per ignored entry.
    """
    import fnmatch

    from generators import paths

    allowed = set(known) | set(theirs)
    trusted = {
        r: e
        for r, e in base.items()
        if paths.safe(r) and (r in allowed or any(fnmatch.fnmatch(r, p) for p in RETIRED))
    }
    ignored = sorted(set(base) - set(trusted))
    notes = (
        [
            f"ignored {len(ignored)} snapshot entr{'y' if len(ignored) == 1 else 'ies'} the "
            f"templates do not produce ({', '.join(paths.show(r) for r in ignored[:3])}"
            f"{', ...' if len(ignored) > 3 else ''}); those files were not touched."
        ]
        if ignored
        else []
    )
    skipped = []
    for rel in sorted(set(trusted) | set(theirs)):
        kind, at = paths.probe(root, rel)
        if kind in ("link", "under-link", "other"):
            what = "a symlink" if "link" in kind else "not a regular file"
            skipped.append(
                Change(
                    rel,
                    "skipped",
                    None,
                    None,
                    f"{paths.show(at)} is {what}; never followed, left alone",
                )
            )
    return trusted, skipped, notes


def reconcile(
    base: Mapping[str, BaseEntry], ours: Reader, theirs: Mapping[str, bytes], style: Style
) -> list[Change]:
    """Decide every file's fate; unchanged files are left out."""
    changes: list[Change] = []
    for rel in sorted(set(base) | set(theirs)):
        o = ours(rel)
        if rel in META:
            t = theirs.get(rel)
            change = None if t is None or o == t else Change(rel, "updated", o, t)
        elif rel not in base:
            change = _new(rel, o, theirs[rel], style)
        elif rel not in theirs:
            change = _gone(rel, base[rel], o)
        else:
            change = _both(rel, base[rel], o, theirs[rel], style)
        if change is not None:
            changes.append(change)
    return changes


def _new(rel: str, o: bytes | None, t: bytes, style: Style) -> Change | None:
    if o is None:
        return Change(rel, "added", None, t)
    if o == t:
        return None
    return _merge(rel, b"", o, t, style)


def _gone(rel: str, b: BaseEntry, o: bytes | None) -> Change | None:
    if o is None:
        return None
    if same(b, o):
        return Change(rel, "removed", o, None)
    return Change(rel, "kept", o, None, "no longer generated, but you changed it; kept")


def _both(rel: str, b: BaseEntry, o: bytes | None, t: bytes, style: Style) -> Change | None:
    if o is None:
        if same(b, t):
            return None
        return Change(
            rel, "deleted", None, None, "you deleted it and the templates changed it; left deleted"
        )
    if o == t or same(b, t):
        return None
    if same(b, o):
        return Change(rel, "updated", o, t)
    if not isinstance(b, bytes):
        return Change(
            rel, "kept", o, None, "binary, changed by you and by the templates; yours kept"
        )
    return _merge(rel, b, o, t, style)


def _merge(rel: str, b: bytes, o: bytes, t: bytes, style: Style) -> Change:
    if not (is_text(b) and is_text(o) and is_text(t)):
        return Change(
            rel, "kept", o, None, "binary, changed by you and by the templates; yours kept"
        )
    merged = merge3(b, o, t, style)
    if merged.conflicts:
        return Change(rel, "conflict", o, merged.data, conflicts=merged.conflicts)
    return Change(rel, "merged", o, merged.data, "your edits kept")


def check_resolved(changes: Iterable[Change]) -> None:
    """Refuse to merge again into a file that still has conflict markers from the last update."""
    marker = re.compile(rb"^<<<<<<< ours$", re.MULTILINE)
    stuck = [
        c.path
        for c in changes
        if c.status in ("merged", "conflict") and c.before and marker.search(c.before)
    ]
    if stuck:
        raise SpecError(
            f"{', '.join(stuck)} still {'has' if len(stuck) == 1 else 'have'} conflict markers "
            "from the last update; resolve them (remove the <<<<<<< ours ... >>>>>>> theirs "
            "blocks) and run the update again."
        )


def apply(changes: Iterable[Change], target: Path) -> None:
    """Commit the update at once: contents, removals, then the manifest and the snapshot."""
    from generators import journal

    change = journal.Change({}, {}, META)
    for c in changes:
        if c.writes and c.after is not None:
            change.puts[c.path] = (c.after, c.before)
        elif c.status == "removed" and c.before is not None:
            change.removes[c.path] = c.before
    if change.puts or change.removes:
        journal.commit(target, change)


def unified_diff(changes: Iterable[Change]) -> str:
    """Return a git-style unified diff of what the update changes (the snapshot left out)."""
    out: list[str] = []
    for c in changes:
        if not c.writes or c.path == SNAPSHOT:
            continue
        old = f"a/{c.path}" if c.before is not None else "/dev/null"
        new = f"b/{c.path}" if c.after is not None else "/dev/null"
        before, after = c.before or b"", c.after or b""
        if not (is_text(before) and is_text(after)):
            out.append(f"Binary files {old} and {new} differ\n")
            continue
        lines = difflib.unified_diff(
            before.decode("utf-8").splitlines(keepends=True),
            after.decode("utf-8").splitlines(keepends=True),
            old,
            new,
        )
        out.extend(_terminated(lines))
    return "".join(out)


def _terminated(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


@dataclass(frozen=True)
class Options:
    """The project options given to ``update``; None (or empty) keeps what the manifest says."""

    kind: str | None = None
    framework: str | None = None
    sdk: str | None = None
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()


def next_spec(
    manifest: Manifest, before: Decision, after: Decision, opts: Options = Options()
) -> ProjectSpec:
    """Return the spec to render: the manifest's project, with the options applied on top.

    Extras forced on or off last time (the difference between the stored extras and those the
    stored answers select) stay forced; the others follow the answers, as in ``new``. With no
    options and unchanged answers this is the spec the project was generated from.
    """
    from generators.context import build_spec, choose_extras

    p = manifest.project
    stored = set(p.extras)
    auto = set(choose_extras(before)[0]) if p.kind == "pipeline" else stored
    on = (stored - auto - set(opts.without)) | set(opts.with_)
    off = (auto - stored - set(opts.with_)) | set(opts.without)
    kind = opts.kind or p.kind
    if opts.with_ and (after.recommendation if kind == "auto" else kind) == "script":
        raise SpecError(
            "--with adds pipeline extras, but this is a script project; "
            "add --kind pipeline to turn it into a pipeline project."
        )
    return build_spec(
        after,
        name=p.name,
        kind=kind,
        framework=opts.framework or p.framework,
        sdk=opts.sdk or p.sdk,
        with_=sorted(on),
        without=sorted(off),
    )


def load_base(
    root: int, target: Path, render: Callable[[], Mapping[str, bytes]]
) -> tuple[dict[str, BaseEntry], bool]:
    """Return the merge base and whether it is the stored snapshot.

    A project without one (made before snapshots existed, or whose snapshot was deleted) is
    merged against ``render()``, a fresh render of its stored answers: exact while the generator
    version is the same; otherwise template changes since then look like your edits and are kept.
    """
    from generators import paths

    try:
        data = paths.read(root, SNAPSHOT, untrusted.SNAPSHOT_MAX_BYTES)
    except TargetError as err:
        raise SpecError(f"{err} Delete it to merge against a fresh render.") from None
    if data is not None:
        return read_snapshot(data, str(target / SNAPSHOT)), True
    files = render()
    return {r: d if is_text(d) else digest(d) for r, d in files.items() if r != SNAPSHOT}, False
