"""The footprints of the orders on the current page, coloured by status.

Footprints come from ``order.request.geometry`` when the server sends the request with an inline
geometry; orders without one (a JSON Reference, or no request) are simply not drawn. Zooming is
done by setting ``center`` and ``zoom`` from the footprint's bounds, rather than
``Map.fit_bounds``, which needs a running event loop and a live front end to do anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import ipyleaflet
import ipywidgets as widgets
import traitlets
from shapely.geometry import shape

from stat_widgets.models import Order
from stat_widgets.widgets.order_browser_status import status_colour
from stat_widgets.widgets.world_layer import add_world

Bounds = tuple[float, float, float, float]  # west, south, east, north

# The map's drawing area, roughly, for choosing a zoom that shows a whole footprint.
_VIEW_WIDTH_PX = 420
_VIEW_HEIGHT_PX = 300
_MAX_ZOOM = 15


def footprint(order: Order) -> dict | None:
    """The order's footprint as a GeoJSON geometry dict, or ``None`` when there is none."""
    request = order.request
    if request is None or not isinstance(request.geometry, dict):
        return None
    return request.geometry


def bounds_of(geometries: Sequence[dict]) -> Bounds | None:
    boxes = []
    for geometry in geometries:
        try:
            boxes.append(shape(geometry).bounds)
        except (ValueError, TypeError, AttributeError):  # a server's odd geometry: skip it
            continue
    boxes = [b for b in boxes if all(math.isfinite(v) for v in b)]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def view_for(bounds: Bounds) -> tuple[tuple[float, float], int]:
    """The centre (lat, lon) and the largest zoom at which ``bounds`` fits the map."""
    west, south, east, north = bounds
    centre = ((south + north) / 2, (west + east) / 2)
    zooms = [_MAX_ZOOM]
    lon_span, lat_span = east - west, north - south
    if lon_span > 0:
        zooms.append(int(math.log2(_VIEW_WIDTH_PX * 360 / (256 * lon_span))))
    if lat_span > 0:
        zooms.append(int(math.log2(_VIEW_HEIGHT_PX * 180 / (256 * lat_span))))
    return centre, max(1, min(zooms))


class FootprintMap(widgets.VBox):
    """A map of one page's footprints. ``selected_id`` highlights and zooms to one of them;
    clicking a footprint sets ``selected_id``."""

    selected_id = traitlets.Unicode(None, allow_none=True)
    bounds = traitlets.Tuple(allow_none=True, default_value=None)  # what the view was fitted to

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.map = ipyleaflet.Map(
            center=(20, 0),
            zoom=1,
            scroll_wheel_zoom=True,
            layout=widgets.Layout(height="360px", width="100%"),
        )
        self.world_layer = add_world(self.map)  # under the tiles: land and borders offline
        self.layer = ipyleaflet.GeoJSON(
            data={"type": "FeatureCollection", "features": []},
            point_style={"radius": 6},
            hover_style={"weight": 3, "fillOpacity": 0.5},
            name="Order footprints",
        )
        self.layer.on_click(self._clicked)
        self.map.add(self.layer)
        self.children = (self.map,)
        self._features: list[dict] = []

    # -- state ----------------------------------------------------------------------------------
    def set_orders(self, orders: Sequence[Order]) -> None:
        """Draw the footprints of ``orders`` and fit the view to them (or to the selection)."""
        features = []
        for order in orders:
            geometry = footprint(order)
            if geometry is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "id": order.id,
                    "geometry": geometry,
                    "properties": {"order_id": order.id, "status": str(order.status)},
                }
            )
        self._features = features
        self._redraw()
        self._fit()

    @property
    def feature_ids(self) -> list[str]:
        return [feature["id"] for feature in self._features]

    @traitlets.observe("selected_id")
    def _on_selected(self, _change: traitlets.Bunch) -> None:
        self._redraw()
        self._fit()

    def _redraw(self) -> None:
        # Each feature carries its style, as ipyleaflet's front end reads it. Not through the
        # layer's ``style_callback``: ipyleaflet applies that by assigning ``data`` a second,
        # deep-copied time, so every page of footprints went to the browser twice.
        features = []
        for feature in self._features:
            properties = {**feature["properties"], "selected": feature["id"] == self.selected_id}
            properties["style"] = self._style({"properties": properties})
            features.append({**feature, "properties": properties})
        self.layer.data = {"type": "FeatureCollection", "features": features}

    def _fit(self) -> None:
        chosen = [f["geometry"] for f in self._features if f["id"] == self.selected_id]
        bounds = bounds_of(chosen or [f["geometry"] for f in self._features])
        self.bounds = bounds
        if bounds is not None:
            centre, zoom = view_for(bounds)
            self.map.center = centre
            self.map.zoom = zoom

    # -- styling and events -------------------------------------------------------------------
    @staticmethod
    def _style(feature: dict) -> dict:
        properties = feature.get("properties") or {}
        colour = status_colour(properties.get("status"))
        selected = bool(properties.get("selected"))
        return {
            "color": colour,
            "fillColor": colour,
            "weight": 4 if selected else 1.5,
            "opacity": 1.0 if selected else 0.8,
            "fillOpacity": 0.45 if selected else 0.15,
        }

    def _clicked(self, feature: dict | None = None, **_event: Any) -> None:
        order_id = (feature or {}).get("id") or ((feature or {}).get("properties") or {}).get(
            "order_id"
        )
        if isinstance(order_id, str) and order_id in self.feature_ids:
            self.selected_id = order_id

    def click_feature(self, order_id: str) -> None:
        """Send the layer the message the browser sends when a footprint is clicked."""
        feature = next(f for f in self.layer.data["features"] if f["id"] == order_id)
        self.layer._handle_mouse_events(
            self.layer,
            {
                "event": "click",
                "feature": feature,
                "properties": feature["properties"],
                "id": order_id,
            },
            [],
        )


__all__ = ["FootprintMap", "bounds_of", "footprint", "view_for"]
