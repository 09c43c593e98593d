"""``sm-advisor explain`` and ``sm-advisor schema``: describe the model and the answers file."""

from __future__ import annotations

import argparse
import json
import sys

from advisor.commands.command import Command

HELP = "print the scoring model: questions, weights, need curves, thresholds"
DESCRIPTION = (
    "Print the scoring model: every question with its flag, accepted values, default and "
    "weight, how answers map to need, and the thresholds."
)
SCHEMA_HELP = "print the JSON Schema of an answers file"
SCHEMA_DESCRIPTION = (
    "Print the JSON Schema (draft 2020-12) that answers files follow. Point your editor at it "
    "for completion and validation of answers.yaml."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``explain``."""
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default), markdown (the table in docs/assess.md) or json",
    )
    p.set_defaults(run=run_explain)


def add_schema_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``schema`` (none but its ``run``)."""
    p.set_defaults(run=run_schema)


COMMAND = Command("explain", HELP, add_arguments, DESCRIPTION)
SCHEMA = Command("schema", SCHEMA_HELP, add_schema_arguments, SCHEMA_DESCRIPTION)


def run_explain(args: argparse.Namespace) -> int:
    """Print the model in the chosen format."""
    from advisor import explain

    if args.format == "markdown":
        sys.stdout.write(explain.markdown_table())
    elif args.format == "json":
        sys.stdout.write(explain.as_json())
    else:
        sys.stdout.write(explain.as_text())
    return 0


def run_schema(args: argparse.Namespace) -> int:
    """Print the answers-file JSON Schema."""
    from advisor.explain import answers_schema

    del args
    sys.stdout.write(json.dumps(answers_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0
