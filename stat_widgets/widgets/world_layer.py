"""The offline world under every map of the package: sea, Natural Earth 1:110m land with its
coastline, and the borders between countries.

Without network the tiles never load and a Leaflet map is a uniform grey; this layer is what
is left, so a map always shows where it is. It is drawn in a pane of its own *below* the tile
pane (Leaflet puts vector layers above tiles otherwise), so where tiles load they cover it.
Its shapes take no pointer events: drawing, clicking and snapping go to the map and the AOI,
and the browser never sends a message about them.

The data (``stat_widgets/data/natural_earth_110m.json``, public domain; built by
``scripts/make_world_data.py``) is read on the first map, never on import, and each map sends
it to the browser once, in its creation message: about 120 KB.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import ipyleaflet

PANE = "stat-widgets-world"
#: Leaflet's tile pane is at z-index 200, vector overlays at 400.
PANE_STYLE = {"zIndex": "150", "pointerEvents": "none"}
NAME = "World (Natural Earth 1:110m)"

# Options every shape of the layer gets (ipyleaflet hands a feature's ``style`` to Leaflet's
# ``setStyle`` before the shape is added, so pane and interactivity apply).
_SHAPE = {"pane": PANE, "interactive": False, "snapIgnore": True, "pmIgnore": True}
_STYLES: dict[str, dict[str, Any]] = {
    "sea": {"stroke": False, "fill": True, "fillColor": "#d4e3ee", "fillOpacity": 1.0},
    "land": {
        "color": "#8296a8",
        "weight": 0.8,
        "fillColor": "#f4f2ec",
        "fillOpacity": 1.0,
    },
    "borders": {"color": "#a08f9c", "weight": 0.8, "dashArray": "4 3", "fill": False},
}
_SEA = {
    "type": "Polygon",
    "coordinates": [[[-180, -85.06], [180, -85.06], [180, 85.06], [-180, 85.06], [-180, -85.06]]],
}


@functools.cache
def _text() -> str:
    return (
        resources.files("stat_widgets")
        .joinpath("data", "natural_earth_110m.json")
        .read_text(encoding="utf-8")
    )


def world_data() -> dict[str, Any]:
    """The layer's GeoJSON, each feature styled: a fresh copy (a layer's data is its own)."""
    collection = json.loads(_text())
    features = [{"type": "Feature", "properties": {"kind": "sea"}, "geometry": _SEA}]
    features += collection["features"]
    for feature in features:
        kind = feature["properties"]["kind"]
        feature["properties"]["style"] = {**_STYLES[kind], **_SHAPE}
    return {"type": "FeatureCollection", "features": features}


class WorldLayer(ipyleaflet.GeoJSON):
    """ipyleaflet's GeoJSON layer (the same front-end model) whose ``repr`` names the layer
    rather than spelling out its ~120 KB of data. ipywidgets makes the ``text/plain`` of a
    displayed widget from the ``repr`` of its whole tree before it sends the cell's output,
    and keeps 110 characters of it: with the world in it, the ``repr`` of a form took 8 ms
    (157 KB), on the way to the first paint."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, pane={self.pane!r})"


def world_layer() -> WorldLayer:
    """A new layer of the world for one map (a widget belongs to one map's layer list)."""
    # No ``style`` or ``style_callback`` on the layer: ipyleaflet applies those by assigning
    # ``data`` a second time, which would send the whole world to the browser twice.
    return WorldLayer(data=world_data(), name=NAME, pane=PANE)


def add_world(map_: ipyleaflet.Map) -> WorldLayer:
    """Give ``map_`` the pane under its tiles and the world layer in it; returns the layer."""
    map_.panes = {**map_.panes, PANE: PANE_STYLE}
    layer = world_layer()
    map_.add(layer)
    return layer


__all__ = ["NAME", "PANE", "WorldLayer", "add_world", "world_data", "world_layer"]
