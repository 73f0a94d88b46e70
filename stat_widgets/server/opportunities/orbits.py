"""Orbits of the demo constellation: sun-synchronous, repeating ground tracks, propagated by
``sgp4``.

Each satellite is given by what a mission designer chooses (altitude band through a repeat
cycle of N revolutions in D days, local time of the descending node, phase in its plane);
the mean elements follow from physics:

* the inclination from the J2 nodal-precession formula, so that the orbit plane turns with the
  mean sun (360° per tropical year, 0.9856°/day);
* the mean motion calibrated against SGP4's own secular rates, so that N nodal revolutions take
  exactly D mean solar days and the ground track repeats;
* the right ascension of the ascending node from the mean sun at the epoch, so that the
  descending node is crossed at the chosen local mean solar time.

Positions come out of SGP4 in TEME; :func:`teme_to_ecef` turns them into Earth-fixed
coordinates with the IAU 1982 GMST that SGP4 itself uses. Times are Unix seconds (float64:
microsecond resolution over centuries), vectorised with numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import numpy as np
from sgp4.api import WGS72, Satrec, SatrecArray

MU_KM3_S2 = 398600.8  # WGS72, SGP4's gravity model
EARTH_RADIUS_KM = 6378.135  # WGS72 equatorial radius (SGP4)
J2 = 0.001082616  # WGS72
WGS84_A_KM = 6378.137
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
TROPICAL_YEAR_DAYS = 365.2422
SSO_RATE_RAD_S = 2 * math.pi / (TROPICAL_YEAR_DAYS * 86400.0)
#: GMST advance per day (IAU 1982), degrees: the Earth's rotation against the stars.
SIDEREAL_DEG_PER_DAY = 360.98564736629
UNIX_EPOCH_JD = 2440587.5
ELEMENTS_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def kepler_period_s(a_km: float) -> float:
    """Kepler's third law: T = 2π √(a³/μ)."""
    return 2 * math.pi * math.sqrt(a_km**3 / MU_KM3_S2)


def sso_inclination_deg(a_km: float, eccentricity: float = 0.0) -> float:
    """The inclination at which J2 turns the orbit plane by 360° per tropical year:

    dΩ/dt = -3/2 · n · J2 · (Re/p)² · cos i   with p = a(1 - e²), n = √(μ/a³).
    """
    n = math.sqrt(MU_KM3_S2 / a_km**3)
    p = a_km * (1 - eccentricity**2)
    cos_i = -SSO_RATE_RAD_S / (1.5 * n * J2 * (EARTH_RADIUS_KM / p) ** 2)
    return math.degrees(math.acos(cos_i))


def unix_to_jd(t: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Whole and fractional Julian date (SGP4 wants both for precision)."""
    days = np.asarray(t, dtype=float) / 86400.0
    whole = np.floor(days)
    return whole + UNIX_EPOCH_JD, days - whole


def gmst_rad(t: np.ndarray | float) -> np.ndarray:
    """Greenwich mean sidereal time (IAU 1982, as SGP4's ``gstime``), radians in [0, 2π)."""
    whole, frac = unix_to_jd(t)
    tut1 = ((whole - 2451545.0) + frac) / 36525.0
    seconds = (
        -6.2e-6 * tut1**3
        + 0.093104 * tut1**2
        + (876600.0 * 3600 + 8640184.812866) * tut1
        + 67310.54841
    )
    return np.mod(np.radians(seconds / 240.0), 2 * math.pi)


def teme_to_ecef(r: np.ndarray, t: np.ndarray, v: np.ndarray | None = None) -> tuple:
    """Rotate TEME vectors (..., 3) at times ``t`` (...) into the Earth-fixed frame (polar
    motion, under 15 m, is ignored). With ``v``, also the Earth-fixed velocity (km/s)."""
    g = gmst_rad(t)
    c, s = np.cos(g), np.sin(g)
    x = c * r[..., 0] + s * r[..., 1]
    y = -s * r[..., 0] + c * r[..., 1]
    ecef = np.stack([x, y, r[..., 2]], axis=-1)
    if v is None:
        return ecef, None
    omega = math.radians(SIDEREAL_DEG_PER_DAY) / 86400.0
    vx = c * v[..., 0] + s * v[..., 1] + omega * y
    vy = -s * v[..., 0] + c * v[..., 1] - omega * x
    return ecef, np.stack([vx, vy, v[..., 2]], axis=-1)


def geodetic_to_ecef(lon_deg: float, lat_deg: float, height_km: float = 0.0) -> np.ndarray:
    """WGS 84 geodetic position to Earth-fixed km."""
    lon, lat = math.radians(lon_deg), math.radians(lat_deg)
    n = WGS84_A_KM / math.sqrt(1 - WGS84_E2 * math.sin(lat) ** 2)
    return np.array(
        [
            (n + height_km) * math.cos(lat) * math.cos(lon),
            (n + height_km) * math.cos(lat) * math.sin(lon),
            (n * (1 - WGS84_E2) + height_km) * math.sin(lat),
        ]
    )


def local_axes(lon_deg: float, lat_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """East, north and up unit vectors (Earth-fixed) at a geodetic position."""
    lon, lat = math.radians(lon_deg), math.radians(lat_deg)
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    north = np.array(
        [-math.sin(lat) * math.cos(lon), -math.sin(lat) * math.sin(lon), math.cos(lat)]
    )
    up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    return east, north, up


def subpoint(ecef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and geocentric latitude (degrees) under Earth-fixed positions (..., 3)."""
    lon = np.degrees(np.arctan2(ecef[..., 1], ecef[..., 0]))
    lat = np.degrees(np.arctan2(ecef[..., 2], np.hypot(ecef[..., 0], ecef[..., 1])))
    return lon, lat


@dataclass(frozen=True)
class Satellite:
    """A made-up satellite on a sun-synchronous, repeating orbit.

    ``revolutions`` in ``days`` mean solar days sets the altitude (about 500-700 km for the
    demo fleet); ``ltdn_hours`` is the local mean solar time of the descending node;
    ``phase_deg`` the argument of latitude at the epoch (satellites sharing a plane differ
    only in it).
    """

    name: str
    constellation: str
    revolutions: int
    days: int
    ltdn_hours: float
    phase_deg: float = 0.0
    eccentricity: float = 0.0011
    perigee_deg: float = 90.0  # frozen-orbit argument of perigee
    number: int = 90001

    @cached_property
    def satrec(self) -> Satrec:
        return _calibrated(self)

    @property
    def semi_major_axis_km(self) -> float:
        return (MU_KM3_S2 / (self.satrec.no_kozai / 60.0) ** 2) ** (1 / 3)

    @property
    def altitude_km(self) -> float:
        return self.semi_major_axis_km - EARTH_RADIUS_KM

    @property
    def inclination_deg(self) -> float:
        return math.degrees(self.satrec.inclo)


def _epoch_sgp4_days(epoch: datetime) -> float:
    """Days since 1949-12-31 00:00 UT, SGP4's ``sgp4init`` epoch."""
    return (epoch - datetime(1949, 12, 31, tzinfo=UTC)).total_seconds() / 86400.0


def _raan_rad(sat: Satellite, epoch: datetime) -> float:
    """The ascending node's right ascension that puts the descending node at ``ltdn_hours``
    local mean solar time: the mean sun sits at GMST - 15°·(UT - 12 h)."""
    t = epoch.timestamp()
    ut_hours = (t % 86400.0) / 3600.0
    mean_sun = float(gmst_rad(t)) - math.radians(15.0 * (ut_hours - 12.0))
    descending = mean_sun + math.radians(15.0 * (sat.ltdn_hours - 12.0))
    return (descending + math.pi) % (2 * math.pi)


def _calibrated(sat: Satellite, epoch: datetime = ELEMENTS_EPOCH) -> Satrec:
    """SGP4 elements whose secular rates give ``revolutions`` nodal periods in ``days`` days
    (the Earth turns once per mean solar day under a sun-synchronous plane)."""
    earth_rate = math.radians(SIDEREAL_DEG_PER_DAY) / 1440.0  # rad per minute
    n = 2 * math.pi * sat.revolutions / sat.days / 1440.0  # first guess, rad per minute
    raan = _raan_rad(sat, epoch)
    mean_anomaly = math.radians(sat.phase_deg - sat.perigee_deg) % (2 * math.pi)
    satrec = Satrec()
    for _ in range(8):
        a_km = (MU_KM3_S2 / (n / 60.0) ** 2) ** (1 / 3)
        inclination = math.radians(sso_inclination_deg(a_km, sat.eccentricity))
        satrec = Satrec()
        satrec.sgp4init(
            WGS72,
            "i",
            sat.number,
            _epoch_sgp4_days(epoch),
            0.0,  # bstar: no drag, so the fleet is the same forever
            0.0,
            0.0,
            sat.eccentricity,
            math.radians(sat.perigee_deg),
            inclination,
            mean_anomaly,
            n,
            raan,
        )
        target = sat.revolutions * (earth_rate - satrec.nodedot) / sat.days
        n *= target / (satrec.mdot + satrec.argpdot)
    return satrec


def propagate(satellites: list[Satellite], t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earth-fixed positions and velocities, shape (satellites, times, 3), km and km/s."""
    whole, frac = unix_to_jd(t)
    array = SatrecArray([s.satrec for s in satellites])
    errors, r, v = array.sgp4(whole, frac)
    if np.any(errors):  # pragma: no cover - circular orbits without drag never decay
        raise RuntimeError(f"SGP4 failed for {satellites[int(np.argmax(errors.any(1)))].name}")
    return teme_to_ecef(r, np.broadcast_to(t, r.shape[:2]), v)


def propagate_one(sat: Satellite, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earth-fixed positions and velocities of one satellite, shape (times, 3)."""
    whole, frac = unix_to_jd(t)
    errors, r, v = sat.satrec.sgp4_array(whole, frac)
    if np.any(errors):  # pragma: no cover - see propagate
        raise RuntimeError(f"SGP4 failed for {sat.name}")
    return teme_to_ecef(r, t, v)
