"""The output formats of an assessment, behind one registry: ``RENDERERS[format](assessed)``.

- ``json``: the stable document of docs/assess.md (with the evidence, if measured);
- ``markdown``: a summary for a pull request or a wiki page (and the evidence section);
- ``table``: the terminal table, drawn by rich (``advisor.table``), imported only for it;
- ``html`` (and the record's ``markdown``) are the decision record's: ``advisor.report``.

Each renderer returns the text to print. Rich is not imported for the others, so
``--format json`` stays fast. Adding a format: write ``(Assessed) -> str``, register it here,
add it to the ``--format`` choices of ``assess`` (which reads them from ``RENDERERS``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from advisor.models import Assessment
from advisor.questions import DEFAULT_MODEL
from advisor.wording import answer_text, bar, flip_text, score_text, verdict

if TYPE_CHECKING:
    from advisor.usecases import Assessed


def to_json(assessment: Assessment, extra: dict[str, object] | None = None) -> str:
    """Return the JSON document described in docs/assess.md (keys are stable)."""
    data = assessment.to_json_dict()
    if extra:
        data.update(extra)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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


def json_renderer(assessed: Assessed) -> str:
    """``--format json``: the assessment, and the evidence as measured (if any)."""
    evidence, sources = assessed.evidence, assessed.sources
    extra: dict[str, object] = {"evidence": evidence.to_dict(sources)} if evidence else {}
    if assessed.project is not None:
        extra["project"] = dict(assessed.project._asdict())
    return to_json(assessed.assessment, extra or None)


def markdown_renderer(assessed: Assessed) -> str:
    """``--format markdown``: the summary, then the evidence section (if any)."""
    text = to_markdown(assessed.assessment)
    if assessed.evidence:
        from advisor.evidence.render import markdown_section

        text += "\n" + markdown_section(assessed.evidence, assessed.sources)
    return text


def table_renderer(assessed: Assessed) -> str:
    """``--format table``: the rich table (styled for this terminal), then the evidence."""
    from advisor.table import table_text

    evidence = assessed.evidence
    estimated = {m.question for m in evidence.measured if m.estimated} if evidence else ()
    text = table_text(assessed.assessment, estimated=estimated)
    if evidence:
        from advisor.evidence.render import text_section

        text += "\n" + text_section(evidence, assessed.sources) + "\n"
    return text


Renderer = Callable[["Assessed"], str]
RENDERERS: dict[str, Renderer] = {
    "table": table_renderer,
    "json": json_renderer,
    "markdown": markdown_renderer,
}
