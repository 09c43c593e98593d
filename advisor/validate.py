"""Validate answers against the questionnaire, and describe what is refused in one line.

One place for every rule: ``check``/``coerce`` accept or refuse values (typed values from files,
text from flags and form fields), and ``describe``/``field_message`` say why, naming the field
the way the user gave it (the flag, the key in the file, the form's label) and what is accepted.
``advisor.models`` (the ``Answers`` type) and ``advisor.collect`` (the layers) both build on it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from advisor.errors import AnswersFileError
from advisor.questions import QUESTIONS, Question, Value
from generators.message_text import clip

Source = Literal["default", "file", "flag", "measured", "tui"]

_BY_ID = {q.id: q for q in QUESTIONS}
_IDS = tuple(_BY_ID)
# Python's int() and float() accept any script's digits and '_'; answers take ASCII only.
_INT = re.compile(r"[-+]?[0-9]+", re.ASCII)
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
_MAX_NUMBER_TEXT = 100
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class Problem(NamedTuple):
    """One rejected answer: which question, and the value given."""

    qid: str
    value: Any
    unknown: bool = False


def coerce(q: Question, value: Any, text: bool = False) -> Value:
    """Return the answer as its question's type, or raise ValueError if it is not accepted.

    Typed values (from answers files) must have the question's JSON type, exactly as the
    published JSON Schema says. With ``text=True`` (flags, form fields) text is parsed too.
    Numbers must be finite and within bounds; whole numbers have no fractional part.
    """
    if text and isinstance(value, str):
        value = _parse_text(q, value.strip())
    if q.kind == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError(value)
    if q.kind == "choice":
        if isinstance(value, str) and value in {c.value for c in q.choices}:
            return value
        raise ValueError(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(value)
    if q.kind == "int":
        if not float(value).is_integer():
            raise ValueError(value)
        value = int(value)
    if (q.minimum is not None and value < q.minimum) or (
        q.maximum is not None and value > q.maximum
    ):
        raise ValueError(value)
    return value if q.kind == "int" else float(value)


def _parse_text(q: Question, text: str) -> Any:
    """Parse a flag or form field; numbers are ASCII only (not ``١٢``, ``１２`` or ``1_000``)."""
    if q.kind == "bool":
        low = text.lower()
        return True if low in _TRUE else False if low in _FALSE else text
    if q.kind in ("int", "float") and len(text) <= _MAX_NUMBER_TEXT:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    return text


def check(
    values: Mapping[str, Any], text_keys: Collection[str] | bool = False
) -> tuple[dict[str, Value], list[Problem]]:
    """Validate answers against the questionnaire: defaults filled in, problems listed.

    ``text_keys`` names the answers given as text (flags), or ``True`` for all of them.
    """
    problems = [Problem(k, v, unknown=True) for k, v in values.items() if k not in _BY_ID]
    result: dict[str, Value] = {}
    for q in QUESTIONS:
        if q.id not in values:
            result[q.id] = q.default
            continue
        as_text = text_keys is True or (not isinstance(text_keys, bool) and q.id in text_keys)
        try:
            result[q.id] = coerce(q, values[q.id], as_text)
        except (ValueError, TypeError, OverflowError):
            problems.append(Problem(q.id, values[q.id]))
    return result, problems


def unknown_key(key: str, where: str) -> AnswersFileError:
    """Build the error for a key that is not a question id, with a close match if any."""
    import difflib  # only on this error path: it is not free at start-up

    name = clip(key)
    close = difflib.get_close_matches(name, _IDS, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return AnswersFileError(
        f"{clip(where, 200)}: unknown question '{name}'; {hint}known ids: {', '.join(_IDS)}."
    )


def describe(
    problems: Sequence[Problem],
    sources: Mapping[str, Source] | None = None,
    origin: Mapping[Source, str] | None = None,
) -> str:
    """Turn validation problems into one line: the first in full, then how many more."""
    parts = [
        str(unknown_key(p.qid, "answers"))
        if p.unknown
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
    q = _BY_ID[qid]
    if source == "flag":
        name = q.flag
    elif source == "tui":
        return f"{q.label}: {value!r} is not accepted; expected {q.accepted()}."
    elif source in ("file", "measured") and origin and source in origin:
        name = f"{clip(origin[source], 200)}: {qid}"
    else:
        name = qid
    shown = f"'{clip(value)}'" if isinstance(value, str) else clip(value)
    return f"{name}: {shown} is not accepted; {_digits_hint(q, value)}expected {q.accepted()}."


def _digits_hint(q: Question, value: Any) -> str:
    """Say why a number that looks right is refused: only the ASCII digits 0-9 are numbers."""
    head = value[:100] if isinstance(value, str) else ""  # a number is never longer
    if q.kind in ("int", "float") and (
        "_" in head or any(ch.isdigit() and not ch.isascii() for ch in head)
    ):
        return "write numbers with the ASCII digits 0-9 only (no '_' or other scripts' digits); "
    return ""
