"""Windows of opportunity: when a satellite sees a place within its sensor's off-nadir limit.

The search is vectorised over time in two passes. A coarse pass screens a 32-second grid
with the secular part of SGP4's model (the node and argument of latitude at the rates SGP4
computed for the satellite; a few array operations per time) and keeps the stretches where
the satellite is within the visibility cone's central angle, widened by the ground half a
step covers and by what the screening orbit may be off, so no window can fall between samples. A
fine pass runs SGP4 itself (``Satrec.sgp4_array``) every four seconds over those stretches only;
window edges are interpolated where the off-nadir angle crosses the limit and the best moment
(smallest off-nadir angle) by a parabola through the minimum. Screening with full SGP4 steps
instead cost ten times as much for the same windows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import geometry as geo
from .orbits import (
    UNIX_EPOCH_JD,
    Satellite,
    geodetic_to_ecef,
    gmst_rad,
    local_axes,
    propagate,
    propagate_one,
)
from .sun import sun_elevation_azimuth

COARSE_STEP_S = 32.0
FINE_STEP_S = 4.0  # divides the coarse step: every sample time is a multiple of it


@dataclass(frozen=True)
class Sensor:
    """What a product's instrument can do.

    ``min_sun_elevation_deg`` is set for optical sensors (they need daylight);
    ``min_incidence_deg`` for radars, which cannot image close to nadir.
    """

    max_off_nadir_deg: float
    swath_km: float
    max_strip_km: float
    min_sun_elevation_deg: float | None = None
    min_incidence_deg: float | None = None


@dataclass(frozen=True)
class Window:
    """One pass over the place, with the geometry at its best moment."""

    satellite: Satellite
    start: float  # Unix seconds
    end: float
    best: float
    off_nadir: float
    incidence: float
    azimuth: float  # from the place towards the satellite, clockwise from north
    sun_elevation: float
    sun_azimuth: float
    ascending: bool
    look: str  # "left" or "right" of the ground track
    along: tuple[float, float]  # ground-track direction at the place (east, north)


def find_windows(
    satellites: list[Satellite],
    sensor: Sensor,
    lon: float,
    lat: float,
    start: float,
    end: float,
    *,
    coarse_step: float = COARSE_STEP_S,
    fine_step: float = FINE_STEP_S,
) -> list[Window]:
    """Every window in [start, end] (Unix seconds) in which a satellite sees (lon, lat)
    within the sensor's limits, ordered by start time."""
    if end <= start or not satellites:
        return []
    target = geodetic_to_ecef(lon, lat)
    radius = float(np.linalg.norm(target))
    # Samples at whole multiples of the step since 1970, not counted from ``start``: a window
    # then comes out the same whichever interval around it is searched.
    first = (math.floor(start / coarse_step) - 1) * coarse_step
    grid = np.arange(first, end + 2 * coarse_step, coarse_step)
    sidereal = gmst_rad(grid)
    found: list[tuple[int, float, float, float]] = []
    for index, sat in enumerate(satellites):
        cos_angle = secular_directions(sat, grid, sidereal) @ (target / radius)
        limit = _candidate_angle(sat, sensor, radius, coarse_step)
        runs = _runs(cos_angle >= math.cos(limit), merge_gap=2)
        if runs:
            found += _refine(index, sat, target, sensor, grid, runs, fine_step, start, end)
    windows = _describe(satellites, found, sensor, lon, lat, target)
    return sorted(windows, key=lambda w: (w.start, w.satellite.name))


def secular_directions(
    sat: Satellite, t: np.ndarray, sidereal: np.ndarray | None = None
) -> np.ndarray:
    """Earth-fixed unit vectors towards the satellite on the circular orbit that SGP4's own
    secular rates describe (node, argument of latitude), shape (times, 3).

    A few array operations per time instead of a full SGP4 step: what the coarse pass needs to
    rule out most of the orbit. It differs from SGP4 by the short-period terms and the
    eccentricity (a few tens of kilometres), which :data:`SCREEN_MARGIN_RAD` covers.
    """
    rec = sat.satrec
    minutes = (t - (rec.jdsatepoch - UNIX_EPOCH_JD + rec.jdsatepochF) * 86400.0) / 60.0
    node = rec.nodeo + rec.nodedot * minutes - (gmst_rad(t) if sidereal is None else sidereal)
    u = rec.argpo + rec.mo + (rec.mdot + rec.argpdot) * minutes
    cos_node, sin_node = np.cos(node), np.sin(node)
    cos_u, sin_u = np.cos(u), np.sin(u)
    cos_i, sin_i = math.cos(rec.inclo), math.sin(rec.inclo)
    return np.stack(
        [
            cos_node * cos_u - sin_node * sin_u * cos_i,
            sin_node * cos_u + cos_node * sin_u * cos_i,
            sin_u * sin_i,
        ],
        axis=-1,
    )


#: What the screening orbit may be off by: eccentricity (2e rad, 0.13°, along track) and
#: short-period terms (about 0.1°), with room to spare.
SCREEN_MARGIN_RAD = math.radians(0.5)


def _candidate_angle(sat: Satellite, sensor: Sensor, radius: float, step: float) -> float:
    """The central angle of the visibility cone, widened by the ground half a step covers
    (the sample nearest a window's best moment is at most that far from it) and the
    screening margin."""
    highest = sat.altitude_km + sat.eccentricity * sat.semi_major_axis_km + 30.0
    cone = geo.central_angle_for_off_nadir(sensor.max_off_nadir_deg, radius, highest)
    angular_speed = sat.satrec.no_kozai / 60.0 + 7.3e-5  # orbit plus Earth rotation, rad/s
    return cone + angular_speed * step / 2 + SCREEN_MARGIN_RAD


def _runs(mask: np.ndarray, merge_gap: int = 0) -> list[tuple[int, int]]:
    """Index ranges [first, last] of consecutive True values; runs at most ``merge_gap``
    samples apart become one."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    runs: list[tuple[int, int]] = []
    for first, stop in zip(edges[::2], edges[1::2], strict=True):
        if runs and first - runs[-1][1] - 1 <= merge_gap:
            runs[-1] = (runs[-1][0], int(stop) - 1)
        else:
            runs.append((int(first), int(stop) - 1))
    return runs


def _refine(
    index: int,
    sat: Satellite,
    target: np.ndarray,
    sensor: Sensor,
    grid: np.ndarray,
    runs: list[tuple[int, int]],
    fine_step: float,
    start: float,
    end: float,
) -> list[tuple[int, float, float, float]]:
    """Sample each candidate stretch finely; (satellite index, start, end, best) per window."""
    spans = [
        np.arange(grid[max(a - 1, 0)], grid[min(b + 1, len(grid) - 1)] + fine_step, fine_step)
        for a, b in runs
    ]
    times = np.concatenate(spans)
    positions, _ = propagate_one(sat, times)
    angles = geo.off_nadir_deg(positions, target)
    limit = sensor.max_off_nadir_deg
    out = []
    offset = 0
    for span in spans:
        t = span
        eta = angles[offset : offset + len(span)]
        offset += len(span)
        inside = eta <= limit
        for first, last in _runs(inside):
            window_start = _crossing(t, eta, first - 1, first, limit) if first > 0 else t[first]
            window_end = _crossing(t, eta, last, last + 1, limit) if last + 1 < len(t) else t[last]
            best = _minimum(t, eta, first, last)
            window_start, window_end = max(window_start, start), min(window_end, end)
            if window_end > window_start:
                out.append(
                    (index, window_start, window_end, min(max(best, window_start), window_end))
                )
    return out


def _crossing(t: np.ndarray, eta: np.ndarray, i: int, j: int, limit: float) -> float:
    """Where the off-nadir angle crosses ``limit`` between samples i and j (linear)."""
    span = eta[j] - eta[i]
    share = 0.5 if span == 0 else (limit - eta[i]) / span
    return float(t[i] + min(max(share, 0.0), 1.0) * (t[j] - t[i]))


def _minimum(t: np.ndarray, eta: np.ndarray, first: int, last: int) -> float:
    """The time of the smallest off-nadir angle, refined by a parabola through three samples."""
    k = first + int(np.argmin(eta[first : last + 1]))
    if 0 < k < len(t) - 1:
        a, b, c = eta[k - 1], eta[k], eta[k + 1]
        curvature = a - 2 * b + c
        if curvature > 0:
            return float(t[k] + 0.5 * (a - c) / curvature * (t[k + 1] - t[k]))
    return float(t[k])


def _describe(
    satellites: list[Satellite],
    found: list[tuple[int, float, float, float]],
    sensor: Sensor,
    lon: float,
    lat: float,
    target: np.ndarray,
) -> list[Window]:
    """The geometry at each window's best moment, and the sensor's sun and incidence rules."""
    if not found:
        return []
    east, north, up = local_axes(lon, lat)
    which = np.array([f[0] for f in found])
    best = np.array([f[3] for f in found])
    positions, velocities = propagate(satellites, best)  # every satellite at every moment
    p = positions[which, np.arange(len(found))]
    v = velocities[which, np.arange(len(found))]
    sun_elevation, sun_azimuth = sun_elevation_azimuth(lon, lat, best)
    incidence = 90.0 - geo.elevation_deg(p, target, up)
    off_nadir = geo.off_nadir_deg(p, target)
    azimuth = geo.azimuth_deg(p, target, east, north)
    horizontal = v - (v @ up)[:, None] * up
    right = np.cross(v, p / np.linalg.norm(p, axis=-1, keepdims=True))
    looks_right = np.sum((target - p) * right, axis=-1) > 0
    keep = np.ones(len(found), dtype=bool)
    if sensor.min_sun_elevation_deg is not None:
        keep &= sun_elevation >= sensor.min_sun_elevation_deg
    if sensor.min_incidence_deg is not None:
        keep &= incidence >= sensor.min_incidence_deg
    return [
        Window(
            satellite=satellites[index],
            start=start,
            end=end,
            best=when,
            off_nadir=float(off_nadir[k]),
            incidence=float(incidence[k]),
            azimuth=float(azimuth[k]),
            sun_elevation=float(sun_elevation[k]),
            sun_azimuth=float(sun_azimuth[k]),
            ascending=bool(v[k, 2] > 0),  # moving north
            look="right" if looks_right[k] else "left",
            along=(float(horizontal[k] @ east), float(horizontal[k] @ north)),
        )
        for k, (index, start, end, when) in enumerate(found)
        if keep[k]
    ]
