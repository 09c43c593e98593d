"""Pydantic models: validated answers and the assessment that scoring returns.

``Answers`` is generated from the questionnaire definition, so the answers file, the CLI flags
and the JSON Schema can never disagree with the questions. All models are frozen and reject
unknown keys.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from advisor.questions import QUESTIONS, CriterionId, Question, Value

Recommendation = Literal["script", "pipeline"]
Source = Literal["default", "file", "flag", "measured", "tui"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class AnswersBase(BaseModel):
    """Common behaviour of the generated ``Answers`` model."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Answers")

    def value(self, qid: str) -> Value:
        """Return one answer by question id."""
        result: Value = getattr(self, qid)
        return result

    def as_dict(self) -> dict[str, Value]:
        """Return every answer, keyed by question id, in questionnaire order."""
        return {q.id: self.value(q.id) for q in QUESTIONS}

    def replace(self, **changes: Value) -> AnswersBase:
        """Return a validated copy with some answers changed."""
        return type(self).model_validate({**self.as_dict(), **changes})


def _annotation(q: Question) -> Any:
    bounds: dict[str, float] = {}
    if q.minimum is not None:
        bounds["ge"] = q.minimum
    if q.maximum is not None:
        bounds["le"] = q.maximum
    if q.kind == "float":
        return Annotated[float, Field(allow_inf_nan=False, **bounds)]
    if q.kind == "int":
        return Annotated[int, Field(**bounds)]
    if q.kind == "bool":
        return bool
    return Literal[tuple(str(c.value) for c in q.choices)]


def _answers_model() -> type[AnswersBase]:
    fields: dict[str, Any] = {
        q.id: (
            _annotation(q),
            Field(default=q.default, title=q.label, description=f"{q.prompt} {q.help}"),
        )
        for q in QUESTIONS
    }
    return create_model("Answers", __base__=AnswersBase, **fields)


Answers: type[AnswersBase] = _answers_model()


class CriterionScore(BaseModel):
    """One criterion's score, whether it is met, and the reasons behind it."""

    model_config = _FROZEN

    id: CriterionId
    title: str
    score: float = Field(ge=0, le=100)
    weight: float
    met: bool
    reasons: tuple[str, ...]


class Flip(BaseModel):
    """The smallest change of one answer that would flip the recommendation."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    question: str
    flag: str
    from_: Value = Field(alias="from")
    to: Value
    recommendation: Recommendation
    score: float
    text: str


class Assessment(BaseModel):
    """The full, explained result of scoring one set of answers."""

    model_config = _FROZEN

    recommendation: Recommendation
    score: float
    threshold: float
    margin: float
    criteria: tuple[CriterionScore, ...]
    flips: tuple[Flip, ...]
    answers: dict[str, Value]
    sources: dict[str, Source]

    @property
    def defaulted(self) -> list[str]:
        """Question ids whose answer was not given and took its documented default."""
        return [k for k, v in self.sources.items() if v == "default"]

    def criterion(self, cid: str) -> CriterionScore:
        """Return one criterion's score by id."""
        return next(c for c in self.criteria if c.id == cid)

    def to_json_dict(self) -> dict[str, Any]:
        """Return the stable JSON shape documented in the README."""
        data = self.model_dump(by_alias=True, mode="json")
        data["defaulted"] = self.defaulted
        return data
