"""Plain-text renderings of an assessment: JSON (stable, documented) and Markdown.

Rich is not needed here, so ``--format json`` stays fast.
"""

from __future__ import annotations

import json

from advisor.models import Assessment
from advisor.questions import DEFAULT_MODEL
from advisor.wording import answer_text, flip_text, score_text, verdict


def to_json(assessment: Assessment, extra: dict[str, object] | None = None) -> str:
    """Return the JSON document described in docs/assess.md (keys are stable)."""
    data = assessment.to_json_dict()
    if extra:
        data.update(extra)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def bar(score: float, width: int = 20) -> str:
    """Draw a score (0–100) as a fixed-width bar of block characters."""
    filled = round(score / 100 * width)
    return "█" * filled + "░" * (width - filled)


def to_markdown(assessment: Assessment) -> str:
    """Return a Markdown summary, suitable for a pull request or a wiki page."""
    lines = ["# sm-advisor assessment", "", f"**{verdict(assessment)}**", ""]
    lines += ["| Criterion | Score | Met | |", "|---|---:|:-:|---|"]
    for c in assessment.criteria:
        met = "yes" if c.met else "no"
        score = score_text(c.score, assessment.threshold)
        lines.append(f"| {c.title} | {score} | {met} | `{bar(c.score, 10)}` |")
    lines.append("")
    for c in assessment.criteria:
        lines.append(f"## {c.title}")
        lines += [f"- {r}" for r in c.reasons]
        lines.append("")
    lines.append("## What would change the answer")
    lines += [f"- {flip_text(f)} (total {score_text(f.score)})" for f in assessment.flips] or [
        "- No single answer change flips this recommendation."
    ]
    lines += ["", "## Answers", "", "| Question | Answer | Source |", "|---|---|---|"]
    for q in DEFAULT_MODEL.questions:
        label, value = answer_text(q.id, assessment.answers[q.id]).split(": ", 1)
        lines.append(f"| {label} | {value} | {assessment.sources[q.id]} |")
    return "\n".join(lines) + "\n"
