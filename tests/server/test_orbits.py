"""The demo constellation's orbits against facts that do not come from our code: Kepler's
third law, the sun-synchronous precession rate, the repeat cycle, the local time of the node,
published sun-synchronous inclinations, and hand-computed angles and sun positions."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from stat_widgets.server.opportunities import geometry as geo
from stat_widgets.server.opportunities.fleet import DEMO_FLEET
from stat_widgets.server.opportunities.orbits import (
    EARTH_RADIUS_KM,
    Satellite,
    geodetic_to_ecef,
    kepler_period_s,
    propagate_one,
    sso_inclination_deg,
    subpoint,
    unix_to_jd,
)
from stat_widgets.server.opportunities.sun import equation_of_time_minutes, sun_elevation_azimuth

SATELLITES = [sat for flight in DEMO_FLEET.values() for sat in flight.satellites]
START = datetime(2025, 6, 1, tzinfo=UTC).timestamp()


def ascending_nodes(sat: Satellite, start: float, hours: float) -> list[tuple[float, np.ndarray]]:
    """Times and TEME positions where the satellite crosses the equator northwards, found by
    bisection on SGP4 itself (not on anything the search uses)."""
    t = np.arange(start, start + hours * 3600, 20.0)
    whole, frac = unix_to_jd(t)
    _, r, _ = sat.satrec.sgp4_array(whole, frac)
    crossings = np.flatnonzero((r[:-1, 2] < 0) & (r[1:, 2] >= 0))
    out = []
    for i in crossings:
        lo, hi = t[i], t[i + 1]
        for _ in range(40):
            mid = (lo + hi) / 2
            w, f = unix_to_jd(np.array([mid]))
            z = sat.satrec.sgp4_array(w, f)[1][0, 2]
            lo, hi = (mid, hi) if z < 0 else (lo, mid)
        w, f = unix_to_jd(np.array([lo]))
        out.append((lo, sat.satrec.sgp4_array(w, f)[1][0]))
    return out


def descending_nodes(sat: Satellite, start: float, hours: float) -> list[float]:
    t = np.arange(start, start + hours * 3600, 10.0)
    positions, _ = propagate_one(sat, t)
    i = np.flatnonzero((positions[:-1, 2] > 0) & (positions[1:, 2] <= 0))
    share = positions[i, 2] / (positions[i, 2] - positions[i + 1, 2])
    return list(t[i] + share * 10.0)


@pytest.mark.parametrize("sat", SATELLITES, ids=lambda s: s.name)
def test_altitudes_are_in_the_low_earth_orbit_band_of_imaging_satellites(sat: Satellite) -> None:
    assert 500 <= sat.altitude_km <= 700


@pytest.mark.parametrize(
    ("altitude", "published"),
    # circular sun-synchronous orbits as tabulated in Wertz & Larson, Space Mission Analysis
    # and Design (and TerraSAR-X: 514 km, 97.44°)
    [(500.0, 97.40), (600.0, 97.79), (700.0, 98.19), (800.0, 98.60), (514.0, 97.44)],
)
def test_sun_synchronous_inclination_matches_published_values(
    altitude: float, published: float
) -> None:
    assert sso_inclination_deg(EARTH_RADIUS_KM + altitude) == pytest.approx(published, abs=0.03)


@pytest.mark.parametrize("sat", SATELLITES, ids=lambda s: s.name)
def test_nodal_period_follows_keplers_third_law(sat: Satellite) -> None:
    nodes = ascending_nodes(sat, START, 12)
    measured = np.diff([t for t, _ in nodes]).mean()
    # J2 makes the nodal period differ from the Keplerian one by about 0.1 %.
    assert measured == pytest.approx(kepler_period_s(sat.semi_major_axis_km), rel=3e-3)
    assert measured == pytest.approx(sat.days * 86400.0 / sat.revolutions, rel=1e-5)


@pytest.mark.parametrize("sat", SATELLITES[:1] + SATELLITES[-1:], ids=lambda s: s.name)
def test_orbit_plane_precesses_with_the_mean_sun(sat: Satellite) -> None:
    def raan(position: np.ndarray) -> float:
        return math.degrees(math.atan2(position[1], position[0]))

    days = 30
    _, first = ascending_nodes(sat, START, 2)[0]
    _, later = ascending_nodes(sat, START + days * 86400, 2)[0]
    rate = ((raan(later) - raan(first)) % 360.0) / days
    assert rate == pytest.approx(0.9856, abs=0.004)  # 360° per tropical year, eastwards


@pytest.mark.parametrize("sat", SATELLITES, ids=lambda s: s.name)
@pytest.mark.parametrize("day", [0, 200])
def test_descending_node_is_crossed_at_the_designed_local_mean_solar_time(
    sat: Satellite, day: int
) -> None:
    for when in descending_nodes(sat, START + day * 86400, 6):
        positions, _ = propagate_one(sat, np.array([when]))
        lon, _ = subpoint(positions)
        hours = ((when % 86400) / 3600 + float(lon[0]) / 15) % 24  # UT + longitude
        assert hours == pytest.approx(sat.ltdn_hours, abs=3 / 60)


def closest_pass(sat: Satellite, point: np.ndarray, around: float) -> tuple[float, float]:
    """Ground distance (km) and time offset (s) of the satellite's closest pass over
    ``point`` (a unit vector) within three minutes of ``around``."""
    t = around + np.arange(-180.0, 180.0, 0.05)
    positions, _ = propagate_one(sat, t)
    units = positions / np.linalg.norm(positions, axis=1)[:, None]
    angle = np.arccos(np.clip(units @ point, -1.0, 1.0))
    k = int(np.argmin(angle))
    return float(angle[k]) * 6371.0, float(t[k] - around)


@pytest.mark.parametrize("sat", SATELLITES, ids=lambda s: s.name)
def test_ground_track_repeats_after_its_cycle_and_not_before(sat: Satellite) -> None:
    first, _ = propagate_one(sat, np.array([START]))
    point = first[0] / np.linalg.norm(first[0])
    for cycles in (1, 3):
        distance, offset = closest_pass(sat, point, START + cycles * sat.days * 86400.0)
        assert distance < 2.0  # km: over the same ground, at the same time of day
        # the pass comes seconds early (under a second a day: SGP4's periodic terms beyond the
        # secular rates the repeat is designed on), along the same track
        assert abs(offset) < 1.0 * cycles * sat.days
    for days in (sat.days / 2, 1.0):
        assert closest_pass(sat, point, START + days * 86400.0)[0] > 100.0


def test_same_plane_satellites_are_evenly_spaced() -> None:
    lumen = DEMO_FLEET["optical-vhr"].satellites
    nodes = [ascending_nodes(sat, START, 2)[0][0] for sat in lumen]
    period = lumen[0].days * 86400 / lumen[0].revolutions
    spacing = sorted((t - nodes[0]) % period for t in nodes)
    assert spacing == pytest.approx([0, period / 3, 2 * period / 3], abs=2.0)


def test_off_nadir_computed_by_hand() -> None:
    # A satellite 600 km above (0°, 0°) looking at a target 3° of longitude east on the
    # equator: tan η = R sin λ / (R + h - R cos λ).
    radius, height, central = 6378.137, 600.0, math.radians(3.0)
    sat = np.array([radius + height, 0.0, 0.0])
    target = geodetic_to_ecef(3.0, 0.0)
    expected = math.degrees(
        math.atan2(radius * math.sin(central), radius + height - radius * math.cos(central))
    )
    assert float(geo.off_nadir_deg(sat, target)) == pytest.approx(expected, abs=1e-9)
    assert expected == pytest.approx(28.74, abs=0.01)
    # and back: the central angle of that off-nadir angle is the 3° we started from
    back = geo.central_angle_for_off_nadir(expected, radius, height)
    assert math.degrees(back) == pytest.approx(3.0, abs=1e-9)
    # straight down is 0°; the incidence seen from the ground exceeds the off-nadir angle
    assert float(geo.off_nadir_deg(sat, geodetic_to_ecef(0.0, 0.0))) == pytest.approx(0.0)
    incidence = 90 - float(geo.elevation_deg(sat, target, geodetic_to_ecef(3, 0) / radius))
    assert incidence == pytest.approx(expected + 3.0, abs=1e-6)  # θ = η + λ on a sphere
    assert geo.off_nadir_for_incidence(incidence, radius, height) == pytest.approx(expected)


def _noon_elevation(lon: float, lat: float, day: datetime) -> tuple[float, datetime]:
    t = day.timestamp() + np.arange(0, 86400, 10.0)
    elevation, _ = sun_elevation_azimuth(lon, lat, t)
    k = int(np.argmax(elevation))
    return float(elevation[k]), datetime.fromtimestamp(float(t[k]), UTC)


def test_sun_at_noon_of_the_march_equinox() -> None:
    equinox = datetime(2025, 3, 20, tzinfo=UTC)  # 09:01 UT; declination about +0.05° at noon
    high, when = _noon_elevation(0.0, 0.0, equinox)
    assert high == pytest.approx(90.0, abs=0.3)
    # noon at Greenwich comes 7.5 min late that day (the equation of time is -7.5 min)
    assert when == pytest.approx(
        equinox + timedelta(hours=12, minutes=7.5), abs=timedelta(minutes=1)
    )
    paris, when = _noon_elevation(2.35, 48.85, equinox)
    assert paris == pytest.approx(90.0 - 48.85, abs=0.3)
    expected = equinox + timedelta(hours=12, minutes=7.5 - 2.35 * 4)
    assert when == pytest.approx(expected, abs=timedelta(minutes=1))


def test_sun_at_the_solstices_and_at_midnight() -> None:
    june = datetime(2025, 6, 21, tzinfo=UTC)
    assert _noon_elevation(0.0, 23.44, june)[0] == pytest.approx(90.0, abs=0.2)
    assert _noon_elevation(0.0, 0.0, june)[0] == pytest.approx(90.0 - 23.44, abs=0.2)
    december = datetime(2025, 12, 21, tzinfo=UTC)
    assert _noon_elevation(0.0, 66.56, december)[0] == pytest.approx(0.0, abs=0.3)  # polar night
    midnight, _ = sun_elevation_azimuth(
        0.0, 0.0, datetime(2025, 3, 20, 0, 7, tzinfo=UTC).timestamp()
    )
    assert float(midnight) == pytest.approx(-90.0, abs=0.5)
    # morning sun is in the east, evening sun in the west
    _, morning = sun_elevation_azimuth(0.0, 0.0, datetime(2025, 3, 20, 8, tzinfo=UTC).timestamp())
    _, evening = sun_elevation_azimuth(0.0, 0.0, datetime(2025, 3, 20, 16, tzinfo=UTC).timestamp())
    assert float(morning) == pytest.approx(90.0, abs=1.0)
    assert float(evening) == pytest.approx(270.0, abs=1.0)


@pytest.mark.parametrize(
    ("day", "minutes"), [((2025, 2, 11), -14.2), ((2025, 11, 3), 16.4), ((2025, 4, 15), 0.0)]
)
def test_equation_of_time(day: tuple[int, int, int], minutes: float) -> None:
    noon = datetime(*day, 12, tzinfo=UTC).timestamp()
    assert equation_of_time_minutes(noon) == pytest.approx(minutes, abs=0.4)
