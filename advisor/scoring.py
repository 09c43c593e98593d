"""Pure scoring: answers in, an explained ``Assessment`` out. No I/O, no UI imports.

Scores are weighted means of per-answer needs (see ``advisor.questions``), so they are
deterministic, bounded to 0–100 and monotone in every answer. ``flips`` searches, one answer at a
time, for the smallest change that moves the total across the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from advisor.models import (
    Answers,
    Assessment,
    CriterionScore,
    Flip,
    Recommendation,
    Source,
)
from advisor.questions import DEFAULT_MODEL, Choice, Question, ScoringModel, Value
from advisor.wording import value_text


def need(q: Question, value: Value) -> tuple[float, str]:
    """Return how much one answer calls for a pipeline (0–1) and the reason in words."""
    if q.kind in ("choice", "bool"):
        choice = _choice(q, value)
        return choice.need, choice.reason
    x = float(value)
    points = q.curve
    if x <= points[0].at:
        return points[0].need, points[0].reason
    for lo, hi in zip(points, points[1:], strict=False):
        if x < hi.at:
            t = (x - lo.at) / (hi.at - lo.at)
            return lo.need + t * (hi.need - lo.need), lo.reason
    return points[-1].need, points[-1].reason


def _choice(q: Question, value: Value) -> Choice:
    for c in q.choices:
        if c.value == value:
            return c
    raise ValueError(f"{value!r} is not a choice of {q.id}")


def criterion_scores(
    values: Mapping[str, Value], model: ScoringModel = DEFAULT_MODEL
) -> list[float]:
    """Return each criterion's score (0–100), in the model's criteria order.

    Takes already validated values (``Answers.as_dict()``), so searches need not revalidate.
    """
    scores = []
    for c in model.criteria:
        qs = model.questions_for(c.id)
        total_weight = sum(q.weight for q in qs)
        weighted = sum(q.weight * need(q, values[q.id])[0] for q in qs)
        scores.append(round(100 * weighted / total_weight, 2))
    return scores


def total_score(values: Mapping[str, Value], model: ScoringModel = DEFAULT_MODEL) -> float:
    """Return the weighted total (0–100) that is compared with the threshold."""
    weights = [c.weight for c in model.criteria]
    parts = criterion_scores(values, model)
    return round(sum(w * s for w, s in zip(weights, parts, strict=True)) / sum(weights), 2)


def recommend(total: float, model: ScoringModel = DEFAULT_MODEL) -> Recommendation:
    """Return the recommendation for a total: a pipeline at or above the threshold."""
    return "pipeline" if total >= model.threshold else "script"


def score(
    answers: Answers,
    sources: Mapping[str, Source] | None = None,
    model: ScoringModel = DEFAULT_MODEL,
) -> Assessment:
    """Score answers and explain the result: criteria, reasons, margin and flips."""
    values = answers.as_dict()
    parts = criterion_scores(values, model)
    total = total_score(values, model)
    criteria = tuple(
        CriterionScore(
            id=c.id,
            title=c.title,
            score=s,
            weight=c.weight,
            met=s >= model.met_at,
            reasons=tuple(_reason(q, values[q.id]) for q in model.questions_for(c.id)),
        )
        for c, s in zip(model.criteria, parts, strict=True)
    )
    given = dict(sources or {})
    return Assessment(
        recommendation=recommend(total, model),
        score=total,
        threshold=model.threshold,
        margin=round(abs(total - model.threshold), 2),
        criteria=criteria,
        flips=tuple(flips(values, model)),
        answers=values,
        sources={q.id: given.get(q.id, "default") for q in model.questions},
    )


def _reason(q: Question, value: Value) -> str:
    return f"{q.label}: {value_text(q, value)}, {need(q, value)[1]}"


def flips(values: Mapping[str, Value], model: ScoringModel = DEFAULT_MODEL) -> list[Flip]:
    """Return, per question, the smallest single change that flips the recommendation.

    Sorted by how far the answer's need must move, smallest first.
    """
    current = recommend(total_score(values, model), model)
    up = current == "script"
    found: list[tuple[float, Flip]] = []
    for q in model.questions:
        value = values[q.id]
        new = _search(q, values, up, model)
        if new is None:
            continue
        total = total_score({**values, q.id: new}, model)
        target = recommend(total, model)
        flip = Flip(
            question=q.id,
            flag=q.flag,
            from_=value,
            to=new,
            recommendation=target,
            score=total,
            text=f"{q.id} {q.display(value)} → {q.display(new)} would recommend {target}",
        )
        found.append((abs(need(q, new)[0] - need(q, value)[0]), flip))
    found.sort(key=lambda pair: (pair[0], pair[1].question))
    return [flip for _, flip in found]


def _flips_with(
    values: Mapping[str, Value], q: Question, value: Value, up: bool, model: ScoringModel
) -> bool:
    total = total_score({**values, q.id: value}, model)
    return (total >= model.threshold) if up else (total < model.threshold)


def _search(
    q: Question, values: Mapping[str, Value], up: bool, model: ScoringModel
) -> Value | None:
    """Find the answer closest to the current one (toward more or less need) that flips."""
    value = values[q.id]
    if q.kind in ("choice", "bool"):
        order: list[Value] = [c.value for c in q.choices]
        index = order.index(value)
        candidates = order[index + 1 :] if up else list(reversed(order[:index]))
        return next((c for c in candidates if _flips_with(values, q, c, up, model)), None)
    lo_bound = q.minimum if q.minimum is not None else q.curve[0].at
    far = q.curve[-1].at if up else max(lo_bound, q.curve[0].at)
    if (up and float(value) >= far) or (not up and float(value) <= far):
        return None
    if not _flips_with(values, q, _typed(q, far), up, model):
        return None
    return _bisect(q, values, float(value), far, up, model)


def _bisect(
    q: Question,
    values: Mapping[str, Value],
    start: float,
    far: float,
    up: bool,
    model: ScoringModel,
) -> Value:
    """Bisect between ``start`` (no flip) and ``far`` (flips); return a tidy flipping value."""
    ok, bad = far, start
    steps = 60 if q.kind == "float" else 64
    for _ in range(steps):
        if q.kind == "int" and abs(ok - bad) <= 1:
            break
        mid = (ok + bad) / 2
        mid = math.floor(mid) if (q.kind == "int" and not up) else mid
        mid = math.ceil(mid) if (q.kind == "int" and up) else mid
        if mid in (ok, bad):
            break
        if _flips_with(values, q, _typed(q, mid), up, model):
            ok = mid
        else:
            bad = mid
    if q.kind == "float":
        tidy = _tidy(ok, up)
        if _flips_with(values, q, tidy, up, model):
            return tidy
    return _typed(q, ok)


def _tidy(x: float, up: bool) -> float:
    """Round to two significant figures, away from the threshold so the flip still holds."""
    if x <= 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(x)) - 1)
    return float((math.ceil(x / scale) if up else math.floor(x / scale)) * scale)


def _typed(q: Question, x: float) -> Value:
    return int(x) if q.kind == "int" else float(x)
