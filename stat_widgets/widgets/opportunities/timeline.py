"""The timeline strip: every window found, across the requested interval, drawn by the
table's own front end (``order_browser/table.js``, its ``timeline`` trait) from the rows it
already has, so gaps and clusters show at a glance at no cost in bytes or widget models.

The strip is ``WIDTH`` units wide; each window is a mark at its time (at least ``MIN_MARK``
wide, so a 12-second pass is seen on a 30-day strip), day or week ticks below, the selected
window drawn taller in the theme's brand colour with its cells as a tooltip (set with
``textContent``). A click picks the nearest mark within ``PICK`` units. The functions here
are the same geometry in Python, so tests (and ``OpportunityTable.click_timeline``) do what
the browser does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stat_widgets.models import TimeInterval

WIDTH = 1000
#: The narrowest mark, in strip units (a thousandth of the interval and a half).
MIN_MARK = 1.5
#: How far from a mark a click still picks it, in strip units (a hundredth of the strip).
PICK = 10.0


def timeline_spec(interval: TimeInterval | None, at: str = "t", length: str = "d") -> dict:
    """The table's ``timeline`` value for ``interval`` ({} while it is not closed): the rows'
    column ``at`` holds each window's start, ``length`` its duration (seconds)."""
    if interval is None or interval.start is None or interval.end is None:
        return {}
    start, end = interval.start.timestamp(), interval.end.timestamp()
    return {"start": round(start), "end": round(end), "at": at, "length": length}


def marks(
    spec: dict[str, Any], records: Sequence[dict[str, Any]]
) -> list[tuple[int, float, float]]:
    """``(index, x, width)`` of each record's mark, as ``table.js``'s ``marks`` draws it."""
    if not spec:
        return []
    span = max(spec["end"] - spec["start"], 1)

    def x(seconds: float) -> float:
        return min(WIDTH, max(0.0, (seconds - spec["start"]) / span * WIDTH))

    found = []
    for index, record in enumerate(records):
        start, length = record.get(spec["at"]), record.get(spec["length"])
        if not isinstance(start, int | float):
            continue
        x0 = x(start)
        x1 = x(start + (length if isinstance(length, int | float) else 0))
        found.append((index, x0, max(x1 - x0, MIN_MARK)))
    return found


def window_at(spec: dict[str, Any], records: Sequence[dict[str, Any]], x: float) -> int:
    """The record a click at ``x`` (strip units) picks: the nearest mark within ``PICK``, the
    first of equals; -1 when none is that close."""
    best, gap = -1, PICK + 1e-9
    for index, x0, width in marks(spec, records):
        distance = max(x0 - x, 0.0, x - x0 - width)
        if distance < gap:
            best, gap = index, distance
    return best


__all__ = ["MIN_MARK", "PICK", "WIDTH", "marks", "timeline_spec", "window_at"]
