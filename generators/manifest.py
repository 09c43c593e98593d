"""Read and validate a generated project's ``.sm-advisor.yaml`` (written by ``render.manifest``).

The manifest is a file users may edit (its header invites them to change answers), so it is
validated strictly with pydantic (frozen models, unknown keys refused) and every problem becomes
one line naming the key. The answers themselves are checked by the questionnaire's own validator
(``advisor.collect``), which knows the accepted values. pydantic is imported only here, and only
``sm-advisor update`` imports this module.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generators import untrusted
from generators.errors import SpecError
from generators.spec import Extra, Framework, Kind, Sdk

FILENAME = ".sm-advisor.yaml"


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


class ManifestError(SpecError):
    """The manifest is missing, unreadable or malformed."""


def load(directory: Path) -> Manifest:
    """Load and validate ``DIR/.sm-advisor.yaml``; every problem is a one-line ``ManifestError``."""
    path = directory / FILENAME
    if not directory.is_dir():
        raise ManifestError(
            f"{untrusted.shown_path(directory)} is not a directory; "
            "give the folder of a generated project."
        )
    try:
        text = untrusted.read_text(path, follow_symlinks=False)
    except untrusted.MissingFile:
        raise ManifestError(
            f"{untrusted.shown_path(path)} not found; 'sm-advisor update' works on a project "
            "made by 'sm-advisor new'."
        ) from None
    except untrusted.InputError as err:
        raise ManifestError(str(err)) from None
    data = _parse(path, text)
    try:
        return Manifest.model_validate(data)
    except ValidationError as err:
        raise ManifestError(
            f"{untrusted.shown_path(path)}: {describe(err)}; fix it or regenerate the project."
        ) from None


def _parse(path: Path, text: str) -> Any:
    where = untrusted.shown_path(path)
    try:
        data = untrusted.load_yaml(text, where)
    except untrusted.InputError as err:
        raise ManifestError(f"{err} Fix it or regenerate the project.") from None
    if not isinstance(data, dict):
        raise ManifestError(
            f"{where}: expected a mapping with generator, project and answers; "
            "regenerate the project or restore the file."
        )
    return data


def describe(err: ValidationError) -> str:
    """Describe the first validation problem in a few words naming the key, and count the rest."""
    first = err.errors()[0]
    key = untrusted.clip(".".join(str(part) for part in first["loc"]))
    if first["type"] == "extra_forbidden":
        text = f"unknown key '{key}'"
    elif first["type"] == "missing":
        text = f"missing key '{key}'"
    else:
        text = f"'{key}' is invalid ({first['msg'][:1].lower()}{first['msg'][1:]})"
    more = err.error_count() - 1
    return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def version_tuple(version: str) -> tuple[int, ...]:
    """Return the leading numeric parts of a version (``0.10.1rc1`` → ``(0, 10, 1)``)."""
    head = re.match(r"^\d+(\.\d+)*", version)
    return tuple(int(p) for p in head.group(0).split(".")) if head else ()
