"""Merge answers from their layers (defaults < file < measured < flags) and validate them.

Validation errors become one readable line that names the field the way the user gave it (the
flag, or the key in the file) and says what is accepted.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from advisor.errors import AnswersError, AnswersFileError
from advisor.models import Answers, AnswersBase, Source
from advisor.questions import QUESTIONS

_IDS = tuple(q.id for q in QUESTIONS)


def collect(
    layers: list[tuple[Source, Mapping[str, Any]]], origin: Mapping[Source, str] | None = None
) -> tuple[AnswersBase, dict[str, Source]]:
    """Validate merged answers; later layers override earlier ones.

    ``origin`` names where each layer came from (a file path), for error messages.
    """
    merged: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    for source, values in layers:
        for key, value in values.items():
            if key not in _IDS:
                raise _unknown_key(key, (origin or {}).get(source, source))
            merged[key] = value
            sources[key] = source
    try:
        answers = Answers.model_validate(merged)
    except ValidationError as err:
        raise AnswersError(describe(err, sources, origin or {})) from None
    return answers, {qid: sources.get(qid, "default") for qid in _IDS}


def _unknown_key(key: str, where: str) -> AnswersFileError:
    close = difflib.get_close_matches(str(key), _IDS, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return AnswersFileError(
        f"{where}: unknown question '{key}'; {hint}known ids: {', '.join(_IDS)}."
    )


def describe(
    err: ValidationError,
    sources: Mapping[str, Source] | None = None,
    origin: Mapping[Source, str] | None = None,
) -> str:
    """Turn a pydantic ValidationError on ``Answers`` into one line per the house style."""
    parts = []
    for e in err.errors():
        qid = str(e["loc"][0]) if e["loc"] else "?"
        parts.append(field_message(qid, e.get("input"), (sources or {}).get(qid), origin))
    more = len(parts) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return parts[0] + tail if parts else "invalid answers."


def field_message(
    qid: str, value: Any, source: Source | None, origin: Mapping[Source, str] | None = None
) -> str:
    """Describe one rejected answer: where it came from, the value, what is accepted."""
    q = next((q for q in QUESTIONS if q.id == qid), None)
    if q is None:
        return f"{qid}: not a known question."
    if source == "flag":
        name = q.flag
    elif source in ("file", "measured") and origin and source in origin:
        name = f"{origin[source]}: {qid}"
    else:
        name = qid
    return f"{name}: {value!r} is not accepted; expected {q.accepted()}."
