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


def render(context: dict[str, Any], fmt: Format) -> str:
    """Render the context in one format; template errors are bugs, reported as such."""
    import jinja2

    from advisor.output import bar

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["bar"] = bar
    try:
        return env.get_template(TEMPLATES[fmt]).render(context)
    except jinja2.TemplateError as err:
        raise AdvisorError(f"{TEMPLATES[fmt]}: {err}") from err
