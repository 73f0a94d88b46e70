"""What the opportunity table shows: its columns and one plain record per window.

The columns come from what the product declares about its opportunities (a STAPI product's
``opportunity_properties`` schema, when it sends one) and from what the windows found carry:
the numbers analysts compare first (off-nadir, sun elevation, incidence, satellite) under
their usual names, then any other scalar property, titled as the product's schema titles it.
Every cell is text (the front end sets it with ``textContent``); a number also travels as the
row's ``~<key>`` so that the column sorts as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stat_widgets.models import Opportunity, Product
from stat_widgets.models.opportunity import INCIDENCE, OFF_NADIR, SATELLITE, SUN_ELEVATION
from stat_widgets.widgets.order_browser.table import SORT_PREFIX

#: The columns every window has, then the well-known properties: (key, label, names, unit).
TIME_COLUMNS = (("start", "Start (UTC)"), ("duration", "Duration"))
KNOWN: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("off_nadir", "Off-nadir", OFF_NADIR, "°"),
    ("sun_elevation", "Sun elevation", SUN_ELEVATION, "°"),
    ("incidence", "Incidence", INCIDENCE, "°"),
    ("satellite", "Satellite", SATELLITE, ""),
)
#: At most this many other properties get a column: the table stays compact.
MAX_EXTRA = 3
#: Time zones offered besides UTC (any IANA name works from Python).
ZONES = ("UTC", "Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo")


def zone(name: str) -> tzinfo:
    """The IANA time zone ``name``; ``ValueError`` naming it when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def declared_properties(product: Product | None) -> dict[str, dict[str, Any]]:
    """The opportunity properties the product declares: name → JSON Schema (``{}`` when the
    product declares none, or in a shape we cannot read)."""
    extra = (product.model_extra or {}) if product is not None else {}
    schema = extra.get("opportunity_properties")
    found = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(found, dict):
        return {}
    return {str(k): v if isinstance(v, dict) else {} for k, v in found.items()}


def columns_for(
    opportunities: Sequence[Opportunity], product: Product | None = None, zone_name: str = "UTC"
) -> list[list[str]]:
    """``[key, label]`` of each column: the start in UTC and (unless that is UTC too) in
    ``zone_name``, the duration, the well-known properties any window (or the product's
    declaration) has, then up to ``MAX_EXTRA`` other scalar properties."""
    declared = declared_properties(product)
    present = set(declared)
    for o in opportunities:
        present.update(k for k, v in o.properties.items() if _scalar(v))
    columns = [list(c) for c in TIME_COLUMNS]
    if zone_name != "UTC":
        columns.insert(1, ["local", f"Start ({zone_name})", "start"])  # sorts as the instant
    known_names: set[str] = {"datetime", "product_id"}
    for key, label, names, _unit in KNOWN:
        known_names.update(names)
        if present & set(names):
            columns.append([key, label])
    extra = sorted(name for name in present - known_names)[:MAX_EXTRA]
    for name in extra:
        columns.append([f"p:{name}", str(declared.get(name, {}).get("title") or name)])
    return columns


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and value is not None


def utc_text(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")


def local_text(moment: datetime, where: tzinfo) -> str:
    local = moment.astimezone(where)
    return local.strftime("%Y-%m-%d %H:%M:%S ") + (local.tzname() or "")


def duration_text(length: timedelta) -> str:
    seconds = round(length.total_seconds())
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def _number_text(value: float, unit: str) -> str:
    return f"{value:.1f}{unit}"


def _cell(row: dict[str, Any], key: str, value: Any, unit: str = "") -> None:
    if value is None:
        row[key] = ""
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        row[key] = _number_text(float(value), unit)
        row[SORT_PREFIX + key] = float(value)
    else:
        row[key] = str(value)


def opportunity_row(
    opportunity: Opportunity, columns: Iterable[Sequence[str]], where: tzinfo
) -> dict[str, Any]:
    """The record the front end shows for one window: text, plus sort values."""
    row: dict[str, Any] = {
        "start": utc_text(opportunity.start),
        "duration": duration_text(opportunity.duration),
        SORT_PREFIX + "duration": opportunity.duration.total_seconds(),
    }
    units = {key: (names, unit) for key, _label, names, unit in KNOWN}
    for key, *_ in columns:
        if key == "local":
            row["local"] = local_text(opportunity.start, where)
        elif key in units:
            names, unit = units[key]
            _cell(row, key, opportunity.value(*names), unit)
        elif key.startswith("p:"):
            _cell(row, key, opportunity.properties.get(key[2:]))
    return row


def window_text(opportunity: Opportunity, where: tzinfo | None = None) -> str:
    """One window in words: "2031-06-03 10:31:05 UTC, 12 s (sat-2, off-nadir 8.4°)"."""
    text = f"{utc_text(opportunity.start)} UTC, {duration_text(opportunity.duration)}"
    if (
        where is not None
        and utc_text(opportunity.start) != local_text(opportunity.start, where)[:19]
    ):
        text += f" ({local_text(opportunity.start, where)})"
    details = []
    if opportunity.satellite is not None:
        details.append(str(opportunity.satellite))
    if isinstance(opportunity.off_nadir, (int, float)):
        details.append(f"off-nadir {opportunity.off_nadir:.1f}°")
    if isinstance(opportunity.sun_elevation, (int, float)):
        details.append(f"sun {opportunity.sun_elevation:.0f}°")
    return text + (f" · {', '.join(details)}" if details else "")


__all__ = [
    "KNOWN",
    "TIME_COLUMNS",
    "ZONES",
    "columns_for",
    "declared_properties",
    "duration_text",
    "opportunity_row",
    "window_text",
    "zone",
]
