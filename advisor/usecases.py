"""The use cases under both shells: assess, plan and generate (``new``), update, report.

The CLI commands (``advisor.commands``) turn arguments into these calls and print what comes
back; the TUI (``advisor.tui``) calls the same functions from its screens. Nothing here parses
arguments, prints or exits; errors are raised (``advisor.errors``, ``generators.errors``) and
the shells turn them into one line.

The flow: ``Inputs`` (answers file, flags, measured evidence) → ``assess`` → ``Assessed`` →
``decision`` (the generator's plain input) → ``plan_project`` → ``Planned`` → ``generate``. A
generated project is read back by ``assess_project`` (its manifest's answers) and re-rendered by
``update_project``.

Start-up matters (``assess`` is benchmarked): the module imports only the models at the top;
``generators`` and everything heavier are imported by the functions that need them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from advisor.models import Answers, Assessment, Source

if TYPE_CHECKING:  # pathlib too: it imports urllib.parse and ipaddress, not free for assess
    from pathlib import Path

    from advisor.evidence import Evidence
    from advisor.report.document import Meta
    from advisor.report.render import Format
    from generators.manifest_schema import Manifest
    from generators.spec import Decision, ProjectSpec
    from generators.update import Change, Options
    from generators.write import WriteResult


# ── assess ──────────────────────────────────────────────────────────────────────────────────


class Inputs(NamedTuple):
    """What the user gave: an answers file, answers as flags (text), measured evidence."""

    answers_file: str | None = None
    flags: Mapping[str, Any] = {}
    evidence: Evidence | None = None
    project: Path | None = None
    """A generated project: its manifest's answers are the bottom layer (``assess DIR``)."""


class ProjectFit(NamedTuple):
    """Whether a generated project's kind still fits its (re-assessed) answers."""

    directory: str
    name: str
    kind: str
    fits: bool
    message: str


class Assessed(NamedTuple):
    """An assessment with where each answer came from and the evidence behind it, if any."""

    assessment: Assessment
    sources: dict[str, Source]
    evidence: Evidence | None = None
    project: ProjectFit | None = None


def collect_answers(
    inputs: Inputs, manifest: Manifest | None = None
) -> tuple[Answers, dict[str, Source]]:
    """Validate the answers: defaults < project's manifest < answers file < evidence < flags.

    ``manifest`` is the project's (``inputs.project``), read by the caller; its answers and the
    answers file's form one layer, named after the file when there is one.
    """
    from advisor.collect import collect

    layers: list[tuple[Source, Mapping[str, Any]]] = []
    origin: dict[Source, str] = {}
    stored: dict[str, Any] = {}
    if manifest is not None and inputs.project is not None:
        from generators.manifest import FILENAME

        stored, origin["file"] = dict(manifest.answers), str(inputs.project / FILENAME)
    if inputs.answers_file:
        from advisor import answers_file  # with it the untrusted-file reader: only for a file

        stored.update(answers_file.load(inputs.answers_file))
        origin["file"] = str(inputs.answers_file)
    if "file" in origin:
        layers.append(("file", stored))
    measured = inputs.evidence.answers() if inputs.evidence else None
    if measured:
        layers.append(("measured", measured))
        origin["measured"] = "evidence"
    layers.append(("flag", inputs.flags))
    return collect(layers, origin)


def assess(inputs: Inputs) -> Assessed:
    """Collect the answers (with the evidence's measured layer, if any) and score them.

    With ``inputs.project`` (``assess DIR``), the project's stored answers come first and the
    result says whether the project's kind still fits them.
    """
    from advisor.scoring import score

    manifest = None
    if inputs.project is not None:
        from generators.manifest import load

        manifest = load(inputs.project)
    answers, sources = collect_answers(inputs, manifest)
    assessment = score(answers, sources)
    fit = None
    if manifest is not None and inputs.project is not None:
        name, kind = manifest.project.name, manifest.project.kind
        fit = project_fit(str(inputs.project), name, kind, assessment)
    return Assessed(assessment, sources, inputs.evidence, fit)


def project_fit(directory: str, name: str, kind: str, a: Assessment) -> ProjectFit:
    """Say whether a project's kind still fits its answers, and the command when it does not."""
    op = "≥" if a.score >= a.threshold else "<"
    scored = f"its answers now score {a.score:.0f} {op} {a.threshold:.0f}"
    if a.recommendation == kind:
        message = f"{name} is a {kind} project; {scored}: a {kind} project still fits."
    else:
        what = "a pipeline is" if a.recommendation == "pipeline" else "a single script is"
        command = f"sm-advisor update {directory} --kind {a.recommendation}"
        message = f"{name} is a {kind} project; {scored}: {what} recommended ({command})"
    return ProjectFit(directory, name, kind, a.recommendation == kind, message)


def assess_project(directory: Path, manifest: Manifest | None = None) -> Assessed:
    """Score the answers stored in a generated project's manifest (``.sm-advisor.yaml``).

    Errors in the stored answers name the manifest. ``manifest`` saves reading it twice.
    """
    from advisor.collect import collect
    from advisor.scoring import score
    from generators.manifest import FILENAME, load

    manifest = manifest or load(directory)
    answers, sources = collect(
        [("file", dict(manifest.answers))], {"file": str(directory / FILENAME)}
    )
    return Assessed(score(answers, sources), sources)


def decision(assessment: Assessment) -> Decision:
    """The generator's plain input (``generators.spec.Decision``) for an assessment."""
    from advisor import __version__
    from generators.spec import Criterion, Decision

    return Decision(
        recommendation=assessment.recommendation,
        score=assessment.score,
        answers=dict(assessment.answers),
        criteria=tuple(Criterion(c.id, c.title, c.score, c.met) for c in assessment.criteria),
        generator_version=__version__,
    )


# ── new: plan and generate ──────────────────────────────────────────────────────────────────


class ProjectOptions(NamedTuple):
    """The options that shape a new project (``sm-advisor new`` and the TUI's generate form)."""

    directory: Path
    name: str = ""
    kind: str = "auto"
    framework: str = "sklearn"
    sdk: str = "v3"
    with_: Sequence[str] = ()
    without: Sequence[str] = ()
    force: bool = False


class Planned(NamedTuple):
    """A project rendered in memory, ready to check and write."""

    options: ProjectOptions
    spec: ProjectSpec
    files: dict[str, bytes]


def recover(directory: Path) -> str | None:
    """Finish or undo a change a killed command left in DIR; say what was done (None: nothing)."""
    from generators import journal

    return journal.recover(directory) or None


def render(spec: ProjectSpec) -> dict[str, bytes]:
    """Render a spec's files in memory (``generators.plan``); one seam for tests to replace."""
    from generators import plan

    return plan(spec)


def plan_project(assessment: Assessment, options: ProjectOptions) -> Planned:
    """Build the spec (the name defaults to the directory's) and render the files in memory.

    The name is taken as given: a name the generator cannot use is refused, never trimmed.
    """
    from pathlib import Path

    from generators import build_spec

    target = options.directory
    name = options.name or Path(os.path.normpath(target.absolute())).name
    spec = build_spec(
        decision(assessment),
        name=name,
        kind=options.kind,
        framework=options.framework,
        sdk=options.sdk,
        with_=options.with_,
        without=options.without,
    )
    return Planned(options, spec, render(spec))


def check_target(planned: Planned) -> None:
    """Refuse a target that cannot be written as asked (not empty without force, ...)."""
    from generators.write import check_target as check

    check(planned.options.directory.absolute(), planned.options.force)


def generate(planned: Planned) -> WriteResult:
    """Write the planned files atomically; only generated files are ever overwritten."""
    from generators.write import write

    return write(planned.files, planned.options.directory, force=planned.options.force)


def new_json(
    planned: Planned,
    result: WriteResult | None,
    directory: str,
    evidence: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON document of ``sm-advisor new --format json`` (``result`` None: a dry run).

    ``directory`` is DIR as the user wrote it (the next steps quote it).
    """
    from pathlib import Path

    from generators.next_steps import next_steps

    spec = planned.spec
    data: dict[str, Any] = {
        "directory": str(Path(directory)),
        "dry_run": result is None,
        "kind": spec.kind,
        "framework": spec.framework,
        "sdk": spec.sdk,
        "recommendation": spec.recommendation,
        "extras": {e: spec.extra_reasons.get(e, "") for e in spec.extras},
        "files": sorted(planned.files),
        "created": result.created if result else [],
        "overwritten": result.overwritten if result else [],
        "unchanged": result.unchanged if result else [],
        "skipped": result.skipped if result else [],
        "next_steps": next_steps(spec, directory),
    }
    if evidence:
        data["evidence"] = evidence
    return data


# ── update ──────────────────────────────────────────────────────────────────────────────────


class UpdateOptions(NamedTuple):
    """What ``sm-advisor update`` changes: answers on top of the stored ones, project options."""

    answers_file: str | None = None
    flags: Mapping[str, Any] = {}
    kind: str | None = None
    framework: str | None = None
    sdk: str | None = None
    with_: Sequence[str] = ()
    without: Sequence[str] = ()
    conflict_style: str = "diff3"
    dry_run: bool = False


class Updated(NamedTuple):
    """What an update did (or would do, in a dry run)."""

    directory: Path
    manifest: Manifest
    spec: ProjectSpec
    changes: list[Change]
    notes: list[str]
    dry_run: bool
    carried: list[str] = []
    """Where the training code's regions went when the kind changed (``generators.graduate``)."""

    @property
    def shown(self) -> list[Change]:
        """The changes to list (the snapshot is bookkeeping)."""
        from generators.merge import SNAPSHOT

        return [c for c in self.changes if c.path != SNAPSHOT]

    @property
    def conflicts(self) -> list[str]:
        """The paths written (or to be written) with conflict markers."""
        return [c.path for c in self.shown if c.status == "conflict"]


def update_project(
    directory: Path, options: UpdateOptions, notify: Callable[[str], None] | None = None
) -> Updated:
    """Re-render a generated project with the changed answers and options; merge it three ways.

    Written unless ``options.dry_run``; all-or-nothing (``generators.journal``). An interrupted
    change is finished first and ``notify`` is told so.
    """
    from generators import paths

    try:
        done = recover(directory)
        if done and notify:
            notify(done)
        check_bookkeeping(directory)
        return _update(directory, options)
    except OSError as err:  # reading DIR (writes are wrapped where they happen)
        raise paths.os_error(err, str(directory), "read") from None


_NOT = {"file": "not a regular file", "dir": "not a folder (sm-advisor keeps its base there)"}


def check_bookkeeping(target: Path) -> None:
    """Refuse bookkeeping files that are not sm-advisor's.

    The manifest, ``.sm-advisor/`` and the snapshot are read only when they are what
    ``sm-advisor new`` made: a regular file or folder, not a symlink (which is never followed).
    """
    from generators import paths
    from generators.manifest import FILENAME, ManifestError
    from generators.merge import SNAPSHOT

    if not target.is_dir():
        return  # the manifest loader says so in its own words
    root = paths.open_root(target)
    try:
        for rel, want in ((FILENAME, "file"), (".sm-advisor", "dir"), (SNAPSHOT, "file")):
            kind, at = paths.probe(root, rel)
            if kind not in ("missing", want):
                what = (
                    "a symlink; sm-advisor never follows symlinks" if "link" in kind else _NOT[want]
                )
                raise ManifestError(
                    f"{paths.show(target / at)} is {what}. Put back what 'sm-advisor new' "
                    "made there, then run the update again."
                )
    finally:
        os.close(root)


class UpdatePlan(NamedTuple):
    """An update computed in memory: what ``apply`` would write, and what the report says."""

    spec: ProjectSpec
    changes: list[Change]
    carried: list[str]
    stored: bool
    ignored: list[str]


def plan_update(
    target: Path,
    manifest: Manifest,
    before: Assessment,
    after: Assessment,
    opts: Options,
    style: str = "diff3",
) -> UpdatePlan:
    """Render the new version and merge it with DIR's files in memory; nothing is written.

    Snapshot entries count only where the templates produce the path (``contain``); symlinked
    paths are skipped, never read through. A change of kind carries the training code's regions
    (and settings) to their new files (``generators.graduate``). The TUI's update screen calls
    this for its dry run, and ``update_project`` for the command.
    """
    from generators import paths
    from generators.graduate import annotate, graduate, summary
    from generators.update import (
        check_resolved,
        contain,
        load_base,
        next_spec,
        read_ours,
        reconcile,
    )

    merge_style: Any = style
    was, now = decision(before), decision(after)
    spec = _named(target, lambda: next_spec(manifest, was, now, opts))
    theirs = render(spec)
    recorded = render(next_spec(manifest, was, was))
    root = paths.open_root(target)
    try:
        base, stored = load_base(root, target, lambda: recorded)
        base, skipped, ignored = contain(base, theirs, recorded, root)
        skip = {c.path for c in skipped}
        base = {r: e for r, e in base.items() if r not in skip}
        ours = read_ours(root)
        kind = manifest.project.kind
        moved = graduate(base, ours, theirs, kind, spec.kind, spec.package, merge_style)
        theirs = {r: d for r, d in {**theirs, **moved.files}.items() if r not in skip}
        changes = annotate(reconcile(base, ours, theirs, merge_style), moved)
    finally:
        os.close(root)
    changes = sorted(changes + skipped, key=lambda c: c.path)
    check_resolved(changes)
    return UpdatePlan(spec, changes, summary(moved), stored, ignored)


def _update(target: Path, options: UpdateOptions) -> Updated:
    from generators.manifest import load
    from generators.update import Options, apply

    manifest = load(target)
    check_version(manifest, target)
    before = assess_project(target, manifest).assessment
    after = _changed(manifest, target, options)
    opts = Options(
        options.kind, options.framework, options.sdk, tuple(options.with_), tuple(options.without)
    )
    planned = plan_update(target, manifest, before, after, opts, options.conflict_style)
    spec, changes = planned.spec, planned.changes
    if not options.dry_run:
        apply(changes, target)
    switch = options.kind is None and before.recommendation != after.recommendation != spec.kind
    notes = planned.ignored + _notes(manifest, after, planned.stored, switch)
    return Updated(target, manifest, spec, changes, notes, options.dry_run, planned.carried)


def _changed(manifest: Manifest, target: Path, options: UpdateOptions) -> Assessment:
    """Score the stored answers with ``--answers FILE`` and the flags on top."""
    from advisor import answers_file
    from advisor.collect import collect
    from advisor.scoring import score
    from generators.manifest import FILENAME

    layer = dict(manifest.answers)
    where = str(target / FILENAME)
    if options.answers_file:
        layer.update(answers_file.load(options.answers_file))
        where = str(options.answers_file)
    answers, sources = collect([("file", layer), ("flag", options.flags)], {"file": where})
    return score(answers, sources)


def _named(target: Path, build: Any) -> ProjectSpec:
    """Build the spec; a bad project name comes from the manifest, so the message says so."""
    from generators.manifest import FILENAME, ManifestError
    from generators.naming import NameError_

    try:
        spec: ProjectSpec = build()
    except NameError_ as err:
        raise ManifestError(
            f"{target / FILENAME}: project.name: {str(err).split(';')[0]}; fix it there."
        ) from None
    return spec


def check_version(manifest: Manifest, target: Path) -> None:
    """Refuse a project made by a newer sm-advisor than this one."""
    from advisor import __version__
    from advisor.errors import UserError
    from generators.manifest import version_tuple

    made_by = manifest.generator.version
    if version_tuple(made_by) > version_tuple(__version__):
        raise UserError(
            f"{target} was generated by sm-advisor {made_by}, newer than this {__version__}; "
            "upgrade sm-advisor (pip install -U sm-advisor) before updating it."
        )


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


def update_json(updated: Updated) -> dict[str, Any]:
    """The JSON document of ``sm-advisor update --format json``."""
    from generators.update import unified_diff

    spec = updated.spec
    data: dict[str, Any] = {
        "directory": str(updated.directory),
        "dry_run": updated.dry_run,
        "generator": {"from": updated.manifest.generator.version, "to": spec.generator_version},
        "kind": spec.kind,
        "framework": spec.framework,
        "sdk": spec.sdk,
        "extras": list(spec.extras),
        "clean": not updated.conflicts,
        "changes": [
            {"path": c.path, "status": c.status, "note": c.note, "conflicts": c.conflicts}
            for c in updated.shown
        ],
        "conflicts": updated.conflicts,
        "notes": updated.notes,
        "carried": updated.carried,
    }
    if updated.dry_run:
        data["diff"] = unified_diff(updated.changes)
    return data


# ── report ──────────────────────────────────────────────────────────────────────────────────


def report(assessed: Assessed, meta: Meta, fmt: Format, prices: str | None = None) -> str:
    """Render the decision record (ADR) of an assessment as HTML or Markdown."""
    from advisor.report import make_report

    return make_report(assessed.assessment, meta, fmt, prices, assessed.evidence)
