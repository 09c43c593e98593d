"""``sm-advisor new DIR``: assess, then scaffold the recommended (or chosen) project."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from advisor.flags import (
    add_answer_flags,
    add_evidence_flags,
    answers_from_args,
    evidence_from_args,
)

HELP = "scaffold a new project: a single training script or a SageMaker Pipeline"

EPILOG = """\
examples:
  sm-advisor new churn --kind pipeline --framework xgboost
  sm-advisor new churn --answers answers.yaml --with ci --dry-run
exit codes: 0 written (or previewed), 2 bad input or unusable target (nothing written)."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``new`` subcommand."""
    p = sub.add_parser(
        "new",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".\nThe kind follows the assessment unless "
        "--kind says otherwise;\npipeline extras follow the criteria that are met.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("directory", metavar="DIR", help="where to create the project (new or empty)")
    add_project_options(p)
    p.add_argument("--dry-run", action="store_true", help="print the file tree; write nothing")
    p.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DIR, overwriting generated files (never deletes others)",
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    add_answer_flags(p)
    add_evidence_flags(p)
    p.set_defaults(run=run)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


# The project options in ``new`` (choose, with defaults) and in ``update`` (switch what
# .sm-advisor.yaml recorded: every default is None, and the name cannot change).
_DEFAULTS = {"kind": "auto", "framework": "sklearn", "sdk": "v3"}
_HELP = {
    "new": {
        "group": "project",
        "kind": "auto (default) follows the recommendation",
        "framework": "default sklearn",
        "sdk": "sagemaker SDK the code targets (default v3)",
    },
    "update": {
        "group": "project (default: as recorded in .sm-advisor.yaml)",
        "kind": "switch the kind; auto follows the recommendation of the answers",
        "framework": "switch the framework",
        "sdk": "switch the sagemaker SDK the code targets",
    },
}


def add_project_options(p: argparse.ArgumentParser, command: str = "new") -> None:
    """Add the options that shape the project (kind, name, framework, SDK, extras).

    ``new`` and ``update`` share them so that both accept the same choices and parse extras
    the same way; ``command="update"`` leaves every default unset and drops ``--name``.
    """
    from generators.spec import EXTRAS, FRAMEWORKS, KINDS, SDKS

    text = _HELP[command]
    default = _DEFAULTS if command == "new" else dict.fromkeys(_DEFAULTS)
    g = p.add_argument_group(text["group"])
    g.add_argument("--kind", choices=("auto", *KINDS), default=default["kind"], help=text["kind"])
    if command == "new":
        g.add_argument("--name", help="project name (default: the name of DIR)")
    g.add_argument(
        "--framework", choices=FRAMEWORKS, default=default["framework"], help=text["framework"]
    )
    g.add_argument("--sdk", choices=SDKS, default=default["sdk"], help=text["sdk"])
    extras = ",".join(EXTRAS)
    g.add_argument(
        "--with",
        dest="with_",
        type=_csv,
        default=[],
        metavar="EXTRAS",
        help=f"force pipeline extras on, comma-separated ({extras})",
    )
    g.add_argument(
        "--without",
        type=_csv,
        default=[],
        metavar="EXTRAS",
        help="force pipeline extras off, comma-separated",
    )


def run(args: argparse.Namespace) -> int:
    """Assess, build the spec, render the plan and write it (or preview it)."""
    from pathlib import Path  # here, not at the top: the parser of every command imports us

    from advisor.scoring import score
    from generators import build_spec, plan
    from generators.write import write

    evidence = evidence_from_args(args)
    answers, sources = answers_from_args(args, evidence.answers() if evidence else None)
    assessment = score(answers, sources)
    target = Path(args.directory)
    name = args.name or target.resolve().name
    spec = build_spec(
        assessment,
        name=name,
        kind=args.kind,
        framework=args.framework,
        sdk=args.sdk,
        with_=args.with_,
        without=args.without,
    )
    files = plan(spec)
    if args.dry_run:
        from generators.write import check_target

        check_target(target.absolute(), args.force)
        return _report(args, spec, files, None, _evidence_view(evidence, sources))
    result = write(files, target, force=args.force)
    return _report(args, spec, files, result, _evidence_view(evidence, sources))


def _evidence_view(evidence: Any, sources: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The evidence as shown by ``new``: the JSON object and the text block (None: no evidence)."""
    if evidence is None:
        return None
    from advisor.evidence.render import text_section

    return evidence.to_dict(sources), text_section(evidence, sources)


def _report(
    args: argparse.Namespace,
    spec: Any,
    files: dict[str, bytes],
    result: Any,
    evidence: tuple[dict[str, Any], str] | None = None,
) -> int:
    from pathlib import Path

    from generators.next_steps import next_steps, tree

    if args.format == "json":
        data = {
            "directory": str(Path(args.directory)),
            "dry_run": result is None,
            "kind": spec.kind,
            "framework": spec.framework,
            "sdk": spec.sdk,
            "recommendation": spec.recommendation,
            "extras": {e: spec.extra_reasons.get(e, "") for e in spec.extras},
            "files": sorted(files),
            "created": result.created if result else [],
            "overwritten": result.overwritten if result else [],
            "unchanged": result.unchanged if result else [],
            "next_steps": next_steps(spec, args.directory),
        }
        if evidence:
            data["evidence"] = evidence[0]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    verb = "Would write" if result is None else "Wrote"
    print(f"{verb} a {spec.kind} project ({spec.framework}, SDK {spec.sdk}) in {args.directory}:")
    print(tree(sorted(files)))
    for extra in spec.extras:
        print(f"  extra '{extra}': {spec.extra_reasons.get(extra, '')}")
    if evidence:
        print(evidence[1])
    if result is not None and result.overwritten:
        print(f"Overwrote {len(result.overwritten)} generated file(s) (--force).")
    if result is not None:
        print("\nNext steps:")
        for step in next_steps(spec, args.directory):
            print(f"  {step}")
    return 0
