"""Turn the questionnaire into CLI flags, and parsed flags into the use cases' ``Inputs``.

Flags are parsed as text and validated by the same questionnaire checker as answers files, so both
give the same one-line messages.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from advisor.questions import CRITERIA, QUESTIONS
from advisor.usecases import Inputs
from generators.message_text import clip

if TYPE_CHECKING:
    from advisor.evidence import Evidence


def add_answer_flags(parser: argparse.ArgumentParser) -> None:
    """Add one flag per question, grouped by criterion, plus ``--answers FILE``."""
    parser.add_argument(
        "--answers",
        metavar="FILE",
        help="YAML or JSON answers keyed by question id (see 'sm-advisor schema'); "
        "flags override it; unset questions take their defaults.",
    )
    for c in CRITERIA:
        group = parser.add_argument_group(f"{c.title} ({c.id})", c.summary)
        for q in QUESTIONS:
            if q.criterion != c.id:
                continue
            text = f"{q.prompt} Accepts {q.accepted()}; default {q.display(q.default)}."
            if q.kind == "bool":
                group.add_argument(
                    q.flag, dest=q.id, action=argparse.BooleanOptionalAction, help=text
                )
            elif q.kind == "choice":
                metavar = "{" + ",".join(str(ch.value) for ch in q.choices) + "}"
                group.add_argument(q.flag, dest=q.id, metavar=metavar, help=text)
            else:
                metavar = "FLOAT" if q.kind == "float" else "INT"
                group.add_argument(q.flag, dest=q.id, metavar=metavar, help=text)


def flag_values(args: argparse.Namespace) -> dict[str, Any]:
    """Return the answers given as flags (only those actually given)."""
    return {q.id: getattr(args, q.id) for q in QUESTIONS if getattr(args, q.id, None) is not None}


def inputs_from_args(args: argparse.Namespace) -> Inputs:
    """What the user gave on the command line: ``--answers``, the answer flags, ``--evidence``.

    The evidence is measured here (boto3 is imported only when ``--evidence`` is given).
    """
    return Inputs(getattr(args, "answers", None), flag_values(args), evidence_from_args(args))


def add_evidence_flags(parser: argparse.ArgumentParser) -> None:
    """Add ``--evidence S3_URI`` with ``--profile`` and ``--region`` (boto3 only when given)."""
    group = parser.add_argument_group(
        "evidence from AWS",
        "Measure data_size_gb, data_frequency, tuning, release_frequency and "
        "models_in_production from the account instead of answering them (flags still win). "
        "Needs boto3 and read-only access: s3:ListBucket on the prefix and sagemaker:List*.",
    )
    group.add_argument(
        "--evidence",
        metavar="S3_URI",
        help="the training data, e.g. s3://bucket/prefix/; also reads the region's SageMaker "
        "history (last 90 days)",
    )
    group.add_argument(
        "--evidence-budget",
        metavar="SECONDS",
        type=_budget,
        help="time the S3 listing may take (default 60; 0: no limit); past it, the bucket's S3 "
        "Inventory is read if one is found, else the data answers are estimated and marked so",
    )
    group.add_argument(
        "--evidence-inventory",
        metavar="S3_URI",
        help="read the newest S3 Inventory report (CSV) under this URI instead of listing, "
        "e.g. s3://inventory-bucket/reports/",
    )
    group.add_argument("--profile", help="AWS profile to use (default: the usual AWS chain)")
    group.add_argument("--region", help="AWS region of the SageMaker history (default: profile's)")
    group.add_argument(
        "--aws-timeout",
        type=seconds,
        metavar="SECONDS",
        help="give up on an AWS call that has not answered within SECONDS, retries included "
        "(default 30)",
    )


def seconds(text: str) -> float:
    """A positive, finite number of seconds, at most an hour, written with ASCII digits."""
    import math
    import re

    if re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", text.strip(), re.ASCII):
        value = float(text)
        if 0 < value <= 3600 and math.isfinite(value):
            return value
    raise argparse.ArgumentTypeError(
        f"'{clip(text, 40)}' is not a number of seconds from 0.1 to 3600; e.g. --aws-timeout 60"
    )


def _budget(text: str) -> float:
    """``--evidence-budget``: seconds >= 0; 0 means no limit."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(
            f"expects a number of seconds (0 for no limit), got '{text}'"
        )
    return seconds


def evidence_from_args(args: argparse.Namespace) -> Evidence | None:
    """Measure the evidence named by ``--evidence``, or return None without importing boto3."""
    uri = getattr(args, "evidence", None)
    if uri is None:
        return None  # not given; an empty --evidence "" is an error (parse_uri says so)
    from advisor.evidence import DEFAULT_BUDGET, gather
    from advisor.evidence.aws import DEFAULT_TIMEOUT

    timeout = getattr(args, "aws_timeout", None) or DEFAULT_TIMEOUT
    budget = getattr(args, "evidence_budget", None)
    return gather(
        uri,
        profile=getattr(args, "profile", None),
        region=getattr(args, "region", None),
        timeout=timeout,
        budget=DEFAULT_BUDGET if budget is None else budget or None,
        inventory=getattr(args, "evidence_inventory", None),
    )
