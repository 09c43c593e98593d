"""How scores, verdicts, answers and flips read to a person: one place for the CLI and the TUI.

Every number a user sees goes through ``score_text`` (one decimal), so a total, its margin and
the bar beside it always agree: the margin is computed from the *shown* total, not the raw one.
A shown score never lands on the wrong side of its threshold (49.96 reads ``49.9``, not
``50.0``, when 50 is needed). Answers read as words from the questionnaire definition
(``Release frequency: ad hoc``), never as ids or raw choice values; JSON keeps those.

Pure and standard-library only: the fast ``assess`` path can afford it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from advisor.questions import DEFAULT_MODEL, Question, Value

if TYPE_CHECKING:
    from advisor.models import Assessment, Flip

DECIMALS = 1
NAMES = {"pipeline": "a SageMaker Pipeline", "script": "a single script"}
"""The recommendation as a noun phrase, for sentences."""
SHORT_NAMES = {"pipeline": "SageMaker Pipeline", "script": "single script"}
"""The recommendation as a title, for narrow places (the live score panel)."""


def shown(score: float, threshold: float | None = None) -> float:
    """Round ``score`` to what is displayed, never across ``threshold`` (0–100 scale)."""
    value = round(score, DECIMALS)
    if threshold is not None and score < threshold <= value:
        scale = 10**DECIMALS
        value = math.floor(score * scale) / scale
    return value


def bar(score: float, width: int = 20) -> str:
    """Draw a score (0–100) as a fixed-width bar of block characters."""
    filled = round(score / 100 * width)
    return "█" * filled + "░" * (width - filled)


def score_text(score: float, threshold: float | None = None) -> str:
    """A score as shown everywhere: one decimal (``60.0``, ``0.2``)."""
    return f"{shown(score, threshold):.{DECIMALS}f}"


def threshold_text(threshold: float) -> str:
    """A threshold as a round number when it is one (``50``)."""
    return f"{threshold:g}"


def margin_text(assessment: Assessment) -> str:
    """The distance from the *shown* total to the threshold, e.g. ``10.0 above 50``."""
    total = shown(assessment.score, assessment.threshold)
    side = "above" if assessment.score >= assessment.threshold else "below"
    distance = abs(total - assessment.threshold)
    return f"{distance:.{DECIMALS}f} {side} {threshold_text(assessment.threshold)}"


def total_text(assessment: Assessment) -> str:
    """The total as shown next to its margin (agrees with ``margin_text``)."""
    return score_text(assessment.score, assessment.threshold)


def verdict(assessment: Assessment) -> str:
    """The one verdict sentence: recommendation, total and margin (plain text)."""
    name = NAMES[assessment.recommendation]
    total = total_text(assessment)
    return f"Recommendation: {name} (total {total} of 100, {margin_phrase(assessment)})."


def margin_phrase(assessment: Assessment) -> str:
    """The margin in words, e.g. ``10.0 above the threshold of 50``."""
    distance, side, threshold = margin_text(assessment).split(" ")
    return f"{distance} {side} the threshold of {threshold}"


def value_text(question: Question, value: Value) -> str:
    """An answer as words: a choice's label (``ad hoc``), ``yes``/``no``, or ``500 GB``."""
    if question.kind == "choice":
        label = next((c.label for c in question.choices if c.value == value), str(value))
        return _lower_first(label)
    return question.display(value)


def answer_text(qid: str, value: Value) -> str:
    """A question and its answer, e.g. ``Release frequency: monthly``."""
    question = DEFAULT_MODEL.question(qid)
    return f"{question.label}: {value_text(question, value)}"


def flip_text(flip: Flip) -> str:
    """A flip in words: ``Release frequency: monthly → ad hoc would recommend a single script``."""
    question = DEFAULT_MODEL.question(flip.question)
    return (
        f"{question.label}: {value_text(question, flip.from_)} → "
        f"{value_text(question, flip.to)} would recommend {NAMES[flip.recommendation]}"
    )


def _lower_first(label: str) -> str:
    """``Ad hoc`` → ``ad hoc`` inside a sentence; acronyms (``CI/CD``) stay as they are."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]
