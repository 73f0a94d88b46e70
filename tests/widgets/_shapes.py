"""GeoJSON as the browser's Geoman control sends it (``layer.toGeoJSON()`` plus the style)."""

from __future__ import annotations

from typing import Any

#: About 11 km × 7 km near Frankfurt: ~79 km².
SQUARE = [[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]
#: The same square with its north-east corner dragged further out.
SQUARE_EDITED = [[10.0, 50.0], [10.1, 50.0], [10.2, 50.2], [10.0, 50.1], [10.0, 50.0]]
#: A bow-tie: two edges cross at (10.05, 50.05).
BOW_TIE = [[10.0, 50.0], [10.1, 50.1], [10.1, 50.0], [10.0, 50.1], [10.0, 50.0]]
#: Roughly 1° × 1° at 50° N: ~7,900 km², above the small products' limits.
LARGE = [[10.0, 50.0], [11.0, 50.0], [11.0, 51.0], [10.0, 51.0], [10.0, 50.0]]


def polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


def drawn(geometry: dict[str, Any], shape: str = "Polygon") -> dict[str, Any]:
    """A Feature as ``layer_to_json`` in ipyleaflet's Geoman view builds it."""
    return {
        "type": "Feature",
        "properties": {
            "style": {"pane": "overlayPane", "stroke": True, "color": "#3388ff"},
            "type": shape.lower(),
        },
        "geometry": geometry,
    }


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}
