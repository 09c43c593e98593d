"""``sm-advisor update DIR``: re-render a generated project and merge it with your edits."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.commands.new import add_project_options
from advisor.flags import add_answer_flags

if TYPE_CHECKING:
    from advisor.models import Answers, Assessment
    from generators.manifest import Manifest
    from generators.merge import Style
    from generators.spec import ProjectSpec
    from generators.update import Change, Options

HELP = "re-render a generated project with changed answers or a newer sm-advisor, keeping edits"

DESCRIPTION = """\
Re-render a project made by 'sm-advisor new' from its .sm-advisor.yaml, with the answers and
options given here on top, and merge the result into DIR three ways: base = what was generated
last time (.sm-advisor/base.json), ours = the files in DIR now, theirs = the new render.
Your edits are kept; lines both sides changed get conflict markers and are listed; files you
deleted stay deleted; other files in DIR are not touched, symlinks are never followed, and the
update is all-or-nothing (an interrupted one is finished by the next command on DIR)."""

EPILOG = """\
examples:
  sm-advisor update churn --dry-run              # after upgrading sm-advisor: preview the diff
  sm-advisor update churn --release-frequency weekly --with ci
  sm-advisor update churn --kind auto            # follow the recommendation of the answers
exit codes: 0 updated (or already up to date), 1 conflicts were written (or would be, with
--dry-run), 2 bad input: no or malformed manifest, bad flags (nothing written)."""

LABELS = {
    "added": "added",
    "updated": "updated",
    "merged": "merged",
    "removed": "removed",
    "kept": "kept",
    "deleted": "deleted",
    "skipped": "skipped",
    "conflict": "CONFLICT",
}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``update`` subcommand."""
    p = sub.add_parser(
        "update",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("directory", metavar="DIR", help="the generated project (has .sm-advisor.yaml)")
    add_project_options(p, "update")
    p.add_argument(
        "--dry-run", action="store_true", help="print the diff of what would change; write nothing"
    )
    p.add_argument(
        "--conflict-style",
        choices=("diff3", "merge"),
        default="diff3",
        help="diff3 (default) also shows the base between ||||||| and =======",
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    add_answer_flags(p)
    for action in p._actions:
        if action.dest == "answers":
            action.help = "YAML or JSON answers that replace the stored ones they name; flags win"
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load the manifest, render the new version, merge it into DIR (unless --dry-run)."""
    from generators import paths

    try:
        return _run(args)
    except OSError as err:  # reading DIR (writes are wrapped where they happen)
        raise paths.os_error(err, args.directory, "read") from None


def _run(args: argparse.Namespace) -> int:
    from generators.manifest import load
    from generators.update import Options, apply

    target = Path(args.directory)
    check_project(target)
    manifest = load(target)
    _check_version(manifest, target)
    before, after = _assessments(args, manifest, target)
    opts = Options(args.kind, args.framework, args.sdk, tuple(args.with_), tuple(args.without))
    planned = prepare(target, manifest, before, after, opts, args.conflict_style)
    spec, changes = planned.spec, planned.changes
    if not args.dry_run:
        apply(changes, target)
    switch = args.kind is None and before.recommendation != after.recommendation != spec.kind
    notes = planned.ignored + _notes(manifest, after, planned.stored, switch)
    _report(args, manifest, spec, changes, notes, planned.carried)
    return 1 if any(c.status == "conflict" for c in changes) else 0


@dataclass(frozen=True)
class Planned:
    """An update computed in memory: what ``apply`` would write, and what the report says."""

    spec: ProjectSpec
    changes: list[Change]
    carried: list[str]
    stored: bool
    ignored: list[str]


def prepare(
    target: Path,
    manifest: Manifest,
    before: Assessment,
    after: Assessment,
    opts: Options,
    style: Style = "diff3",
) -> Planned:
    """Render the new version and merge it with DIR's files in memory; nothing is written.

    Snapshot entries count only where the templates produce the path (``contain``); symlinked
    paths are skipped, never read through. A change of kind carries the training code's regions
    (and settings) to their new files (``graduate``).
    """
    from generators import paths, plan
    from generators.graduate import annotate, graduate, summary
    from generators.update import (
        check_resolved,
        contain,
        load_base,
        next_spec,
        read_ours,
        reconcile,
    )

    spec = _named(target, lambda: next_spec(manifest, before, after, opts))
    theirs = plan(spec)
    recorded = plan(next_spec(manifest, before, before))
    root = paths.open_root(target)
    try:
        base, stored = load_base(root, target, lambda: recorded)
        base, skipped, ignored = contain(base, theirs, recorded, root)
        skip = {c.path for c in skipped}
        base = {r: e for r, e in base.items() if r not in skip}
        ours = read_ours(root)
        moved = graduate(base, ours, theirs, manifest.project.kind, spec.kind, spec.package, style)
        theirs = {r: d for r, d in {**theirs, **moved.files}.items() if r not in skip}
        changes = annotate(reconcile(base, ours, theirs, style), moved)
    finally:
        os.close(root)
    changes = sorted(changes + skipped, key=lambda c: c.path)
    check_resolved(changes)
    return Planned(spec, changes, summary(moved), stored, ignored)


_NOT = {"file": "not a regular file", "dir": "not a folder (sm-advisor keeps its base there)"}


def check_project(target: Path) -> None:
    """Finish an interrupted change, then refuse bookkeeping files that are not sm-advisor's.

    The manifest, ``.sm-advisor/`` and the snapshot are read only when they are what
    ``sm-advisor new`` made: a regular file or folder, not a symlink (which is never followed).
    """
    from generators import paths
    from generators.manifest import ManifestError
    from generators.merge import SNAPSHOT
    from generators.update import MANIFEST

    recover(target)
    if not target.is_dir():
        return  # the manifest loader says so in its own words
    root = paths.open_root(target)
    try:
        for rel, want in ((MANIFEST, "file"), (".sm-advisor", "dir"), (SNAPSHOT, "file")):
            kind, at = paths.probe(root, rel)
            if kind not in ("missing", want):
                what = (
                    "a symlink; sm-advisor never follows symlinks"
                    if "link" in kind
                    else _NOT[want]
                )
                raise ManifestError(
                    f"{paths.show(target / at)} is {what}. Put back what 'sm-advisor new' "
                    "made there, then run the update again."
                )
    finally:
        os.close(root)


def recover(target: Path) -> None:
    """Finish or undo a change a killed command left in DIR, and say so on stderr."""
    from generators import journal

    done = journal.recover(target)
    if done:
        print(f"sm-advisor: note: {done}.", file=sys.stderr)


def _named(target: Path, build: Callable[[], ProjectSpec]) -> ProjectSpec:
    """Build the spec; a bad project name comes from the manifest, so the message says so."""
    from generators.manifest import FILENAME, ManifestError
    from generators.naming import NameError_

    try:
        return build()
    except NameError_ as err:
        raise ManifestError(
            f"{target / FILENAME}: project.name: {str(err).split(';')[0]}; fix it there."
        ) from None


def _check_version(manifest: Manifest, target: Path) -> None:
    from advisor import __version__
    from advisor.errors import UserError
    from generators.manifest import version_tuple

    made_by = manifest.generator.version
    if version_tuple(made_by) > version_tuple(__version__):
        raise UserError(
            f"{target} was generated by sm-advisor {made_by}, newer than this {__version__}; "
            "upgrade sm-advisor (pip install -U sm-advisor) before updating it."
        )


def _assessments(
    args: argparse.Namespace, manifest: Manifest, target: Path
) -> tuple[Assessment, Assessment]:
    """Score the stored answers, and them with ``--answers FILE`` and the flags on top."""
    from advisor.scoring import score

    before = _answers(manifest, target, args, changed=False)
    return score(before), score(_answers(manifest, target, args, changed=True))


def _answers(
    manifest: Manifest, target: Path, args: argparse.Namespace, changed: bool
) -> Answers:
    """Validate the stored answers (errors name the manifest), then the changed ones."""
    from advisor import answers_file
    from advisor.collect import collect
    from advisor.flags import flag_values
    from generators.manifest import FILENAME

    layer = dict(manifest.answers)
    where = str(target / FILENAME)
    if changed and args.answers:
        layer.update(answers_file.load(args.answers))
        where = str(args.answers)
    flags = flag_values(args) if changed else {}
    return collect([("file", layer), ("flag", flags)], {"file": where})[0]


def _notes(manifest: Manifest, after: Assessment, stored: bool, switch: bool) -> list[str]:
    notes = []
    if not stored:
        notes.append(
            "no .sm-advisor/base.json: merged against a fresh render of the stored answers "
            f"(generated by sm-advisor {manifest.generator.version}); from now on the base "
            "is stored."
        )
    if switch:
        notes.append(
            f"the changed answers now recommend a {after.recommendation} project; add "
            f"--kind {after.recommendation} to switch to one."
        )
    return notes


def _report(
    args: argparse.Namespace,
    manifest: Manifest,
    spec: ProjectSpec,
    changes: list[Change],
    notes: list[str],
    carried: list[str],
) -> None:
    from generators.merge import SNAPSHOT
    from generators.update import unified_diff

    shown = [c for c in changes if c.path != SNAPSHOT]
    conflicts = [c.path for c in shown if c.status == "conflict"]
    if args.format == "json":
        data: dict[str, Any] = {
            "directory": str(args.directory),
            "dry_run": args.dry_run,
            "generator": {"from": manifest.generator.version, "to": spec.generator_version},
            "kind": spec.kind,
            "framework": spec.framework,
            "sdk": spec.sdk,
            "extras": list(spec.extras),
            "clean": not conflicts,
            "changes": [
                {"path": c.path, "status": c.status, "note": c.note, "conflicts": c.conflicts}
                for c in shown
            ],
            "conflicts": conflicts,
            "notes": notes,
            "carried": carried,
        }
        if args.dry_run:
            data["diff"] = unified_diff(changes)
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if args.dry_run:
        sys.stdout.write(unified_diff(changes))
    _summary(args, spec, shown, conflicts, notes)
    if carried:
        print(f"Your training code, from the {manifest.project.kind} project's files:")
        for line in carried:
            print(f"  {line}")


def _summary(
    args: argparse.Namespace,
    spec: ProjectSpec,
    shown: list[Change],
    conflicts: list[str],
    notes: list[str],
) -> None:
    extras = f", extras: {', '.join(spec.extras)}" if spec.extras else ""
    what = f"{spec.kind} project ({spec.framework}, SDK {spec.sdk}{extras})"
    if not shown:
        print(f"Already up to date: {args.directory} matches its {what}; nothing to change.")
    else:
        verb = "Would update" if args.dry_run else "Updated"
        print(f"{verb} {args.directory} to a {what} with sm-advisor {spec.generator_version}:")
        for c in shown:
            note = f" ({c.note})" if c.note else ""
            print(f"  {LABELS[c.status]:<9} {c.path}{note}")
    for note in notes:
        print(f"note: {note}")
    if conflicts:
        verb = "would write" if args.dry_run else "wrote"
        for path in conflicts:
            print(f"CONFLICT (content): Merge conflict in {path}")
        print(
            f"Automatic merge failed: {verb} conflict markers into {len(conflicts)} file(s); "
            "edit them to keep the right lines (between <<<<<<< ours and >>>>>>> theirs) "
            "and remove the markers."
        )
