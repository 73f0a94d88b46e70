"""Opportunity search for one product over one area: windows, their footprints and the
properties an analyst compares them by. Pure: times in, dicts out; the server adds paging,
filters and links."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .fleet import DEMO_FLEET, Flight
from .footprint import PlanarArea, TangentPlane, aoi_centre, strip
from .passes import Window, find_windows

#: The soonest a window can be tasked: commands must be uplinked before the pass.
LEAD_TIME_S = 600.0


@dataclass(frozen=True)
class Found:
    """One opportunity: a window in whole seconds, what it images, and how."""

    start: int  # Unix seconds, the first whole second inside the window
    end: int  # the last whole second inside it
    satellite: str
    rank: int  # the satellite's place in its constellation: orders windows that start together
    geometry: dict[str, Any]
    properties: dict[str, Any]

    @property
    def cursor(self) -> int:
        """A total order of a search's results, for keyset paging."""
        return self.start * 64 + self.rank

    @property
    def id(self) -> str:
        """Stable across searches: the satellite and the window's first second."""
        return f"{self.satellite}-{self.start}"

    @property
    def interval(self) -> str:
        return f"{_instant(self.start)}/{_instant(self.end)}"


def _instant(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def search(
    flight: Flight, geometry: dict[str, Any], start: float, end: float, *, now: float
) -> list[Found]:
    """Every window of ``flight`` over ``geometry`` in [start, end] that can still be tasked
    at ``now``, soonest first."""
    start = max(start, now + LEAD_TIME_S)
    if end <= start:
        return []
    lon, lat = aoi_centre(geometry)
    windows = find_windows(list(flight.satellites), flight.sensor, lon, lat, start, end)
    area = PlanarArea.of(geometry, TangentPlane(lon, lat))
    ranks = {sat.name: k for k, sat in enumerate(flight.satellites)}
    found = []
    for window in windows:
        first, last = math.ceil(window.start), math.floor(window.end)
        if last <= first:
            continue
        footprint, coverage = strip(
            area, window.along, flight.sensor.swath_km, flight.sensor.max_strip_km
        )
        found.append(
            Found(
                start=first,
                end=last,
                satellite=window.satellite.name,
                rank=ranks[window.satellite.name],
                geometry=footprint,
                properties=properties(flight, window, coverage),
            )
        )
    return found


def properties(flight: Flight, window: Window, coverage: float) -> dict[str, Any]:
    """STAC names where STAC has one (``view:``, ``sat:``, ``sar:``), so that the product's
    constraints and a filter on them apply to opportunities as they do to orders."""
    props: dict[str, Any] = {
        "platform": window.satellite.name,
        "constellation": flight.constellation,
        "best_datetime": datetime.fromtimestamp(round(window.best), UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        "view:off_nadir": round(window.off_nadir, 2),
        "view:incidence_angle": round(window.incidence, 2),
        "view:azimuth": round(window.azimuth, 2),
        "view:sun_elevation": round(window.sun_elevation, 2),
        "view:sun_azimuth": round(window.sun_azimuth, 2),
        "sat:orbit_state": "ascending" if window.ascending else "descending",
        "coverage": coverage,
    }
    if flight.kind == "sar":
        props["sar:incidence_angle"] = props["view:incidence_angle"]
        props["sar:observation_direction"] = window.look
    return props


__all__ = ["DEMO_FLEET", "LEAD_TIME_S", "Found", "search"]
