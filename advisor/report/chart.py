"""Geometry of the report's horizontal bar charts; the HTML template draws them as inline SVG.

Computing coordinates here (pure, tested) keeps the template to markup, and keeps the page free
of scripts and network assets: the chart is there the moment the HTML is parsed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 230.0
VALUE_WIDTH = 90.0
ROW = 34.0
BAR = 20.0
TOP = 26.0
AXIS = 26.0


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value text, position, length and style class."""

    label: str
    text: str
    y: float
    width: float
    css: str


@dataclass(frozen=True)
class Tick:
    """A vertical grid line with its label."""

    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw one chart."""

    id: str
    title: str
    width: float
    height: float
    x0: float
    plot_width: float
    bar_height: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    marker: Tick | None


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float, str, str]],
    maximum: float,
    marker: tuple[float, str] | None = None,
    width: float = 860.0,
    ticks: int = 4,
    unit: str = "",
) -> Chart:
    """Lay out ``rows`` of (label, value, value text, css class) on a 0..``maximum`` axis."""
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    scale = plot / maximum if maximum > 0 else 0.0
    bars = tuple(
        Bar(label, text, TOP + i * ROW + (ROW - BAR) / 2, max(value * scale, 0.0), css)
        for i, (label, value, text, css) in enumerate(rows)
    )
    grid = tuple(
        Tick(LABEL_WIDTH + plot * k / ticks, unit + _tick_label(maximum * k / ticks))
        for k in range(ticks + 1)
    )
    line = Tick(LABEL_WIDTH + marker[0] * scale, marker[1]) if marker else None
    height = TOP + len(rows) * ROW + AXIS
    return Chart(chart_id, title, width, height, LABEL_WIDTH, plot, BAR, bars, grid, line)


def _tick_label(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == 0 else f"{value:,.2f}"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (a tidy axis maximum)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= value * (1 - 1e-12))
