"""Turn a stream of timestamps (objects' LastModified, model versions' CreationTime) into a cadence.

A ``Timeline`` keeps only sets of active hours and days relative to one instant ``now``, so
listing millions of objects takes constant memory. ``Activity`` then answers one question: is
there a *regular* rhythm, and which? A rhythm counts only when at least half of its periods in
the observed window saw something new, and only when the window is long enough to tell:

========  =============================  ===========================================
cadence   needs at least this history    and new items in at least half of
========  =============================  ===========================================
hourly    1 day                          the last 168 hours (7 days)
daily     7 days                         the last 30 days
weekly    28 days                        the last 13 weeks (90 days)
monthly   60 days                        two of the last three 30-day windows
========  =============================  ===========================================

The window starts at the first item seen (or ``since``) and is at most 90 days long, so a
prefix that has received data daily for ten days already reads as daily.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

Cadence = Literal["hourly", "daily", "weekly", "monthly"]

WINDOW_DAYS = 90
HOURS_KEPT = 168
CADENCES: tuple[Cadence, ...] = ("hourly", "daily", "weekly", "monthly")


@dataclass
class Timeline:
    """Accumulates timestamps (and sizes) as ages relative to ``now``, in constant memory."""

    now: datetime
    count: int = 0
    size: int = 0
    count_30d: int = 0
    size_30d: int = 0
    count_90d: int = 0
    size_90d: int = 0
    first: datetime | None = None
    last: datetime | None = None
    hours: set[int] = field(default_factory=set)
    days: set[int] = field(default_factory=set)

    def add(self, when: datetime, size: int = 0) -> None:
        """Record one item created at ``when`` (timezone-aware) with ``size`` bytes."""
        self.count += 1
        self.size += size
        self.first = when if self.first is None or when < self.first else self.first
        self.last = when if self.last is None or when > self.last else self.last
        age = max(self.now - when, timedelta(0))
        hours = int(age.total_seconds() // 3600)
        if hours < HOURS_KEPT:
            self.hours.add(hours)
        if age.days < WINDOW_DAYS:
            self.days.add(age.days)
            self.count_90d += 1
            self.size_90d += size
            if age.days < 30:
                self.count_30d += 1
                self.size_30d += size

    def activity(self, since: datetime | None = None) -> Activity:
        """Summarise the window that starts at ``since`` (default: the first item seen)."""
        start = since if since is not None else self.first
        limit = timedelta(days=WINDOW_DAYS)
        span = min(self.now - start, limit) if start is not None else timedelta(0)
        hours = max(span.total_seconds() / 3600, 0.0)
        return Activity(
            window_hours=round(hours, 2),
            active_hours_7d=_active(self.hours, min(HOURS_KEPT, math.ceil(hours))),
            active_days_30d=_active(self.days, min(30, math.ceil(hours / 24))),
            active_weeks_90d=_active({d // 7 for d in self.days}, min(13, math.ceil(hours / 168))),
            active_months_90d=_active({d // 30 for d in self.days}, min(3, math.ceil(hours / 720))),
            items_90d=self.count_90d,
        )


def _active(periods: set[int], window: int) -> int:
    return sum(1 for p in periods if p < window)


@dataclass(frozen=True)
class Activity:
    """How many recent periods saw new items, and the window they were observed over."""

    window_hours: float
    active_hours_7d: int
    active_days_30d: int
    active_weeks_90d: int
    active_months_90d: int
    items_90d: int

    @property
    def window_days(self) -> float:
        """The observed window in days (at most 90)."""
        return self.window_hours / 24

    def _checks(self) -> tuple[tuple[Cadence, float, int, int, str], ...]:
        """Per cadence: history needed (hours), active periods, periods observed, unit."""
        hours, days = self.window_hours, self.window_days
        return (
            ("hourly", 24, self.active_hours_7d, min(HOURS_KEPT, math.ceil(hours)), "hours"),
            ("daily", 7 * 24, self.active_days_30d, min(30, math.ceil(days)), "days"),
            ("weekly", 28 * 24, self.active_weeks_90d, min(13, math.ceil(days / 7)), "weeks"),
            ("monthly", 60 * 24, self.active_months_90d, min(3, math.ceil(days / 30)),
             "30-day windows"),
        )  # fmt: skip

    def cadence(self) -> Cadence | None:
        """Return the most frequent regular rhythm the window shows, or None."""
        for name, needed_hours, active, periods, _ in self._checks():
            required = 2 if name == "monthly" else math.ceil(periods / 2)
            if self.window_hours >= needed_hours and active >= required:
                return name
        return None

    def phrase(self, cadence: Cadence) -> str:
        """Say what supports a cadence, e.g. ``20 of the last 30 days``."""
        for name, _, active, periods, unit in self._checks():
            if name == cadence:
                return f"{active} of the last {periods} {unit}"
        raise ValueError(cadence)
