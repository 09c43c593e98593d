"""The decision record: an ADR-style report of an assessment, as HTML or Markdown.

``write_report`` is the whole feature: estimate the cost of one run of each option from the
dated price table (``prices.json``, or ``--prices``), build the document's content, render it
and write it. Output is deterministic: no clock is read unless a date is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advisor.errors import UserError
from generators.message_text import clip

if TYPE_CHECKING:
    from advisor.evidence import Evidence
    from advisor.models import Assessment
    from advisor.report.document import Meta
    from advisor.report.render import Format

SUFFIXES: dict[str, Format] = {".html": "html", ".htm": "html", ".md": "markdown"}


def format_for(path: str, given: str | None) -> Format:
    """The format asked for, or the one the output file's suffix implies."""
    if given in ("html", "markdown"):
        return "html" if given == "html" else "markdown"
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    raise UserError(
        f"cannot tell the report format from '{clip(path, 200)}'; name it .html or .md, "
        "or pass --format."
    )


def make_report(
    assessment: Assessment,
    meta: Meta,
    fmt: Format,
    prices_path: str | None = None,
    evidence: Evidence | None = None,
) -> str:
    """Render the decision record for an assessment."""
    from advisor.report.cost import estimate, load_prices
    from advisor.report.document import build_context
    from advisor.report.render import render

    prices = load_prices(prices_path)
    costs = estimate(assessment.answers, prices)
    return render(build_context(assessment, costs, prices, meta, evidence), fmt)
