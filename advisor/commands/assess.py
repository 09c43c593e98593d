"""``sm-advisor assess``: score answers and print the recommendation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.flags import (
    add_answer_flags,
    add_evidence_flags,
    answers_from_args,
    evidence_from_args,
)

if TYPE_CHECKING:
    from advisor.models import Answers, Assessment, Source
    from generators.manifest import Manifest

HELP = "score a project and recommend a single script or a SageMaker Pipeline"

EPILOG = """\
example, measuring some answers from the AWS account (see docs/evidence.md):
  sm-advisor assess --evidence s3://my-bucket/churn/data/ --region eu-west-1 --team-size 4
re-assess a generated project (its .sm-advisor.yaml; flags and --evidence still apply):
  sm-advisor assess churn --check --release-frequency weekly   # see docs/graduation.md
exit codes: 0 assessed, 2 bad input or unusable evidence (one line on stderr saying why),
3 with --check: the recommendation differs from the project's kind.
The JSON output is documented in docs/assess.md ("JSON output") and is stable."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``assess`` subcommand."""
    p = sub.add_parser(
        "assess",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="a project made by 'sm-advisor new': start from the answers in its .sm-advisor.yaml "
        "and say whether its kind still fits",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="with DIR: exit 3 when the recommendation differs from the project's kind (for CI)",
    )
    add_format_flag(p)
    add_answer_flags(p)
    add_evidence_flags(p)
    p.set_defaults(run=run)


def add_format_flag(p: argparse.ArgumentParser) -> None:
    """Add ``--format table|json|markdown``."""
    p.add_argument(
        "--format",
        choices=("table", "json", "markdown"),
        default="table",
        help="output format (default: table; json is stable for scripts)",
    )


def run(args: argparse.Namespace) -> int:
    """Collect answers (measuring evidence if asked), score them and print the result."""
    from advisor.scoring import score

    if args.check and not args.directory:
        from advisor.errors import UserError

        raise UserError("--check needs DIR, the generated project to check (has .sm-advisor.yaml)")
    manifest = _manifest(args.directory) if args.directory else None
    evidence = evidence_from_args(args)
    measured = evidence.answers() if evidence else None
    if manifest is None:
        answers, sources = answers_from_args(args, measured)
    else:
        answers, sources = _project_answers(args, manifest, measured)
    assessment = score(answers, sources)
    verdict = _verdict(args.directory, manifest, assessment) if manifest else None
    if args.format == "json":
        from advisor.output import to_json

        extra: dict[str, object] = {"evidence": evidence.to_dict(sources)} if evidence else {}
        if manifest is not None and verdict is not None:
            extra["project"] = {
                "directory": str(args.directory),
                "name": manifest.project.name,
                "kind": manifest.project.kind,
                "fits": assessment.recommendation == manifest.project.kind,
                "message": verdict,
            }
        sys.stdout.write(to_json(assessment, extra or None))
    elif args.format == "markdown":
        from advisor.output import to_markdown

        sys.stdout.write(to_markdown(assessment))
        if evidence:
            from advisor.evidence.render import markdown_section

            sys.stdout.write("\n" + markdown_section(evidence, sources))
    else:
        from advisor.table import print_table

        estimated = {m.question for m in evidence.measured if m.estimated} if evidence else ()
        print_table(assessment, estimated=estimated)
        if evidence:
            from advisor.evidence.render import text_section

            print("\n" + text_section(evidence, sources))
    if verdict is not None and args.format != "json":
        print("\n" + verdict)
    if args.check and manifest is not None and assessment.recommendation != manifest.project.kind:
        return 3
    return 0


def _manifest(directory: str) -> Manifest:
    from generators.manifest import load

    return load(Path(directory))


def _project_answers(
    args: argparse.Namespace, manifest: Manifest, measured: dict[str, Any] | None
) -> tuple[Answers, dict[str, Source]]:
    """The project's stored answers < --answers FILE < measured evidence < flags."""
    from advisor import answers_file
    from advisor.collect import collect
    from advisor.flags import flag_values
    from generators.manifest import FILENAME

    stored = dict(manifest.answers)
    where = str(Path(args.directory) / FILENAME)
    if args.answers:
        stored.update(answers_file.load(args.answers))
        where = str(args.answers)
    layers: list[tuple[Source, dict[str, Any]]] = [("file", stored)]
    if measured:
        layers.append(("measured", measured))
    layers.append(("flag", flag_values(args)))
    return collect(layers, {"file": where, "measured": "evidence"})


def verdict(name: str, kind: str, directory: str, a: Assessment) -> str:
    """Say whether a project's kind still fits its answers, and the command when it does not."""
    op = "≥" if a.score >= a.threshold else "<"
    scored = f"its answers now score {a.score:.0f} {op} {a.threshold:.0f}"
    if a.recommendation == kind:
        return f"{name} is a {kind} project; {scored}: a {kind} project still fits."
    what = "a pipeline is" if a.recommendation == "pipeline" else "a single script is"
    command = f"sm-advisor update {directory} --kind {a.recommendation}"
    return f"{name} is a {kind} project; {scored}: {what} recommended ({command})"


def _verdict(directory: str, manifest: Manifest, a: Assessment) -> str:
    return verdict(manifest.project.name, manifest.project.kind, directory, a)
