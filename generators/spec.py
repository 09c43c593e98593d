"""The validated description of one project to generate.

A ``NamedTuple`` rather than a pydantic model or a dataclass: ``sm-advisor new`` has a start-up
budget and its inputs are already validated (answers by ``advisor.models``, options by the CLI's
choices and ``generators.context``); and every command's parser reads the choices below, so this
module must not import ``dataclasses`` (and with it ``inspect``) on the path of ``assess``.
"""

from __future__ import annotations

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


class ProjectSpec(NamedTuple):
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
    extra_reasons: dict[str, str] = {}  # shared default, never mutated: build_spec passes one

    def has(self, extra: str) -> bool:
        """Say whether an extra is switched on (handy in templates: ``spec.has('ci')``)."""
        return extra in self.extras
