"""Viewing geometry between a satellite and a place on the ground, for arrays of positions."""

from __future__ import annotations

import math

import numpy as np


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def off_nadir_deg(sat: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Angle at the satellite between nadir (towards the Earth's centre) and the line of sight
    to ``target``; positions Earth-fixed, km, shape (..., 3)."""
    nadir = _unit(-sat)
    sight = _unit(target - sat)
    return np.degrees(np.arccos(np.clip(np.sum(nadir * sight, axis=-1), -1.0, 1.0)))


def elevation_deg(sat: np.ndarray, target: np.ndarray, up: np.ndarray) -> np.ndarray:
    """The satellite's elevation above the target's horizon (``up``: the ellipsoid normal);
    the incidence angle is 90° minus it."""
    sight = _unit(sat - target)
    return np.degrees(np.arcsin(np.clip(sight @ up, -1.0, 1.0)))


def azimuth_deg(sat: np.ndarray, target: np.ndarray, east: np.ndarray, north: np.ndarray):
    """Azimuth of the satellite seen from the target, clockwise from north."""
    sight = sat - target
    return np.degrees(np.arctan2(sight @ east, sight @ north)) % 360.0


def central_angle_for_off_nadir(off_nadir_deg_: float, radius_km: float, altitude_km: float):
    """Earth central angle between the sub-satellite point and a target seen at this off-nadir
    angle (spherical Earth): λ = asin((R+h)/R · sin η) - η; the horizon when it exceeds it."""
    eta = math.radians(off_nadir_deg_)
    ratio = (radius_km + altitude_km) / radius_km * math.sin(eta)
    if ratio >= 1.0:
        return math.acos(radius_km / (radius_km + altitude_km))
    return math.asin(ratio) - eta


def off_nadir_for_incidence(incidence_deg: float, radius_km: float, altitude_km: float) -> float:
    """Off-nadir angle at which the line of sight meets the ground at this incidence angle:
    sin η = R/(R+h) · sin θ (spherical Earth)."""
    ratio = radius_km / (radius_km + altitude_km) * math.sin(math.radians(incidence_deg))
    return math.degrees(math.asin(ratio))
