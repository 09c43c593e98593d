"""The manifest of a generated project, ``.sm-advisor.yaml``: its name, its writer, its reader.

``dump`` writes it into every plan (``generators.render``); ``load`` reads it back for
``sm-advisor update``. The manifest is a file users may edit (its header invites them to change
answers), so it is read strictly: a pydantic schema (``generators.manifest_schema``: frozen
models, unknown keys refused), and every problem becomes one line naming the key. The answers
themselves are checked by the caller against its questionnaire. pydantic is imported only by
``load``, so that writing (``new``) stays fast.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generators import untrusted
from generators.errors import GeneratorError, SpecError
from generators.message_text import clip

if TYPE_CHECKING:
    from pydantic import ValidationError

    from generators.manifest_schema import Manifest
    from generators.spec import ProjectSpec

FILENAME = ".sm-advisor.yaml"


class ManifestError(SpecError):
    """The manifest is missing, unreadable or malformed."""


def dump(spec: ProjectSpec) -> bytes:
    """Return ``.sm-advisor.yaml``: what was generated, from which answers, by which version.

    Written by a tiny emitter rather than PyYAML (whose import alone was a tenth of ``new``):
    the structure is fixed (mappings of scalars and one list) and strings are JSON-quoted, which
    YAML reads as double-quoted scalars. A test round-trips it through ``yaml.safe_load``.
    """
    sections: dict[str, dict[str, Any]] = {
        "generator": {"name": "sm-advisor", "version": spec.generator_version},
        "project": {
            "name": spec.name,
            "kind": spec.kind,
            "framework": spec.framework,
            "sdk": spec.sdk,
            "extras": list(spec.extras),
        },
        "answers": dict(spec.answers),
    }
    lines = ["# Written by sm-advisor; 'sm-advisor update' reads it. Edit answers, not the rest."]
    for section, values in sections.items():
        lines.append(f"{section}:")
        for key, value in values.items():
            if isinstance(value, list) and value:
                lines += [f"  {key}:", *(f"  - {yaml_value(v)}" for v in value)]
            else:
                lines.append(f"  {key}: {yaml_value(value)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


# Words and version numbers (two dots: never a YAML float) need no quotes.
_PLAIN = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*|\d+(\.\d+){2,})\Z")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def yaml_value(value: Any) -> str:
    """Write one scalar (or a flat list of scalars) as YAML that reads back to the same value."""
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        # YAML 1.1 (PyYAML) reads '1e-05' as a string: it wants a dot in the mantissa.
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    if isinstance(value, str):
        plain = _PLAIN.match(value) and value.lower() not in _YAML_WORDS
        return value if plain else json.dumps(value, ensure_ascii=False)
    raise GeneratorError(f"cannot write {value!r} to {FILENAME}.")


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
    from pydantic import ValidationError

    from generators.manifest_schema import Manifest

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
    key = clip(".".join(str(part) for part in first["loc"]))
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
