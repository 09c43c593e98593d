"""The schema of ``.sm-advisor.yaml``: strict pydantic models (frozen, unknown keys refused).

Only ``generators.manifest.load`` imports this module (pydantic is off the path of ``new``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from generators.spec import Extra, Framework, Kind, Sdk


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GeneratorInfo(_Strict):
    """Which generator wrote the project."""

    name: str = Field(pattern=r"^sm-advisor$")
    version: str = Field(pattern=r"^\d+(\.\d+)*\S*$")


class ProjectInfo(_Strict):
    """What was generated: the resolved kind, framework, SDK and pipeline extras."""

    name: str = Field(min_length=1)
    kind: Kind
    framework: Framework
    sdk: Sdk = "v3"
    extras: tuple[Extra, ...] = ()


class Manifest(_Strict):
    """The whole manifest. ``answers`` are validated afterwards against the questionnaire."""

    generator: GeneratorInfo
    project: ProjectInfo
    answers: dict[str, Any] = Field(default_factory=dict)
