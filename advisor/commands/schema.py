"""``sm-advisor schema``: print the JSON Schema of an answers file."""

from __future__ import annotations

import argparse
import json
import sys

from advisor.commands.command import Command

HELP = "print the JSON Schema of an answers file"
DESCRIPTION = (
    "Print the JSON Schema (draft 2020-12) that answers files follow. Point your editor at it "
    "for completion and validation of answers.yaml."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``schema`` (none but its ``run``)."""
    p.set_defaults(run=run)


COMMAND = Command("schema", HELP, add_arguments, DESCRIPTION)


def run(args: argparse.Namespace) -> int:
    """Print the answers-file JSON Schema."""
    from advisor.explain import answers_schema

    del args
    sys.stdout.write(json.dumps(answers_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0
