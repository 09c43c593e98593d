"""Render a decision record as self-contained HTML or as Markdown, with Jinja.

One template per format, next to this module. The HTML has its CSS inline, its charts as inline
SVG and no script or external asset, so it can be mailed, attached to a ticket or opened offline.
Jinja is imported here, inside the functions, so ``assess`` never pays for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from advisor.errors import AdvisorError

Format = Literal["html", "markdown"]
TEMPLATES = {"html": "decision.html.jinja", "markdown": "decision.md.jinja"}


_MARKDOWN_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown_text(value: Any) -> Any:
    """Make a value safe to place in Markdown: no raw HTML, and no line breaks.

    Every ``{{ }}`` of the Markdown template goes through this, so a ``--title '<script>'`` or a
    price table's note cannot inject HTML or start a new heading.
    """
    if not isinstance(value, str):
        return value
    flat = "".join(ch if ch.isprintable() else " " for ch in value)
    return flat.translate(_MARKDOWN_ESCAPES)


def render(context: dict[str, Any], fmt: Format) -> str:
    """Render the context in one format; template errors are bugs, reported as such."""
    import jinja2

    from advisor.wording import bar
    from generators.render import jinja_environment

    env: jinja2.Environment = jinja_environment(Path(__file__).parent, autoescape=fmt == "html")
    env.globals["bar"] = bar
    if fmt == "markdown":
        env.finalize = markdown_text
    try:
        return env.get_template(TEMPLATES[fmt]).render(context)
    except jinja2.TemplateError as err:
        raise AdvisorError(f"{TEMPLATES[fmt]}: {err}") from err
