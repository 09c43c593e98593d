"""Validated answers and the assessment that scoring returns: frozen, standard-library types.

Why not pydantic here: ``sm-advisor assess`` has a start-up budget of about 100 ms, and
importing pydantic plus building a first model costs most of it on its own (measured in
``bench/``). Validation is instead derived from the questionnaire data (``advisor.validate``):
one definition still feeds the flags, the answers files, the JSON Schema and the TUI, and the
JSON Schema is checked to accept and reject exactly what this validator does. pydantic remains
the tool for the generator's project spec and the optional features, off the hot path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, NamedTuple

from advisor.errors import AnswersError
from advisor.questions import CriterionId, Value
from advisor.validate import Source, check, describe

__all__ = ["Answers", "Assessment", "CriterionScore", "Flip", "Recommendation", "Source", "check"]

Recommendation = Literal["script", "pipeline"]


class Answers(Mapping[str, Value]):
    """A complete, validated, immutable set of answers keyed by question id."""

    __slots__ = ("_values",)
    _values: dict[str, Value]

    def __init__(self, values: Mapping[str, Any] | None = None, /, **kwargs: Any) -> None:
        """Validate ``values`` and keyword answers (text is parsed); unset take their defaults."""
        checked, problems = check({**(values or {}), **kwargs}, text_keys=True)
        if problems:
            raise AnswersError(describe(problems))
        object.__setattr__(self, "_values", checked)

    def __getitem__(self, qid: str) -> Value:
        """Return one answer."""
        return self._values[qid]

    def __iter__(self) -> Iterator[str]:
        """Iterate over question ids in questionnaire order."""
        return iter(self._values)

    def __len__(self) -> int:
        """Return the number of questions."""
        return len(self._values)

    def __setattr__(self, name: str, value: Any) -> None:
        """Refuse mutation: answers are immutable."""
        raise AttributeError("Answers are immutable; use replace()")

    def __repr__(self) -> str:
        """Show the answers."""
        return f"Answers({self._values!r})"

    def __eq__(self, other: object) -> bool:
        """Compare by content."""
        return isinstance(other, Answers) and self._values == other._values

    def __hash__(self) -> int:
        """Hash by content."""
        return hash(tuple(self._values.items()))

    def value(self, qid: str) -> Value:
        """Return one answer by question id."""
        return self._values[qid]

    def as_dict(self) -> dict[str, Value]:
        """Return every answer, keyed by question id, in questionnaire order."""
        return dict(self._values)

    def replace(self, **changes: Any) -> Answers:
        """Return a validated copy with some answers changed."""
        return Answers({**self._values, **changes})


class CriterionScore(NamedTuple):
    """One criterion's score, whether it is met, and the reasons behind it."""

    id: CriterionId
    title: str
    score: float
    weight: float
    met: bool
    reasons: tuple[str, ...]


class Flip(NamedTuple):
    """The smallest change of one answer that would flip the recommendation."""

    question: str
    flag: str
    from_: Value
    to: Value
    recommendation: Recommendation
    score: float
    text: str

    def to_json_dict(self) -> dict[str, Any]:
        """Return the JSON shape (``from`` instead of the Python-safe ``from_``)."""
        data = self._asdict()
        data["from"] = data.pop("from_")
        return {
            k: data[k]
            for k in ("question", "flag", "from", "to", "recommendation", "score", "text")
        }


class Assessment(NamedTuple):
    """The full, explained result of scoring one set of answers."""

    recommendation: Recommendation
    score: float
    threshold: float
    margin: float
    criteria: tuple[CriterionScore, ...]
    flips: tuple[Flip, ...]
    answers: dict[str, Value]
    sources: dict[str, Source] = {}  # shared default, never mutated: score() passes its own

    @property
    def defaulted(self) -> list[str]:
        """Question ids whose answer was not given and took its documented default."""
        return [k for k, v in self.sources.items() if v == "default"]

    def criterion(self, cid: str) -> CriterionScore:
        """Return one criterion's score by id."""
        return next(c for c in self.criteria if c.id == cid)

    def to_json_dict(self) -> dict[str, Any]:
        """Return the stable JSON shape documented in docs/assess.md."""
        return {
            "recommendation": self.recommendation,
            "score": self.score,
            "threshold": self.threshold,
            "margin": self.margin,
            "criteria": [{**c._asdict(), "reasons": list(c.reasons)} for c in self.criteria],
            "flips": [f.to_json_dict() for f in self.flips],
            "answers": dict(self.answers),
            "sources": dict(self.sources),
            "defaulted": self.defaulted,
        }
