"""Read and write answers files (YAML or JSON). The advisor's only file I/O.

YAML is parsed with PyYAML's safe loader, imported only when a YAML file is actually read, so
JSON answers and flag-only runs never pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from advisor.errors import AnswersFileError

if TYPE_CHECKING:  # pathlib (with urllib.parse) is imported only when a file is read or written
    from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


def load(path: str | Path) -> dict[str, Any]:
    """Load a mapping of answers from a YAML or JSON file.

    A generated project's ``.sm-advisor.yaml`` is accepted too: its ``answers`` mapping is used.
    """
    from pathlib import Path

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnswersFileError(f"{p}: no such file; check the path given to --answers.") from None
    except IsADirectoryError:
        raise AnswersFileError(f"{p}: is a directory; give the path of an answers file.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise AnswersFileError(f"{p}: cannot be read ({err}).") from None
    data = _parse(p, text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AnswersFileError(
            f"{p}: expected a mapping of question ids to answers, got {type(data).__name__}; "
            "see 'sm-advisor schema'."
        )
    if "answers" in data and "generator" in data and isinstance(data["answers"], dict):
        return dict(data["answers"])
    return data


def _parse(p: Path, text: str) -> Any:
    if p.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise AnswersFileError(f"{p}: not valid JSON ({err}).") from None
    if p.suffix.lower() not in YAML_SUFFIXES:
        raise AnswersFileError(f"{p}: unknown file type; use a .yaml, .yml or .json file.")
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(err, "problem", None) or "malformed YAML"
        raise AnswersFileError(f"{p}: not valid YAML{line} ({problem}).") from None


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
        raise AnswersFileError(f"{p}: cannot be written ({err.strerror}).") from None
    return p
