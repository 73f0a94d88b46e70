"""What the opportunity table shows: its columns and one plain record per window.

The columns are the window's start (in UTC and in a chosen time zone) and duration, the
numbers analysts compare first (off-nadir, sun elevation, incidence, satellite) when the
windows carry them under any of their usual names, then the other opportunity properties the
product declares (a STAPI product's ``opportunity_properties`` schema), titled as it titles
them. A record carries each value once, raw: a number travels as a number (the start as Unix
seconds) and the front end formats it as its column says (``[key, label, by, format]``, see
``order_browser/table.js``), so it sorts as a number, and the local start is derived from the
UTC one there (the table sends each row as its values in column order). ``cell_text`` is
the same formatting in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stat_widgets.models import Opportunity, Product
from stat_widgets.models.opportunity import INCIDENCE, OFF_NADIR, SATELLITE, SUN_ELEVATION

#: The well-known properties: (key, label, names, format).
KNOWN: tuple[tuple[str, str, tuple[str, ...], dict[str, Any]], ...] = (
    ("on", "Off-nadir", OFF_NADIR, {"n": 1, "u": "°"}),
    ("sun", "Sun elevation", SUN_ELEVATION, {"n": 1, "u": "°"}),
    ("inc", "Incidence", INCIDENCE, {"n": 1, "u": "°"}),
    ("sat", "Satellite", SATELLITE, {}),
)
#: At most this many declared properties get a column: the table stays compact.
MAX_EXTRA = 3
#: Numbers are sent with at most this many decimals.
DECIMALS = 3
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
) -> list[list[Any]]:
    """``[key, label, by, format]`` of each column: the start in UTC and (unless that is UTC
    too) in ``zone_name``, the duration, the well-known properties any window has, then up to
    ``MAX_EXTRA`` other properties the product declares."""
    declared = declared_properties(product)
    present = set(declared)
    for o in opportunities:
        present.update(o.properties)
    columns: list[list[Any]] = [["t", "Start (UTC)", "", {"utc": 1}]]
    if zone_name != "UTC":
        columns.append(["lt", f"Start ({zone_name})", "t", {"tz": zone_name, "of": "t"}])
    columns.append(["d", "Duration", "", {"s": 1}])
    known_names: set[str] = {"datetime", "product_id"}
    for key, label, names, fmt in KNOWN:
        known_names.update(names)
        # incidence repeats off-nadir (within the Earth's curvature): shown when the product
        # declares it or the windows have no off-nadir
        shadowed = key == "inc" and any(c[0] == "on" for c in columns)
        if present & set(names) and not (shadowed and not set(declared) & set(names)):
            columns.append([key, label, "", fmt])
    extra = sorted(name for name in declared if name not in known_names)[:MAX_EXTRA]
    for name in extra:
        columns.append([f"p:{name}", str(declared[name].get("title") or name), "", {}])
    return columns


def utc_text(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")


def local_text(moment: datetime, where: tzinfo) -> str:
    local = moment.astimezone(where)
    return local.strftime("%Y-%m-%d %H:%M:%S ") + (local.tzname() or "")


def duration_text(length: timedelta | float) -> str:
    seconds = round(length.total_seconds() if isinstance(length, timedelta) else length)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def _raw(value: Any) -> Any:
    """A JSON scalar as sent (floats rounded), anything else as text; None stays None."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return round(value, DECIMALS)
    return str(value)


def _lookups(columns: Iterable[Sequence[Any]]) -> list[tuple[str, tuple[str, ...]]]:
    """For each property column, the property names its value may come under."""
    names = {key: names for key, _label, names, _fmt in KNOWN}
    found = []
    for column in columns:
        key = column[0]
        if key in names:
            found.append((key, names[key]))
        elif key.startswith("p:"):
            found.append((key, (key[2:],)))
    return found


def opportunity_rows(
    opportunities: Iterable[Opportunity], columns: Iterable[Sequence[Any]]
) -> list[dict[str, Any]]:
    """The records the front end shows, one per window: each value once, raw."""
    lookups = _lookups(columns)
    rows = []
    for o in opportunities:
        start, end = o.datetime.start, o.datetime.end
        assert start is not None and end is not None  # an opportunity's window is closed
        seconds = (end - start).total_seconds()
        row: dict[str, Any] = {
            "t": round(start.timestamp()),
            "d": round(seconds) if seconds == round(seconds) else round(seconds, 1),
        }
        properties = o.properties
        for key, names in lookups:  # a plain loop: a generator per cell was a third of this
            value = None
            for name in names:
                if name in properties:
                    value = _raw(properties[name])
                    break
            row[key] = value
        rows.append(row)
    return rows


def opportunity_row(opportunity: Opportunity, columns: Iterable[Sequence[Any]]) -> dict[str, Any]:
    """The record the front end shows for one window."""
    return opportunity_rows([opportunity], columns)[0]


def cell_text(column: Sequence[Any], row: dict[str, Any]) -> str:
    """What the front end shows in ``column`` for ``row`` (``table.js``'s ``shownText``)."""
    fmt = column[3] if len(column) > 3 else {}
    value = row.get(column[0])
    if fmt.get("tz"):
        at = row.get(fmt["of"])
        if not isinstance(at, (int, float)):
            return ""
        return local_text(datetime.fromtimestamp(at, UTC), zone(fmt["tz"]))
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if fmt.get("s"):
        return duration_text(float(value))
    if fmt.get("utc"):
        return utc_text(datetime.fromtimestamp(value, UTC))
    text = f"{value:.{fmt['n']}f}" if "n" in fmt else str(value)
    return text + fmt.get("u", "")


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
    "ZONES",
    "cell_text",
    "columns_for",
    "declared_properties",
    "duration_text",
    "opportunity_row",
    "opportunity_rows",
    "window_text",
    "zone",
]
