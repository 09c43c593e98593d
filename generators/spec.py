"""The validated description of one project to generate.

A frozen dataclass rather than a pydantic model: ``sm-advisor new`` has a start-up budget of
~150 ms and its inputs are already validated (answers by ``advisor.models``, options by the
CLI's choices and ``generators.context``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Kind = Literal["script", "pipeline"]
Framework = Literal["sklearn", "xgboost", "pytorch"]
Sdk = Literal["v3", "v2"]
Extra = Literal["tuning", "spark", "ci", "team"]

KINDS: tuple[Kind, ...] = ("script", "pipeline")
FRAMEWORKS: tuple[Framework, ...] = ("sklearn", "xgboost", "pytorch")
SDKS: tuple[Sdk, ...] = ("v3", "v2")
EXTRAS: tuple[Extra, ...] = ("tuning", "spark", "ci", "team")

# Which criterion, when met, switches on which extra of the pipeline project.
EXTRA_FOR_CRITERION: dict[str, Extra] = {
    "tuning": "tuning",
    "data": "spark",
    "cicd": "ci",
    "team": "team",
}


class Criterion(NamedTuple):
    """One scored criterion as the generator sees it: id, title, score, and whether it is met."""

    id: str
    title: str
    score: float
    met: bool


class Decision(NamedTuple):
    """The plain input of the generator: what was decided, from which answers, by which version.

    Built by the caller (``advisor.usecases.decision``) from its assessment, so that ``generators``
    needs nothing from ``advisor``. A NamedTuple, like the rest of the hot path of ``new``.
    """

    recommendation: Literal["script", "pipeline"]
    score: float
    answers: dict[str, float | int | str | bool]
    criteria: tuple[Criterion, ...]
    generator_version: str


@dataclass(frozen=True)
class ProjectSpec:
    """Everything the templates may use. Only this goes into the Jinja context."""

    name: str
    slug: str
    package: str
    kind: Kind
    framework: Framework
    recommendation: Literal["script", "pipeline"]
    score: float
    answers: dict[str, float | int | str | bool]
    generator_version: str
    sdk: Sdk = "v3"
    extras: tuple[Extra, ...] = ()
    extra_reasons: dict[str, str] = field(default_factory=dict)

    def has(self, extra: str) -> bool:
        """Say whether an extra is switched on (handy in templates: ``spec.has('ci')``)."""
        return extra in self.extras
