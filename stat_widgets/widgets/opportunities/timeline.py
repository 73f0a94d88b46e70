"""``OpportunityTimeline``: every window found, across the requested interval, as one strip.

Plain SVG in an ``HTML`` widget (no front-end code): the interval is the strip's width, each
window a mark at its time (at least a hair wide, so a 12-second pass is seen on a 30-day
strip), day or week ticks below, the selected window drawn taller in the theme's brand colour.
Gaps and clusters show at a glance. The windows are one SVG path (about 20 bytes each, so 200
windows cost less than their footprints); the chosen one is a rect of its own with its window
as a ``<title>``, whose text goes through ``_html.escape``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.models import Opportunity, TimeInterval
from stat_widgets.widgets import _html
from stat_widgets.widgets.opportunities.rows import window_text

WIDTH, HEIGHT, STRIP = 1000, 44, 24
#: The narrowest mark, in strip units (a thousandth of the interval).
MIN_MARK = 1.5
_EMPTY = "<div class='stat-opp-timeline'></div>"


def _ticks(start: datetime, end: datetime) -> tuple[list[datetime], str]:
    """Midnights (UTC) across the interval: every day up to a month, else every week."""
    days = (end - start).total_seconds() / 86400
    step = timedelta(days=1 if days <= 31 else 7)
    first = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(days=1)
    ticks = []
    at = first
    while at <= end and len(ticks) < 200:
        ticks.append(at)
        at += step
    return ticks, "%m-%d"


def timeline_svg(
    interval: TimeInterval | None, opportunities: Sequence[Opportunity], selected: int = -1
) -> str:
    """The strip as HTML (an inline SVG); empty while there is no closed interval."""
    if interval is None or interval.start is None or interval.end is None:
        return _EMPTY
    start, end = interval.start, interval.end
    span = max((end - start).total_seconds(), 1.0)

    def x(moment: datetime) -> float:
        return min(WIDTH, max(0.0, (moment - start).total_seconds() / span * WIDTH))

    parts = [
        f"<svg viewBox='0 0 {WIDTH} {HEIGHT}' preserveAspectRatio='none' width='100%' "
        f"height='{HEIGHT}' role='img' aria-label='{_html.escape(_label(opportunities))}'>",
        f"<rect class='bg' x='0' y='0' width='{WIDTH}' height='{STRIP}'/>",
    ]
    ticks, fmt = _ticks(start, end)
    label_every = max(1, len(ticks) // 10)
    for k, tick in enumerate(ticks):
        at = x(tick)
        parts.append(f"<line x1='{at:.1f}' x2='{at:.1f}' y1='{STRIP}' y2='{STRIP + 4}'/>")
        if k % label_every == 0 and at < WIDTH - 30:
            parts.append(f"<text x='{at + 2:.1f}' y='{HEIGHT - 4}'>{tick.strftime(fmt)}</text>")
    # every window in one path (about 20 bytes each), the chosen one on top with its title
    marks = "".join(
        _mark(x(o.start), x(o.end)) for i, o in enumerate(opportunities) if i != selected
    )
    if marks:
        parts.append(f"<path class='w' d='{marks}'/>")
    if 0 <= selected < len(opportunities):
        o = opportunities[selected]
        x0 = x(o.start)
        width = max(x(o.end) - x0, MIN_MARK) + 2
        parts.append(
            f"<rect class='sel' x='{x0 - 1:.1f}' y='0' width='{width:.1f}' height='{STRIP}'>"
            f"<title>{_html.escape(window_text(o))}</title></rect>"
        )
    parts.append("</svg>")
    return f"<div class='stat-opp-timeline'>{_STYLE}{''.join(parts)}</div>"


def _mark(x0: float, x1: float) -> str:
    width = max(x1 - x0, MIN_MARK)
    return f"M{x0:.1f} 3h{width:.1f}v{STRIP - 6}h-{width:.1f}z"


def _label(opportunities: Sequence[Opportunity]) -> str:
    return f"{len(opportunities)} windows across the requested interval"


_STYLE = (
    "<style>.stat-opp-timeline svg{display:block;font:10px var(--jp-ui-font-family,sans-serif)}"
    ".stat-opp-timeline .bg{fill:var(--jp-layout-color2,#eee)}"
    ".stat-opp-timeline .w{fill:var(--jp-ui-font-color2,#616161)}"
    ".stat-opp-timeline .sel{fill:var(--jp-brand-color1,#1976d2)}"
    ".stat-opp-timeline line{stroke:var(--jp-ui-font-color2,#616161)}"
    ".stat-opp-timeline text{fill:var(--jp-ui-font-color2,#616161)}</style>"
)


class OpportunityTimeline(widgets.HTML):
    """The strip for ``interval`` and ``opportunities``; ``selected`` (an index) is drawn
    highlighted. Set all three with :meth:`show`, or ``selected`` alone."""

    selected = traitlets.Int(-1, help="index of the highlighted window; -1 for none")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_EMPTY, **kwargs)
        self.add_class("stat-opp-timeline-widget")
        self.interval: TimeInterval | None = None
        self.opportunities: list[Opportunity] = []

    def show(
        self,
        interval: TimeInterval | None,
        opportunities: Sequence[Opportunity],
        selected: int = -1,
    ) -> None:
        self.interval, self.opportunities = interval, list(opportunities)
        if self.selected != selected:
            self.selected = selected  # draws
        else:
            self.value = timeline_svg(self.interval, self.opportunities, self.selected)

    @traitlets.observe("selected")
    def _on_selected(self, _change: object) -> None:
        self.value = timeline_svg(self.interval, self.opportunities, self.selected)


__all__ = ["OpportunityTimeline", "timeline_svg"]
