"""Pure unit and property tests of the scoring model."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.models import Answers
from advisor.questions import DEFAULT_MODEL, QUESTIONS, Question
from advisor.scoring import criterion_scores, flips, need, score, total_score

SMALL = {"data_size_gb": 3, "team_size": 2}
ALL_FOUR = {
    "data_size_gb": 500,
    "data_frequency": "daily",
    "processing_steps": 4,
    "tuning": "automated",
    "candidate_models": 3,
    "release_frequency": "weekly",
    "environments": 3,
    "models_in_production": 2,
    "team_size": 8,
    "teams": 2,
}


def value_strategy(q: Question) -> st.SearchStrategy[Any]:
    if q.kind in ("choice", "bool"):
        return st.sampled_from([c.value for c in q.choices])
    top = min(q.maximum or 1e6, q.curve[-1].at * 3)
    low = q.minimum or 0
    if q.kind == "int":
        return st.integers(min_value=int(low), max_value=int(top))
    return st.floats(min_value=low, max_value=top, allow_nan=False)


answers_strategy = st.fixed_dictionaries({q.id: value_strategy(q) for q in QUESTIONS})


def more_need(q: Question, value: Any, data: st.DataObject) -> Any:
    """Draw a value of q that asks for at least as much as ``value``."""
    if q.kind in ("choice", "bool"):
        order = [c.value for c in q.choices]
        return data.draw(st.sampled_from(order[order.index(value) :]))
    top = max(float(value), min(q.maximum or 1e6, q.curve[-1].at * 3))
    if q.kind == "int":
        return data.draw(st.integers(min_value=int(value), max_value=int(top)))
    return data.draw(st.floats(min_value=float(value), max_value=top, allow_nan=False))


def test_small_project_gets_a_script() -> None:
    result = score(Answers(**SMALL))
    assert result.recommendation == "script"
    assert result.score < 10
    assert not any(c.met for c in result.criteria)


def test_all_four_conditions_get_a_pipeline() -> None:
    result = score(Answers(**ALL_FOUR))
    assert result.recommendation == "pipeline"
    assert all(c.met for c in result.criteria)
    assert result.margin == pytest.approx(result.score - result.threshold)


def test_reasons_name_the_answers() -> None:
    result = score(Answers(**ALL_FOUR))
    data = result.criterion("data")
    assert data.reasons[0].startswith("Data size: 500 GB")
    assert "Spark" in data.reasons[0]
    assert any("daily" in r for r in data.reasons)


def test_need_curve_interpolates_between_points() -> None:
    q = DEFAULT_MODEL.question("data_size_gb")
    assert need(q, 0)[0] == 0
    assert need(q, 10)[0] == pytest.approx(0.15)
    assert need(q, 30)[0] == pytest.approx(0.30)
    assert need(q, 10**6)[0] == 1.0


def test_curves_and_choices_are_monotone_and_bounded() -> None:
    for q in QUESTIONS:
        needs = [c.need for c in q.choices] if q.choices else [p.need for p in q.curve]
        assert needs == sorted(needs), q.id
        assert 0 <= needs[0] and needs[-1] <= 1, q.id


def test_question_weights_and_criteria_cover_every_question() -> None:
    ids = {c.id for c in DEFAULT_MODEL.criteria}
    assert {q.criterion for q in QUESTIONS} == ids
    for cid in ids:
        assert 2 <= len(DEFAULT_MODEL.questions_for(cid)) <= 5


@settings(max_examples=200, deadline=None)
@given(answers_strategy)
def test_scores_in_range_and_deterministic(values: dict[str, Any]) -> None:
    a = Answers(**values)
    first, second = score(a), score(a)
    assert first == second
    assert 0 <= first.score <= 100
    assert all(0 <= c.score <= 100 for c in first.criteria)
    assert first.recommendation == ("pipeline" if first.score >= first.threshold else "script")


@settings(max_examples=300, deadline=None)
@given(answers_strategy, st.sampled_from(QUESTIONS), st.data())
def test_more_need_never_lowers_a_score_or_flips_to_script(
    values: dict[str, Any], q: Question, data: st.DataObject
) -> None:
    before = Answers(**values).as_dict()
    after = {**before, q.id: more_need(q, before[q.id], data)}
    Answers(**after)
    for old, new in zip(criterion_scores(before), criterion_scores(after), strict=True):
        assert new >= old
    assert total_score(after) >= total_score(before)
    if score(Answers(**before)).recommendation == "pipeline":
        assert score(Answers(**after)).recommendation == "pipeline"


@settings(max_examples=100, deadline=None)
@given(answers_strategy)
def test_every_flip_really_flips_and_is_minimal(values: dict[str, Any]) -> None:
    a = Answers(**values)
    current = score(a).recommendation
    for flip in flips(a.as_dict()):
        q = DEFAULT_MODEL.question(flip.question)
        changed = score(a.replace(**{q.id: flip.to}))
        assert changed.recommendation == flip.recommendation != current
        if q.kind == "int":
            step = -1 if flip.to > flip.from_ else 1  # type: ignore[operator]
            between = flip.to + step  # type: ignore[operator]
            if between != flip.from_:
                assert score(a.replace(**{q.id: between})).recommendation == current
        if q.kind in ("choice", "bool"):
            order = [c.value for c in q.choices]
            lo, hi = sorted((order.index(flip.from_), order.index(flip.to)))
            for mid in order[lo + 1 : hi]:
                assert score(a.replace(**{q.id: mid})).recommendation == current


def test_flips_near_the_threshold_are_found_and_worded() -> None:
    a = Answers(
        data_size_gb=500, team_size=8, teams=2, tuning="automated", release_frequency="weekly"
    )
    result = score(a)
    assert result.recommendation == "script"
    by_q = {f.question: f for f in result.flips}
    assert by_q["candidate_models"].to == 2
    assert by_q["teams"].text == "teams 2 → 3 would recommend pipeline"
    assert all(f.recommendation == "pipeline" for f in result.flips)


def test_flips_downward_from_a_pipeline() -> None:
    a = Answers(**{**ALL_FOUR, "tuning": "manual", "candidate_models": 1, "environments": 1})
    result = score(a)
    assert result.recommendation == "pipeline"
    assert {"release_frequency", "team_size", "data_size_gb"} <= {f.question for f in result.flips}
    for f in result.flips:
        assert f.recommendation == "script"
        assert score(a.replace(**{f.question: f.to})).recommendation == "script"


def test_sources_default_unless_given() -> None:
    result = score(Answers(team_size=4), {"team_size": "flag"})
    assert result.sources["team_size"] == "flag"
    assert "team_size" not in result.defaulted
    assert "data_size_gb" in result.defaulted
