"""Drawing the area of interest: the map's Geoman control, and which shape the person means.

Geoman sends two things for each edit: a custom message (``create`` with the new shape only,
``remove`` with the shape removed, the edit events with every shape) and then a ``data``
update with every shape. ``DrawTool`` reads both into one answer for ``AOIMap``: the drawn AOI
(a Feature, or a FeatureCollection of several shapes) or ``None`` when nothing is drawn. A new
shape replaces the previous AOI (one order, one area), so the control is left with that shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipyleaflet

#: Draw tools offered on the map. A non-empty dict enables a Geoman tool, an empty one hides it.
_AREA_TOOL: dict[str, Any] = {"pathOptions": {}}
_POINT_TOOL: dict[str, Any] = {"continueDrawing": False}

Drawn = Callable[[dict[str, Any] | None], None]


def feature(geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {}, "geometry": geometry}


class DrawTool:
    """The draw control of a map; ``on_drawn`` hears what the person drew as the AOI.

    The control is made first and put on the map by its maker (in the map's creation message,
    ``leaflet_map(controls=...)``), then ``attach`` names the map it was put on."""

    def __init__(self, on_drawn: Drawn, *, points: bool = False) -> None:
        self._map: ipyleaflet.Map | None = None
        self._on_drawn = on_drawn
        self._writing = False
        #: The geometry of the shape drawn last, which wins over older shapes on the map.
        self.latest: dict[str, Any] | None = None
        #: Controls replaced while the map showed, closed only with the map (``set_points``).
        self.retired: list[ipyleaflet.GeomanDrawControl] = []
        self.control = self._new_control(points)
        self._listen(self.control)

    def attach(self, map_: ipyleaflet.Map) -> None:
        """The map the control is on (added to it unless it is there already)."""
        self._map = map_
        if self.control not in map_.controls:
            map_.add(self.control)

    def show(self, geometry: dict[str, Any] | None) -> None:
        """Put ``geometry`` (or nothing) on the map as the one drawn shape, without it being
        heard as a new drawing."""
        self._writing = True
        try:
            self.control.data = [] if geometry is None else [feature(geometry)]
        finally:
            self._writing = False

    def set_points(self, points: bool) -> None:
        """Offer the marker tool exactly when points are accepted. The Geoman view reads its
        tools only when it is created, so the control is replaced (keeping the drawing)."""
        old = self.control
        if old.marker == _tools(points)["marker"]:
            return
        new = self._new_control(points)
        new.data = list(old.data)
        self._listen(new)
        old.on_draw(self._on_draw_event, remove=True)
        old.unobserve(self._on_data, names="data")
        assert self._map is not None, "attach(map_) first"
        self._map.remove(old)
        self._map.add(new)
        self.control = new
        # Not ``old.close()``: Geoman keeps one toolbar per map, and closing the old view after
        # the new one drew its toolbar removes that toolbar too (seen in Chromium). It is
        # closed with the map (``AOIMap._closes_with``).
        self.retired.append(old)

    # -- what the browser sends ------------------------------------------------------------------

    def _on_draw_event(self, _control: Any, action: str, geo_json: Any) -> None:
        """Custom messages from Geoman; reacting to them as well as to ``data`` keeps the AOI
        right when only the message arrives."""
        features = [f for f in (geo_json if isinstance(geo_json, list) else [geo_json]) if f]
        if action == "create" and features:
            self.latest = features[-1].get("geometry")
            self._on_drawn(features[-1])
        elif action == "remove":
            removed = [f.get("geometry") for f in features]
            if self.latest in removed:
                self.latest = None
            remaining = [f for f in self.control.data if f.get("geometry") not in removed]
            self._from_features(remaining)
        elif action != "vertexadded":
            self._from_features(features)

    def _on_data(self, change: dict[str, Any]) -> None:
        if not self._writing:
            self._from_features(list(change["new"] or []))

    def _from_features(self, features: list[dict[str, Any]]) -> None:
        if not features:
            self._on_drawn(None)
            return
        if len(features) > 1:
            newest = [f for f in features if f.get("geometry") == self.latest]
            if newest:
                # A newly drawn shape replaces the previous AOI: one order, one area.
                self.show(newest[-1]["geometry"])
                self._on_drawn(newest[-1])
                return
            self._on_drawn({"type": "FeatureCollection", "features": features})
            return
        self._on_drawn(features[0])

    # -- the control -----------------------------------------------------------------------------

    def _new_control(self, points: bool) -> ipyleaflet.GeomanDrawControl:
        return ipyleaflet.GeomanDrawControl(**_tools(points), cut=False, rotate=False)

    def _listen(self, control: ipyleaflet.GeomanDrawControl) -> None:
        control.on_draw(self._on_draw_event)
        control.observe(self._on_data, names="data")


def _tools(points: bool) -> dict[str, dict[str, Any]]:
    return {
        "polygon": _AREA_TOOL,
        "rectangle": _AREA_TOOL,
        "marker": dict(_POINT_TOOL) if points else {},
        "circle": {},
        "circlemarker": {},
        "polyline": {},
    }


__all__ = ["DrawTool", "feature"]
