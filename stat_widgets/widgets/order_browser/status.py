"""How an order status looks: one colour per stage of an order's life, a badge, a legend.

The badges use JupyterLab's ``--jp-*`` variables (with fallbacks for Voila and classic pages), so
they follow the light and dark themes. The map cannot use CSS variables (Leaflet writes SVG
attributes), so each stage also has a plain colour close to the theme's default.
"""

from __future__ import annotations

from dataclasses import dataclass

from stat_widgets.models import OrderStatus, parse_status
from stat_widgets.widgets import _html


@dataclass(frozen=True)
class Stage:
    """A group of statuses that a user reads the same way ("still waiting", "done", ...)."""

    name: str
    css: str  # a --jp-* colour with a fallback, for HTML
    colour: str  # a plain colour, for the map
    statuses: tuple[OrderStatus, ...]


STAGES: tuple[Stage, ...] = (
    Stage(
        "waiting",
        "var(--jp-info-color1, #0097a7)",
        "#0097a7",
        (OrderStatus.RECEIVED, OrderStatus.HELD, OrderStatus.RESERVED),
    ),
    Stage(
        "in progress",
        "var(--jp-brand-color1, #1976d2)",
        "#1976d2",
        (OrderStatus.ACCEPTED, OrderStatus.SCHEDULED, OrderStatus.TASKED, OrderStatus.PROCESSING),
    ),
    Stage("done", "var(--jp-success-color1, #388e3c)", "#388e3c", (OrderStatus.COMPLETED,)),
    Stage(
        "failed",
        "var(--jp-error-color1, #d32f2f)",
        "#d32f2f",
        (OrderStatus.REJECTED, OrderStatus.FAILED),
    ),
    Stage(
        "ended",
        "var(--jp-warn-color1, #f57c00)",
        "#f57c00",
        (OrderStatus.CANCELLED, OrderStatus.USER_CANCELLED, OrderStatus.EXPIRED),
    ),
)

UNKNOWN_COLOUR = "#757575"
_BY_STATUS = {status: stage for stage in STAGES for status in stage.statuses}
_BADGE = (
    "display: inline-block; padding: 0 6px; border-radius: 8px; line-height: 1.5;"
    " font-size: var(--jp-ui-font-size0, 11px);"
    " color: var(--jp-ui-inverse-font-color0, #fff);"
)


def _stage_class(stage: Stage) -> str:
    return "stat-stage-" + stage.name.replace(" ", "-")


#: The badges' look, sent once with the HTML that shows them (the order details) instead of
#: inline in each badge. The order table draws its own badges from ``STAGES``.
STATUS_CSS = (
    "<style>.stat-status-badge {"
    + _BADGE
    + "}"
    + "".join(f" .{_stage_class(stage)} {{background: {stage.css};}}" for stage in STAGES)
    + "</style>"
)


def stage_of(status: OrderStatus | str | None) -> Stage | None:
    """The stage of a known status; ``None`` for a code this package does not know."""
    if status is None:
        return None
    parsed = parse_status(status)
    return _BY_STATUS.get(parsed) if isinstance(parsed, OrderStatus) else None


def status_colour(status: OrderStatus | str | None) -> str:
    stage = stage_of(status)
    return stage.colour if stage else UNKNOWN_COLOUR


def status_badge(status: OrderStatus | str | None) -> str:
    """A coloured badge for a known status; an unknown one (whatever a server invents) as
    escaped plain text, because a colour would claim a meaning we do not know."""
    stage = stage_of(status)
    label = "" if status is None else str(status)
    if stage is None:
        return _html.text(label)
    badge_class = f"stat-status-badge {_stage_class(stage)}"
    return f'<span class="{badge_class}">{_html.escape(label)}</span>'


__all__ = [
    "STAGES",
    "STATUS_CSS",
    "Stage",
    "stage_of",
    "status_badge",
    "status_colour",
]
