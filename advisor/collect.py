"""Merge answers from their layers (defaults < file < measured < flags) and validate them.

Validation problems become one readable line that names the field the way the user gave it
(the flag, or the key in the file) and says what is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advisor.errors import AnswersError, AnswersFileError
from advisor.models import Answers, Problem, Source, check
from advisor.questions import QUESTIONS

_IDS = tuple(q.id for q in QUESTIONS)


def collect(
    layers: Sequence[tuple[Source, Mapping[str, Any]]],
    origin: Mapping[Source, str] | None = None,
) -> tuple[Answers, dict[str, Source]]:
    """Validate merged answers; later layers override earlier ones.

    ``origin`` names where each layer came from (a file path), for error messages.
    """
    merged: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    for source, values in layers:
        for key, value in values.items():
            if key not in _IDS:
                raise unknown_key(key, (origin or {}).get(source, source))
            merged[key] = value
            sources[key] = source
    text_keys = {k for k, src in sources.items() if src in ("flag", "tui")}
    checked, problems = check(merged, text_keys)
    if problems:
        raise AnswersError(describe(problems, sources, origin))
    return Answers(checked), {qid: sources.get(qid, "default") for qid in _IDS}


def unknown_key(key: str, where: str) -> AnswersFileError:
    """Build the error for a key that is not a question id, with a close match if any."""
    import difflib  # only on this error path: it is not free at start-up

    close = difflib.get_close_matches(str(key), _IDS, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return AnswersFileError(
        f"{where}: unknown question '{key}'; {hint}known ids: {', '.join(_IDS)}."
    )


def describe(
    problems: Sequence[Problem],
    sources: Mapping[str, Source] | None = None,
    origin: Mapping[Source, str] | None = None,
) -> str:
    """Turn validation problems into one line: the first in full, then how many more."""
    parts = [
        str(unknown_key(p.qid, "answers")) if p.unknown
        else field_message(p.qid, p.value, (sources or {}).get(p.qid), origin)
        for p in problems
    ]
    more = len(parts) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return parts[0] + tail if parts else "invalid answers."


def field_message(
    qid: str, value: Any, source: Source | None, origin: Mapping[Source, str] | None = None
) -> str:
    """Describe one rejected answer: where it came from, the value, what is accepted."""
    q = next(q for q in QUESTIONS if q.id == qid)
    if source == "flag":
        name = q.flag
    elif source in ("file", "measured") and origin and source in origin:
        name = f"{origin[source]}: {qid}"
    else:
        name = qid
    return f"{name}: {value!r} is not accepted; expected {q.accepted()}."
