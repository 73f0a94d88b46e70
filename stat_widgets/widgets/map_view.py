"""Web Mercator view arithmetic: the zoom at which something fits, or at which a drawn square
has a given area, computed in Python.

``Map.fit_bounds`` would ask the browser, but it needs a running asyncio loop and a live front
end, which scripts, tests and a cell that has not been displayed yet do not have.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: Leaflet's tile size, and the length of the equator in Web Mercator metres.
TILE_PX = 256
EQUATOR_M = 40_075_016.686
MAX_ZOOM = 18
#: Web Mercator stops short of the poles.
MAX_LAT = 85.0511287798


def metres_per_pixel(lat: float, zoom: float) -> float:
    """Ground distance one screen pixel covers at ``lat`` and ``zoom``."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    return EQUATOR_M * math.cos(math.radians(lat)) / (TILE_PX * 2**zoom)


def zoom_for_square(
    lat: float, *, side_px: int = 100, max_area_km2: float = 2000.0, max_zoom: int = MAX_ZOOM
) -> int:
    """The widest zoom at which a ``side_px`` square drawn at ``lat`` covers less than
    ``max_area_km2``: where "Go to" lands, so the first shape drawn there is site-sized."""
    for zoom in range(1, max_zoom + 1):
        side_km = side_px * metres_per_pixel(lat, zoom) / 1000
        if side_km * side_km < max_area_km2:
            return zoom
    return max_zoom


def _mercator_y(lat: float) -> float:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def zoom_to_fit(
    bounds: Sequence[float],
    *,
    width_px: int = 480,
    height_px: int = 300,
    max_zoom: int = MAX_ZOOM,
) -> int:
    """The closest zoom at which ``bounds`` (west, south, east, north) fits in ``width_px`` ×
    ``height_px``: by default the middle of the package's 400-pixel-high maps, with a margin
    (the map's real width is known only to the browser)."""
    west, south, east, north = bounds
    zooms = [max_zoom]
    if east > west:
        zooms.append(math.floor(math.log2(width_px * 360 / (TILE_PX * (east - west)))))
    y_span = _mercator_y(north) - _mercator_y(south)
    if y_span > 0:
        zooms.append(math.floor(math.log2(height_px * 2 * math.pi / (TILE_PX * y_span))))
    return max(1, min(zooms))


def centre_of(bounds: Sequence[float]) -> tuple[float, float]:
    """(lat, lon) of the middle of ``bounds``."""
    west, south, east, north = bounds
    return (south + north) / 2, (west + east) / 2


__all__ = ["centre_of", "metres_per_pixel", "zoom_for_square", "zoom_to_fit"]
