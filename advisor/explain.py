"""Describe the scoring model itself: questions, curves, weights and thresholds.

The Markdown form is the questionnaire table in docs/assess.md (a test keeps the two identical).
"""

from __future__ import annotations

import json
from typing import Any

from advisor.questions import DEFAULT_MODEL, QUESTIONS, Question, ScoringModel


def answers_schema() -> dict[str, Any]:
    """Return the JSON Schema of an answers file, generated from the questionnaire.

    It accepts exactly what ``advisor.validate.check`` accepts for typed values (a test holds
    the two together); flags, which arrive as text, are checked by ``check`` alone.
    """
    properties: dict[str, Any] = {}
    for q in QUESTIONS:
        prop: dict[str, Any] = {"title": q.label, "description": f"{q.prompt} {q.help}"}
        if q.kind == "choice":
            prop["enum"] = [c.value for c in q.choices]
        elif q.kind == "bool":
            prop["type"] = "boolean"
        else:
            prop["type"] = "number" if q.kind == "float" else "integer"
            if q.minimum is not None:
                prop["minimum"] = q.minimum
            if q.maximum is not None:
                prop["maximum"] = q.maximum
        prop["default"] = q.default
        properties[q.id] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sm-advisor.dev/schema/answers.json",
        "title": "sm-advisor answers",
        "description": "Answers keyed by question id; unset questions take their defaults.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def scale(q: Question) -> str:
    """Describe how one question's answers map to need (0–1)."""
    if q.kind in ("choice", "bool"):
        return ", ".join(f"{q.display(c.value)}={c.need:g}" for c in q.choices)
    return ", ".join(f"{q.display(p.at)}→{p.need:g}" for p in q.curve)


def markdown_table(model: ScoringModel = DEFAULT_MODEL) -> str:
    """Return the questionnaire as a Markdown table (used verbatim in docs/assess.md)."""
    rows = [
        "| Criterion (weight) | Flag / key | Accepts | Default | Weight | Need scale |",
        "|---|---|---|---|---:|---|",
    ]
    for c in model.criteria:
        for q in model.questions_for(c.id):
            rows.append(
                f"| {c.id} ({c.weight:g}) | `{q.flag}` / `{q.id}` | {q.accepted()} "
                f"| {q.display(q.default)} | {q.weight:g} | {scale(q)} |"
            )
    return "\n".join(rows) + "\n"


def as_text(model: ScoringModel = DEFAULT_MODEL) -> str:
    """Return the whole model as readable text for ``sm-advisor explain``."""
    lines = [
        "sm-advisor scoring model",
        f"  threshold: pipeline when total ≥ {model.threshold:g}; "
        f"a criterion is met when its score ≥ {model.met_at:g}",
        *(f"  - {n}" for n in model.notes),
        "",
    ]
    for c in model.criteria:
        lines.append(f"{c.title} [{c.id}], weight {c.weight:g}")
        lines.append(f"  {c.summary}")
        for q in model.questions_for(c.id):
            lines.append(f"  {q.flag} ({q.id}), weight {q.weight:g}: {q.prompt}")
            lines.append(f"      accepts {q.accepted()}; default {q.display(q.default)}")
            lines.append(f"      need: {scale(q)}")
        lines.append("")
    return "\n".join(lines)


def as_json(model: ScoringModel = DEFAULT_MODEL) -> str:
    """Return the model as JSON, for tools that want to render it themselves."""
    data = {
        "threshold": model.threshold,
        "met_at": model.met_at,
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "summary": c.summary,
                "weight": c.weight,
                "questions": [
                    {
                        "id": q.id,
                        "flag": q.flag,
                        "prompt": q.prompt,
                        "help": q.help,
                        "kind": q.kind,
                        "default": q.default,
                        "weight": q.weight,
                        "accepts": q.accepted(),
                        "need": scale(q),
                    }
                    for q in model.questions_for(c.id)
                ],
            }
            for c in model.criteria
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
