"""The ground strip an acquisition images: a swath-wide rectangle along the ground track,
long enough to cover the area of interest (up to the sensor's longest strip), in a plane
tangent to the Earth at the area's centre.

The plane is an orthographic projection through Earth-fixed coordinates: over a few hundred
kilometres it distorts lengths by under 0.1 %, and it costs a few numpy operations where a
pyproj transformer takes milliseconds to build.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from .orbits import WGS84_A_KM, WGS84_E2, geodetic_to_ecef, local_axes

COORDINATE_DECIMALS = 6  # about 0.1 m: the wire form of a footprint


def ecef_to_geodetic(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and geodetic latitude (degrees) of Earth-fixed points (..., 3), Bowring's
    method (two iterations are exact to well under a metre near the surface)."""
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    lon = np.arctan2(y, x)
    rho = np.hypot(x, y)
    lat = np.arctan2(z, rho * (1 - WGS84_E2))
    for _ in range(2):
        n = WGS84_A_KM / np.sqrt(1 - WGS84_E2 * np.sin(lat) ** 2)
        lat = np.arctan2(z + WGS84_E2 * n * np.sin(lat), rho)
    return np.degrees(lon), np.degrees(lat)


@dataclass(frozen=True)
class TangentPlane:
    """Kilometres east (x) and north (y) of a centre point, orthographically."""

    lon: float
    lat: float

    def __post_init__(self) -> None:
        east, north, up = local_axes(self.lon, self.lat)
        object.__setattr__(self, "_axes", (east, north, up))
        object.__setattr__(self, "_centre", geodetic_to_ecef(self.lon, self.lat))

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        lon_r, lat_r = np.radians(lon), np.radians(lat)
        n = WGS84_A_KM / np.sqrt(1 - WGS84_E2 * np.sin(lat_r) ** 2)
        p = np.stack(
            [
                n * np.cos(lat_r) * np.cos(lon_r),
                n * np.cos(lat_r) * np.sin(lon_r),
                n * (1 - WGS84_E2) * np.sin(lat_r),
            ],
            axis=-1,
        )
        east, north, _ = self._axes  # type: ignore[attr-defined]
        d = p - self._centre  # type: ignore[attr-defined]
        return np.stack([d @ east, d @ north], axis=-1)

    def inverse(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        east, north, up = self._axes  # type: ignore[attr-defined]
        radius = float(np.linalg.norm(self._centre))  # type: ignore[attr-defined]
        x, y = xy[..., 0], xy[..., 1]
        drop = radius - np.sqrt(np.maximum(radius**2 - x**2 - y**2, 0.0))
        p = (
            self._centre  # type: ignore[attr-defined]
            + x[..., None] * east
            + y[..., None] * north
            - drop[..., None] * up
        )
        return ecef_to_geodetic(p)


def aoi_centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """The point whose visibility defines a window: the area's centroid (a representative
    point when the centroid falls outside it), computed across the antimeridian when the
    area is cut there."""
    geom = _unwrapped(shape(geometry))
    point = geom.centroid if geom.area == 0 or geom.contains(geom.centroid) else None
    point = point or geom.representative_point()
    lon = (point.x + 180.0) % 360.0 - 180.0
    return lon, point.y


def _unwrapped(geom: BaseGeometry) -> BaseGeometry:
    """Shift the western parts of a shape that spans the antimeridian by 360°."""
    west, _, east, _ = geom.bounds
    if east - west <= 180.0:
        return geom

    def shift(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([np.where(xy[:, 0] < 0, xy[:, 0] + 360.0, xy[:, 0]), xy[:, 1]])

    return shapely.transform(geom, shift)


@dataclass(frozen=True)
class PlanarArea:
    """An area of interest in a tangent plane, projected once per search."""

    plane: TangentPlane
    shape: BaseGeometry
    xy: np.ndarray  # every vertex, km

    @classmethod
    def of(cls, geometry: dict[str, Any], plane: TangentPlane) -> PlanarArea:
        def project(coords: np.ndarray) -> np.ndarray:
            lon = (coords[:, 0] - plane.lon + 180.0) % 360.0 - 180.0 + plane.lon
            return plane.forward(lon, coords[:, 1])

        planar = shapely.transform(shape(geometry), project)
        return cls(plane, planar, np.asarray(shapely.get_coordinates(planar)))


def strip(
    area: PlanarArea, along: tuple[float, float], swath_km: float, max_length_km: float
) -> tuple[dict[str, Any], float]:
    """The imaged strip as a GeoJSON Polygon, and the share of the area it covers (0-1).

    ``along`` is the ground-track direction at the centre (east, north). The strip is
    centred across track on the area, spans it along track (plus half a swath, so a point
    gets a square scene) and is cut to ``max_length_km`` around the area's middle.
    """
    u = np.asarray(along, dtype=float)
    u /= np.linalg.norm(u)
    v = np.array([u[1], -u[0]])  # to the right of the track
    s, c = area.xy @ u, area.xy @ v
    across = (float(c.min()) + float(c.max())) / 2
    low, high = float(s.min()) - swath_km / 2, float(s.max()) + swath_km / 2
    middle = (low + high) / 2
    half = min(high - low, max_length_km) / 2
    corners = np.array(
        [
            (middle + a) * u + (across + b) * v
            for a, b in (
                (-half, -swath_km / 2),
                (half, -swath_km / 2),
                (half, swath_km / 2),
                (-half, swath_km / 2),
            )
        ]
    )
    inside = (np.abs(c - across) <= swath_km / 2) & (np.abs(s - middle) <= half)
    if inside.all():  # every vertex in the (convex) strip: all of the area is
        coverage = 1.0
    elif area.shape.area == 0:  # points and lines: covered or not
        coverage = float(Polygon(corners).covers(area.shape))
    else:
        coverage = float(area.shape.intersection(Polygon(corners)).area / area.shape.area)
    return _geographic(corners, area.plane), round(min(coverage, 1.0), 4)


def _geographic(corners: np.ndarray, plane: TangentPlane) -> dict[str, Any]:
    """The corners as a counterclockwise GeoJSON ring, in wire precision; cut at the
    antimeridian when the strip crosses it."""
    lon, lat = plane.inverse(corners)
    lon = (lon - plane.lon + 180.0) % 360.0 - 180.0 + plane.lon  # continuous around the area
    if lon.min() < -180.0 or lon.max() > 180.0:
        ring = Polygon(np.column_stack([lon, lat])).intersection(box(-180.0, -90.0, 180.0, 90.0))
        if not isinstance(ring, Polygon):  # pragma: no cover - a strip cut once stays one piece
            ring = max(getattr(ring, "geoms", [ring]), key=lambda g: g.area)
        lon, lat = (np.asarray(v) for v in ring.exterior.coords.xy)
        lon, lat = lon[:-1], lat[:-1]
    # shoelace: a negative signed area is a clockwise ring
    if np.dot(lon, np.roll(lat, -1)) - np.dot(np.roll(lon, -1), lat) < 0:
        lon, lat = lon[::-1], lat[::-1]
    coords = [
        [round(float(x), COORDINATE_DECIMALS), round(float(y), COORDINATE_DECIMALS)]
        for x, y in zip(lon, lat, strict=True)
    ]
    return {"type": "Polygon", "coordinates": [[*coords, coords[0]]]}


def strip_length_km(geometry: dict[str, Any]) -> float:
    """Length of a footprint's long side (for tests)."""
    xy = PlanarArea.of(geometry, TangentPlane(*aoi_centre(geometry))).xy
    sides = np.linalg.norm(np.diff(xy, axis=0), axis=1)
    return float(sides.max()) if len(sides) else math.nan
