"""Merge answers from their layers (defaults < file < measured < flags) and validate them.

Validation problems become one readable line (``advisor.validate.describe``) that names the
field the way the user gave it (the flag, or the key in the file) and says what is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advisor.errors import AnswersError
from advisor.models import Answers
from advisor.questions import QUESTIONS
from advisor.validate import Source, check, describe, unknown_key

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
