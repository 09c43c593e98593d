"""The validated description of one project to generate."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

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


class ProjectSpec(BaseModel):
    """Everything the templates may use. Only this goes into the Jinja context."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    slug: str
    package: str
    kind: Kind
    framework: Framework
    sdk: Sdk = "v3"
    extras: tuple[Extra, ...] = ()
    extra_reasons: dict[str, str] = {}
    recommendation: Literal["script", "pipeline"]
    score: float
    answers: dict[str, float | int | str | bool]
    generator_version: str

    def has(self, extra: str) -> bool:
        """Say whether an extra is switched on (handy in templates: ``spec.has('ci')``)."""
        return extra in self.extras
