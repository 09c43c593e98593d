"""The content of a decision record, independent of its format (HTML or Markdown).

``build_context`` turns an assessment, its evidence and the cost estimate into plain values the
templates only lay out. Nothing here reads a clock: the same inputs give the same document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from advisor.evidence.render import answer_lines, cite, measurement_lines
from advisor.questions import DEFAULT_MODEL
from advisor.report.chart import Chart, bar_chart, nice_ceiling
from advisor.report.cost import OptionCost, Prices
from advisor.scoring import need

if TYPE_CHECKING:
    from advisor.evidence import Evidence
    from advisor.models import Assessment

OPTION_NAMES = {"script": "a single SageMaker training script", "pipeline": "a SageMaker Pipeline"}
OPTION_TITLES = {"script": "Single training script", "pipeline": "SageMaker Pipeline"}
CONSEQUENCES = {
    "pipeline": (
        (
            "Each processing stage is its own step: cached, retried and owned separately.",
            "Every run is recorded with its inputs and artifacts, and models reach production "
            "through the registry with an approval.",
            "Processing runs once per run instead of once per training job.",
        ),
        (
            "More to maintain: a pipeline definition, step images and IAM roles.",
            "A slower inner loop for experiments: changes travel through the pipeline.",
            "Each step pays its own start-up time, which dominates on small data.",
        ),
    ),
    "script": (
        (
            "One script to read, run and debug: the shortest path to a trained model.",
            "Nothing to orchestrate: no pipeline definition and fewer IAM roles.",
            "The cheapest run on small data: one job, one start-up.",
        ),
        (
            "Every training job repeats the processing, and nothing is cached.",
            "Releases, approvals and lineage stay manual.",
            "Revisit this decision when a change under 'What would change the decision' happens.",
        ),
    ),
}


@dataclass(frozen=True)
class Meta:
    """What the record says about itself: title, ADR status, optional date, tool version."""

    title: str
    status: str
    date: str | None
    version: str


def money(amount: float, currency: str) -> str:
    """Format an amount: cents below 100, whole units above."""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{symbol}{amount:,.2f}" if amount < 100 else f"{symbol}{amount:,.0f}"


def rate(amount: float, currency: str) -> str:
    """Format a price per hour with its significant digits (``$2.765``, ``$0.23``)."""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{symbol}{amount:.4g}"


def build_context(
    assessment: Assessment,
    costs: tuple[OptionCost, OptionCost],
    prices: Prices,
    meta: Meta,
    evidence: Evidence | None = None,
) -> dict[str, Any]:
    """Everything both templates show, as plain values."""
    rec = assessment.recommendation
    sources = assessment.sources
    counts = {s: sum(1 for v in sources.values() if v == s) for s in set(sources.values())}
    return {
        "meta": meta,
        "rec": rec,
        "rec_name": OPTION_NAMES[rec],
        "other_name": OPTION_NAMES["script" if rec == "pipeline" else "pipeline"],
        "assessment": assessment,
        "source_counts": counts,
        "criteria": [_criterion(assessment, c.id) for c in DEFAULT_MODEL.criteria],
        "answers": _answers(assessment, evidence),
        "score_chart": score_chart(assessment),
        "costs": [_cost(c, prices, rec) for c in costs],
        "cost_chart": cost_chart(costs, prices),
        "prices": prices,
        "consequences": CONSEQUENCES[rec],
        "evidence": _evidence(evidence, sources),
    }


def _criterion(assessment: Assessment, cid: str) -> dict[str, Any]:
    c = assessment.criterion(cid)
    questions = DEFAULT_MODEL.questions_for(cid)
    measured = {q.label for q in questions if assessment.sources.get(q.id) == "measured"}
    reasons = [(r, r.split(":", 1)[0] in measured) for r in c.reasons]
    summary = next(x.summary for x in DEFAULT_MODEL.criteria if x.id == cid)
    return {"c": c, "summary": summary, "reasons": reasons}


def _answers(assessment: Assessment, evidence: Evidence | None) -> list[dict[str, Any]]:
    found = evidence.by_question() if evidence else {}
    rows = []
    for q in DEFAULT_MODEL.questions:
        value = assessment.answers[q.id]
        source = assessment.sources.get(q.id, "default")
        m = found.get(q.id) if source == "measured" else None
        rows.append(
            {
                "id": q.id,
                "label": q.label,
                "criterion": q.criterion,
                "value": q.display(value),
                "source": source,
                "need": round(100 * need(q, value)[0]),
                "basis": cite(m.basis, m.source) if m else "",
            }
        )
    return rows


def _cost(option: OptionCost, prices: Prices, rec: str) -> dict[str, Any]:
    lines = [
        {
            "step": line.step,
            "instance": line.instance,
            "jobs": line.jobs,
            "hours": f"{line.hours_per_job:.2f}",
            "rate": rate(line.usd_per_hour, prices.currency),
            "cost": money(line.cost, prices.currency),
        }
        for line in option.lines
    ]
    return {
        "option": option.option,
        "title": OPTION_TITLES[option.option],
        "chosen": option.option == rec,
        "lines": lines,
        "total": money(option.total, prices.currency),
        "cached": money(option.cached_rerun, prices.currency)
        if option.option == "pipeline"
        else None,
    }


def _evidence(evidence: Evidence | None, sources: dict[str, Any]) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "answers": answer_lines(evidence, sources),
        "measurements": measurement_lines(evidence),
    }


def score_chart(assessment: Assessment) -> Chart:
    """Criteria and total on a 0–100 axis, with the threshold marked."""
    rows = [
        (c.title, c.score, f"{c.score:.1f}", "met" if c.met else "unmet")
        for c in assessment.criteria
    ]
    rows.append(("Total (weighted)", assessment.score, f"{assessment.score:.1f}", "total"))
    marker = (assessment.threshold, f"threshold {assessment.threshold:g}")
    return bar_chart("score-chart", "Scores by criterion (0–100)", rows, 100.0, marker)


def cost_chart(costs: tuple[OptionCost, OptionCost], prices: Prices) -> Chart:
    """One run of each option, side by side."""
    top = nice_ceiling(max(c.total for c in costs))
    rows = [
        (OPTION_TITLES[c.option], c.total,
         money(c.total, prices.currency), c.option)
        for c in costs
    ]  # fmt: skip
    unit = "$" if prices.currency == "USD" else ""
    ticks = 4 if f"{top:e}".startswith("2.0") else 5  # 0.5 steps for 2, 0.2/0.5/1 otherwise
    return bar_chart("cost-chart", "Estimated cost of one run", rows, top, ticks=ticks, unit=unit)
