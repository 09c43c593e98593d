"""From a listing to an ``S3Summary``: exact when it finished, extrapolated when it stopped early.

The estimate is deliberately simple so that it can be stated in one line. The listing's units
(sub-prefixes) were taken in a random order, so the units listed in full are a fair sample of
the units discovered. Each unfinished unit without sub-prefixes of its own is counted as the
mean of the finished units at its depth (never less than what was already listed in it); every
count and byte total is scaled by the same ratio. What was never discovered (sub-prefixes of a
unit still being walked) is not extrapolated, so on irregular layouts the estimate leans low.

Cadence is *not* extrapolated: the activity of the sample only ever under-reads the rhythm, and
the answer says so through its *estimated* mark.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from advisor.evidence.listing import Listing, Unit
from advisor.evidence.model import Estimate, ListingStats, S3Summary

LOWER_BOUND = "a lower bound: no sub-prefix was listed in full, so nothing to extrapolate from"


def summarize(listing: Listing) -> S3Summary:
    """The summary of a listing, with an ``Estimate`` when it stopped before the end."""
    stats = ListingStats(listing.requests, listing.seconds, listing.workers, len(listing.units))
    exact = S3Summary.from_timeline(listing.uri, listing.timeline, listing=stats)
    if listing.stopped is None:
        return exact
    extra_objects, extra_bytes, method = _extrapolate(listing.units)
    listed, size = exact.objects, exact.bytes
    fraction = listed / (listed + extra_objects) if listed and method != LOWER_BOUND else None
    estimate = Estimate(
        listing.stopped, method, fraction, listed, size, listing.seconds, listing.budget
    )
    per_object = (listed + extra_objects) / listed if listed else 1.0
    per_byte = (size + extra_bytes) / size if size else 1.0
    return replace(
        exact,
        objects=round(listed * per_object),
        bytes=round(size * per_byte),
        new_objects_30d=round(exact.new_objects_30d * per_object),
        new_bytes_30d=round(exact.new_bytes_30d * per_byte),
        new_objects_90d=round(exact.new_objects_90d * per_object),
        new_bytes_90d=round(exact.new_bytes_90d * per_byte),
        estimate=estimate,
    )


def _extrapolate(units: list[Unit]) -> tuple[float, float, str]:
    """Objects and bytes the unfinished units probably hold, and the method in words."""
    leaves = [u for u in units if u.state == "done" and u.children == 0]
    open_leaves = [u for u in units if u.state != "done" and u.children == 0]
    if not leaves:
        return 0.0, 0.0, LOWER_BOUND
    means = _means(leaves)
    overall = _mean(leaves)
    extra_objects = extra_bytes = 0.0
    for unit in open_leaves:
        objects, size = means.get(unit.depth, overall)
        extra_objects += max(0.0, objects - unit.objects)
        extra_bytes += max(0.0, size - unit.bytes)
    method = (
        f"extrapolated from {len(leaves):,} of {len(leaves) + len(open_leaves):,} sub-prefixes "
        "listed in full (each unfinished one counted as their mean)"
    )
    return extra_objects, extra_bytes, method


def _mean(units: list[Unit]) -> tuple[float, float]:
    return sum(u.objects for u in units) / len(units), sum(u.bytes for u in units) / len(units)


def _means(units: list[Unit]) -> dict[int, tuple[float, float]]:
    by_depth: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        by_depth[unit.depth].append(unit)
    return {depth: _mean(group) for depth, group in by_depth.items()}
