"""Read and write answers files (YAML or JSON). The advisor's only file I/O.

Answers files are untrusted input, read through ``generators.untrusted``: a regular file of at
most 1 MiB, UTF-8, no YAML anchors or aliases, bounded nesting and numbers, no duplicate keys.
PyYAML is imported only when a YAML file is actually read, so JSON answers and flag-only runs
never pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from advisor.errors import AnswersFileError
from generators import untrusted

if TYPE_CHECKING:  # pathlib (with urllib.parse) is imported only when a file is read or written
    from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


def load(path: str | Path) -> dict[str, Any]:
    """Load a mapping of answers from a YAML or JSON file, bounded (see ``generators.untrusted``).

    A generated project's ``.sm-advisor.yaml`` is accepted too: its ``answers`` mapping is used.
    """
    from pathlib import Path

    p = Path(path)
    where = untrusted.shown_path(p)
    if p.suffix.lower() not in (*YAML_SUFFIXES, ".json"):
        raise AnswersFileError(f"{where}: unknown file type; use a .yaml, .yml or .json file.")
    try:
        data = untrusted.load_file(p)
    except untrusted.MissingFile:
        raise AnswersFileError(
            f"{where}: no such file; check the path given to --answers."
        ) from None
    except untrusted.InputError as err:
        raise AnswersFileError(str(err)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AnswersFileError(
            f"{where}: expected a mapping of question ids to answers, got {type(data).__name__}; "
            "see 'sm-advisor schema'."
        )
    if "answers" in data and "generator" in data and isinstance(data["answers"], dict):
        return dict(data["answers"])
    return data


def dumps(answers: Mapping[str, Any], fmt: str = "yaml") -> str:
    """Serialise answers as YAML or JSON, in questionnaire order."""
    if fmt == "json":
        return json.dumps(dict(answers), indent=2) + "\n"
    import yaml

    return str(yaml.safe_dump(dict(answers), sort_keys=False, allow_unicode=True))


def save(answers: Mapping[str, Any], path: str | Path) -> Path:
    """Write answers to ``path``; the suffix chooses YAML or JSON."""
    from pathlib import Path

    p = Path(path)
    fmt = "json" if p.suffix.lower() == ".json" else "yaml"
    try:
        p.write_text(dumps(answers, fmt), encoding="utf-8")
    except OSError as err:
        where = untrusted.shown_path(p)
        raise AnswersFileError(f"{where}: cannot be written ({err.strerror}).") from None
    return p
