"""One way to show scores, verdicts, answers and flips, in the CLI and the TUI alike."""

from __future__ import annotations

import re

import pytest

from advisor.models import Answers, Assessment
from advisor.output import to_markdown
from advisor.questions import DEFAULT_MODEL
from advisor.scoring import score
from advisor.wording import (
    answer_text,
    flip_text,
    margin_text,
    score_text,
    shown,
    total_text,
    value_text,
    verdict,
)

CLOSE = Answers(
    release_frequency="weekly", environments=3, team_size=20, teams=3, tuning="automated"
)


def with_total(total: float) -> Assessment:
    """The assessment of ``CLOSE`` with its total (and margin) replaced by ``total``."""
    a = score(CLOSE)
    return a._replace(
        score=total,
        margin=round(abs(total - a.threshold), 2),
        recommendation="pipeline" if total >= a.threshold else "script",
    )


@pytest.mark.parametrize(
    ("total", "shown_total", "margin"),
    [
        (60.04, "60.0", "10.0 above 50"),
        (60.05, "60.0", "10.0 above 50"),  # 60.05 is 60.0499… in binary: both round down
        (60.06, "60.1", "10.1 above 50"),
        (0.17, "0.2", "49.8 below 50"),
        (49.96, "49.9", "0.1 below 50"),  # never shown on the wrong side of the threshold
        (50.0, "50.0", "0.0 above 50"),
        (66.31, "66.3", "16.3 above 50"),
    ],
)
def test_total_and_margin_always_agree(total: float, shown_total: str, margin: str) -> None:
    a = with_total(total)
    assert total_text(a) == shown_total
    assert margin_text(a) == margin
    distance = float(margin.split()[0])
    assert distance == pytest.approx(abs(float(shown_total) - a.threshold))


def test_one_decimal_everywhere() -> None:
    assert [score_text(x) for x in (0, 0.17, 54.3, 66.31, 100)] == [
        "0.0",
        "0.2",
        "54.3",
        "66.3",
        "100.0",
    ]
    assert shown(49.99, 50) == 49.9 and shown(49.99) == 50.0


def test_the_verdict_is_one_sentence_with_the_shown_numbers() -> None:
    a = with_total(60.04)
    assert verdict(a) == (
        "Recommendation: a SageMaker Pipeline (total 60.0 of 100, 10.0 above the threshold of 50)."
    )
    b = with_total(0.17)
    assert verdict(b).startswith("Recommendation: a single script (total 0.2 of 100, 49.8 below")


def test_answers_read_as_labels_not_ids_or_raw_values() -> None:
    q = DEFAULT_MODEL.question("release_frequency")
    assert value_text(q, "adhoc") == "ad hoc"
    assert answer_text("release_frequency", "monthly") == "Release frequency: monthly"
    assert answer_text("audit_lineage", True) == "Audit and lineage: yes"
    assert answer_text("data_size_gb", 500.0) == "Data size: 500 GB"
    assert value_text(DEFAULT_MODEL.question("tuning"), "automated") == "automated search"


def test_flips_read_as_labels() -> None:
    a = score(CLOSE)
    texts = [flip_text(f) for f in a.flips]
    assert "Release frequency: weekly → daily would recommend a SageMaker Pipeline" in texts
    assert all(not re.search(r"\b[a-z]+_[a-z_]+\b", t) for t in texts)
    assert a.flips[0].text.startswith(a.flips[0].question)  # JSON keeps the id


def test_markdown_uses_labels_and_the_shared_numbers() -> None:
    a = score(CLOSE)
    md = to_markdown(a)
    assert f"**{verdict(a)}**" in md
    assert "`release_frequency`" not in md and "| Release frequency | weekly |" in md
    assert f"- {flip_text(a.flips[0])} (total {score_text(a.flips[0].score)})" in md
