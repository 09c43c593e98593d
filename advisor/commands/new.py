"""``sm-advisor new DIR``: assess, then scaffold the recommended (or chosen) project."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from advisor.commands.command import Command
from advisor.flags import add_answer_flags, add_evidence_flags, inputs_from_args

if TYPE_CHECKING:
    from advisor.usecases import Assessed, Planned
    from generators.write import WriteResult

HELP = "scaffold a new project: a single training script or a SageMaker Pipeline"

EPILOG = """\
examples:
  sm-advisor new churn --kind pipeline --framework xgboost
  sm-advisor new churn --answers answers.yaml --with ci --dry-run
exit codes: 0 written (or previewed), 2 bad input or unusable target (nothing written)."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``new``."""
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


COMMAND = Command(
    "new",
    HELP,
    add_arguments,
    HELP[0].upper() + HELP[1:] + ".\nThe kind follows the assessment unless "
    "--kind says otherwise;\npipeline extras follow the criteria that are met.",
    EPILOG,
)


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
    from pathlib import Path  # not at the top: every command's parser imports this module

    from advisor import usecases

    assessed = usecases.assess(inputs_from_args(args))
    target = Path(args.directory)
    note = usecases.recover(target)
    if note:
        print(f"sm-advisor: note: {note}.", file=sys.stderr)
    options = usecases.ProjectOptions(
        target,
        args.name or "",
        args.kind,
        args.framework,
        args.sdk,
        args.with_,
        args.without,
        args.force,
    )
    planned = usecases.plan_project(assessed.assessment, options)
    if args.dry_run:
        usecases.check_target(planned)
        result = None
    else:
        result = usecases.generate(planned)
    if args.format == "json":
        evidence = assessed.evidence.to_dict(assessed.sources) if assessed.evidence else None
        data = usecases.new_json(planned, result, args.directory, evidence)
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        _print(args.directory, planned, result, assessed)
    return 0


def _print(
    directory: str, planned: Planned, result: WriteResult | None, assessed: Assessed
) -> None:
    """Print what was written (or would be) as the user named DIR, and the next steps."""
    from generators.next_steps import next_steps, tree

    spec = planned.spec
    verb = "Would write" if result is None else "Wrote"
    print(f"{verb} a {spec.kind} project ({spec.framework}, SDK {spec.sdk}) in {directory}:")
    print(tree(sorted(planned.files)))
    for extra in spec.extras:
        print(f"  extra '{extra}': {spec.extra_reasons.get(extra, '')}")
    if assessed.evidence:
        from advisor.evidence.render import text_section

        print(text_section(assessed.evidence, assessed.sources))
    if result is not None and result.overwritten:
        print(f"Overwrote {len(result.overwritten)} generated file(s) (--force).")
    if result is not None and result.skipped:
        print(
            f"Skipped {len(result.skipped)} file(s) that are, or are under, a symlink or a "
            f"special file (never followed, left alone): {', '.join(result.skipped)}"
        )
    if result is not None:
        print("\nNext steps:")
        for step in next_steps(spec, directory):
            print(f"  {step}")
