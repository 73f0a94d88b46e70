"""Windows and footprints: checked against skyfield's own pass finder, against brute-force
SGP4 sampling (the coarse screening must never lose a window), and against the sensors'
rules (daylight for optical, incidence for radar)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from shapely.geometry import shape
from skyfield.api import EarthSatellite, load, wgs84

from stat_widgets.models import geodesic_area_km2, to_geometry
from stat_widgets.server.opportunities import geometry as geo
from stat_widgets.server.opportunities.fleet import DEMO_FLEET
from stat_widgets.server.opportunities.orbits import geodetic_to_ecef, propagate_one
from stat_widgets.server.opportunities.passes import Sensor, find_windows
from stat_widgets.server.opportunities.search import LEAD_TIME_S, search

START = datetime(2025, 6, 1, tzinfo=UTC).timestamp()
LON, LAT = 10.05, 50.05
AOI = {
    "type": "Polygon",
    "coordinates": [[[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]],
}
GEOMETRY_ONLY = Sensor(max_off_nadir_deg=45.0, swath_km=14.0, max_strip_km=120.0)


def test_windows_match_skyfields_rise_and_set_events() -> None:
    """skyfield finds passes its own way (TEME to ITRS with nutation, WGS 84 observer, its own
    root finder); an off-nadir limit η is an elevation limit ε with cos ε = (R+h)/R sin η."""
    sat = DEMO_FLEET["optical-vhr"].satellites[0]
    ts = load.timescale(builtin=True)
    observer = wgs84.latlon(LAT, LON)
    radius = float(np.linalg.norm(geodetic_to_ecef(LON, LAT)))
    eta = math.radians(GEOMETRY_ONLY.max_off_nadir_deg)
    elevation = math.degrees(math.acos((radius + sat.altitude_km) / radius * math.sin(eta)))
    begin = datetime.fromtimestamp(START, UTC)
    end = datetime.fromtimestamp(START + 4 * 86400, UTC)
    times, events = EarthSatellite.from_satrec(sat.satrec, ts).find_events(
        observer, ts.from_datetime(begin), ts.from_datetime(end), altitude_degrees=elevation
    )
    theirs = [t.utc_datetime().timestamp() for t in times]
    rises = [t for t, e in zip(theirs, events, strict=True) if e == 0]
    peaks = [t for t, e in zip(theirs, events, strict=True) if e == 1]
    sets = [t for t, e in zip(theirs, events, strict=True) if e == 2]
    ours = find_windows([sat], GEOMETRY_ONLY, LON, LAT, START, START + 4 * 86400)
    assert len(ours) == len(rises) == len(sets) >= 6
    for window, rise, peak, set_ in zip(ours, rises, peaks, sets, strict=True):
        # the altitude varies by ±10 km around the orbit, so the equivalent elevation does too
        assert window.start == pytest.approx(rise, abs=3.0)
        assert window.end == pytest.approx(set_, abs=3.0)
        assert window.best == pytest.approx(peak, abs=1.0)


@pytest.mark.parametrize("lat", [0.0, 50.05, -33.9, 78.2])
def test_screening_loses_no_window_that_brute_force_sgp4_finds(lat: float) -> None:
    sat = DEMO_FLEET["optical-vhr"].satellites[1]
    t = np.arange(START, START + 3 * 86400, 1.0)
    positions, _ = propagate_one(sat, t)
    target = geodetic_to_ecef(LON, lat)
    up = target / np.linalg.norm(target)
    # within 45° of nadir and above the horizon (not through the Earth)
    inside = (geo.off_nadir_deg(positions, target) <= 45.0) & (
        geo.elevation_deg(positions, target, up) > 0
    )
    starts = t[1:][inside[1:] & ~inside[:-1]]
    ours = find_windows([sat], GEOMETRY_ONLY, LON, lat, START, START + 3 * 86400)
    assert len(ours) == len(starts) > 0
    for window, first in zip(ours, starts, strict=True):
        # the crossing lies between two samples (interpolated to within a few milliseconds)
        assert first - 1.05 <= window.start <= first


def test_optical_windows_are_daylight_descending_passes() -> None:
    found = search(DEMO_FLEET["optical-vhr"], AOI, START, START + 30 * 86400, now=START)
    assert len(found) > 30  # three satellites, agile to 45°: about two a day
    for item in found:
        props = item.properties
        assert props["view:sun_elevation"] >= 10.0
        assert props["sat:orbit_state"] == "descending"  # 10:30 descending: the day side
        assert 0 <= props["view:off_nadir"] <= 45.0
        assert props["view:incidence_angle"] > props["view:off_nadir"]  # Earth's curvature
        hours = (item.start % 86400) / 3600 + LON / 15
        assert 9.5 < hours < 12.0  # local mean solar time at 50° N
        assert 0 < item.end - item.start < 300


def test_radar_windows_keep_to_the_incidence_range_by_day_and_night() -> None:
    found = search(DEMO_FLEET["sar-x-band"], AOI, START, START + 30 * 86400, now=START)
    assert found
    incidences = [item.properties["sar:incidence_angle"] for item in found]
    assert min(incidences) >= 15.0 and max(incidences) <= 60.0 + 0.5
    assert {item.properties["sat:orbit_state"] for item in found} == {"ascending", "descending"}
    assert {item.properties["sar:observation_direction"] for item in found} == {"left", "right"}


def test_search_is_deterministic_and_respects_the_lead_time() -> None:
    flight = DEMO_FLEET["optical-stereo-video"]
    now = START + 3600
    first = search(flight, AOI, START, START + 10 * 86400, now=now)
    again = search(flight, AOI, START, START + 10 * 86400, now=now)
    assert first == again
    assert all(item.start >= now + LEAD_TIME_S for item in first)
    later = search(flight, AOI, START, START + 10 * 86400, now=now + 2 * 86400)
    assert later == [item for item in first if item.start >= now + 2 * 86400 + LEAD_TIME_S]


def test_each_satellite_revisits_at_its_repeat_cycle() -> None:
    flight = DEMO_FLEET["multispectral-wide"]
    sat = flight.satellites[0]
    found = [
        item
        for item in search(flight, AOI, START, START + 3 * sat.days * 86400, now=START)
        if item.satellite == sat.name
    ]
    by_start = {item.start: item for item in found}
    cycle = sat.days * 86400
    repeats = [s for s in by_start if any(abs(s + cycle - other) < 60 for other in by_start)]
    assert len(repeats) >= len(found) // 3  # each pass of cycle 1 comes back in cycle 2
    for start in repeats:
        again = next(by_start[o] for o in by_start if abs(start + cycle - o) < 60)
        # the same track: the same viewing geometry
        angle = by_start[start].properties["view:off_nadir"]
        assert again.properties["view:off_nadir"] == pytest.approx(angle, abs=0.3)


@pytest.mark.parametrize("product_id", list(DEMO_FLEET))
def test_footprints_are_valid_strips_covering_the_area(product_id: str) -> None:
    flight = DEMO_FLEET[product_id]
    found = search(flight, AOI, START, START + 5 * 86400, now=START)
    assert found
    width = flight.sensor.swath_km
    for item in found:
        assert to_geometry(item.geometry) == item.geometry  # already in wire form
        if width > 16:  # wider than the 7 x 11 km area's diagonal
            assert shape(item.geometry).covers(shape(AOI))
            assert item.properties["coverage"] == 1.0
        else:  # the 8 km video swath covers all of it only on a north-south track
            assert 0.5 < item.properties["coverage"] <= 1.0
        area = geodesic_area_km2(item.geometry)
        # the strip spans the area along track (whatever its heading) plus a swath
        assert width * width <= area <= width * (width + 16)


def test_a_long_area_is_cut_to_the_longest_strip_and_partly_covered() -> None:
    long_aoi = {
        "type": "Polygon",
        "coordinates": [[[9.0, 47.0], [9.2, 47.0], [9.2, 51.0], [9.0, 51.0], [9.0, 47.0]]],
    }
    flight = DEMO_FLEET["optical-vhr"]  # 14 km swath, 120 km at most
    found = search(flight, long_aoi, START, START + 3 * 86400, now=START)
    assert found
    for item in found:
        assert geodesic_area_km2(item.geometry) == pytest.approx(14 * 120, rel=0.01)
        # 14 x 120 km of a 15 x 445 km area, at the track's slant: at most a quarter
        assert 0.05 < item.properties["coverage"] < 0.26


def test_a_point_gets_a_square_scene_and_the_antimeridian_is_respected() -> None:
    point = {"type": "Point", "coordinates": [179.99, -16.5]}  # Fiji
    found = search(DEMO_FLEET["optical-vhr"], point, START, START + 3 * 86400, now=START)
    assert found
    for item in found:
        assert to_geometry(item.geometry)["type"] == "Polygon"
        west, _, east, _ = shape(item.geometry).bounds
        assert -180 <= west < east <= 180 and east - west < 1
        assert item.properties["coverage"] == 1.0
