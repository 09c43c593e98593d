"""Answers validation: the validator and the published JSON Schema agree, errors are clear."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.errors import AnswersError
from advisor.explain import answers_schema
from advisor.models import Answers, check
from advisor.questions import QUESTIONS

VALIDATOR = jsonschema.Draft202012Validator(answers_schema())

json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10, max_value=10**8),
    st.floats(min_value=-10, max_value=10**8, allow_nan=False),
    st.sampled_from(["static", "daily", "none", "automated", "adhoc", "weekly", "yearly", "", "x"]),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from([q.id for q in QUESTIONS] + ["bogus"]), json_values))
def test_schema_accepts_exactly_what_the_validator_accepts(doc: dict[str, Any]) -> None:
    _, problems = check(doc)
    assert VALIDATOR.is_valid(doc) == (not problems), (doc, problems)


def test_text_values_from_flags_are_coerced() -> None:
    a = Answers(data_size_gb="12.5", team_size="4", audit_lineage="yes", tuning="manual")
    assert a["data_size_gb"] == 12.5 and a["team_size"] == 4 and a["audit_lineage"] is True


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("team_size", "2.5"),
        ("team_size", 0),
        ("team_size", True),
        ("data_size_gb", "inf"),
        ("data_size_gb", -1),
        ("tuning", "Automated"),
        ("audit_lineage", "maybe"),
        ("environments", None),
    ],
)
def test_rejected_values_name_the_field_and_what_is_accepted(key: str, value: Any) -> None:
    with pytest.raises(AnswersError) as err:
        Answers({key: value})
    assert str(err.value).startswith(f"{key}: {value!r} is not accepted; expected ")


def test_answers_are_immutable_and_replace_validates() -> None:
    a = Answers(team_size=3)
    with pytest.raises(AttributeError):
        a.x = 1  # type: ignore[attr-defined]
    assert a.replace(team_size=5)["team_size"] == 5 and a["team_size"] == 3
    with pytest.raises(AnswersError):
        a.replace(team_size=-5)
    assert list(a) == [q.id for q in QUESTIONS]
