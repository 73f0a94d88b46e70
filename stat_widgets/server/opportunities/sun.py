"""Where the sun is: the Astronomical Almanac's low-precision solar coordinates (good to
0.01° from 1950 to 2050), which is far finer than any sun-elevation threshold needs and costs
a few numpy operations for a whole array of times."""

from __future__ import annotations

import math

import numpy as np

from .orbits import gmst_rad, local_axes, unix_to_jd


def sun_direction_eci(t: np.ndarray | float) -> np.ndarray:
    """Unit vector to the sun, equator and equinox of date, shape (..., 3)."""
    whole, frac = unix_to_jd(t)
    n = (whole - 2451545.0) + frac
    mean_longitude = 280.460 + 0.9856474 * n
    anomaly = np.radians(357.528 + 0.9856003 * n)
    ecliptic = np.radians(mean_longitude + 1.915 * np.sin(anomaly) + 0.020 * np.sin(2 * anomaly))
    obliquity = np.radians(23.439 - 0.0000004 * n)
    return np.stack(
        [
            np.cos(ecliptic),
            np.cos(obliquity) * np.sin(ecliptic),
            np.sin(obliquity) * np.sin(ecliptic),
        ],
        axis=-1,
    )


def sun_direction_ecef(t: np.ndarray | float) -> np.ndarray:
    eci = sun_direction_eci(t)
    g = gmst_rad(t)
    c, s = np.cos(g), np.sin(g)
    return np.stack(
        [c * eci[..., 0] + s * eci[..., 1], -s * eci[..., 0] + c * eci[..., 1], eci[..., 2]],
        axis=-1,
    )


def sun_elevation_azimuth(
    lon_deg: float, lat_deg: float, t: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """The sun's elevation above the horizon and azimuth (clockwise from north), degrees, seen
    from a place at times ``t`` (geometric: no refraction, which lifts it by ~0.5° at the
    horizon and is irrelevant to an imaging threshold)."""
    east, north, up = local_axes(lon_deg, lat_deg)
    sun = sun_direction_ecef(t)
    elevation = np.degrees(np.arcsin(np.clip(sun @ up, -1.0, 1.0)))
    azimuth = np.degrees(np.arctan2(sun @ east, sun @ north)) % 360.0
    return elevation, azimuth


def equation_of_time_minutes(t: float) -> float:
    """Apparent minus mean solar time (for tests and explanations)."""
    sun = sun_direction_eci(t)
    ra = math.degrees(math.atan2(float(sun[1]), float(sun[0])))
    whole, frac = unix_to_jd(t)
    n = float((whole - 2451545.0) + frac)
    mean_longitude = 280.460 + 0.9856474 * n
    return ((mean_longitude - ra + 180.0) % 360.0 - 180.0) * 4.0
