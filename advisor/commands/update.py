"""``sm-advisor update DIR``: re-render a generated project and merge it with your edits."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from advisor.commands.command import Command
from advisor.commands.new import add_project_options
from advisor.flags import add_answer_flags, flag_values

if TYPE_CHECKING:
    from generators.spec import ProjectSpec
    from generators.update import Change

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


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``update``."""
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


COMMAND = Command("update", HELP, add_arguments, DESCRIPTION, EPILOG)


def run(args: argparse.Namespace) -> int:
    """Load the manifest, render the new version, merge it into DIR (unless --dry-run)."""
    from pathlib import Path  # not at the top: every command's parser imports this module

    from advisor import usecases

    options = usecases.UpdateOptions(
        args.answers,
        flag_values(args),
        args.kind,
        args.framework,
        args.sdk,
        args.with_,
        args.without,
        args.conflict_style,
        args.dry_run,
    )
    updated = usecases.update_project(Path(args.directory), options, _note)
    if args.format == "json":
        sys.stdout.write(json.dumps(usecases.update_json(updated), indent=2) + "\n")
    else:
        if args.dry_run:
            from generators.update import unified_diff

            sys.stdout.write(unified_diff(updated.changes))
        _summary(args, updated.spec, updated.shown, updated.conflicts, updated.notes)
        if updated.carried:
            print(f"Your training code, from the {updated.manifest.project.kind} project's files:")
            for line in updated.carried:
                print(f"  {line}")
    return 1 if updated.conflicts else 0


def _note(text: str) -> None:
    print(f"sm-advisor: note: {text}.", file=sys.stderr)


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
