"""The footprints of the orders on the current page, coloured by status.

Footprints come from ``order.footprint``: the request's inline geometry, or the geometry the
server resolved its JSON Reference to; orders without either are simply not drawn. Each
status stage on the page has a GeoJSON layer whose style colours all of its footprints, so a
footprint travels as just its geometry and its row number; the selected one is drawn again,
heavier, in a layer of its own, so selecting sends one footprint rather than the page. Zooming
sets ``center`` and ``zoom`` from the bounds (``map_view.zoom_to_fit``), rather than
``Map.fit_bounds``, which needs a running event loop and a live front end to do anything.
Under the tiles lies the bundled world (``world_layer``), so the map shows land offline. It is
added when the map's front end first reports (its view exists: the page is painted), not while
the browser is built: reading and sending it is 137 KB and a third of the browser's build time,
and the table and footprints need not wait for it. Its pane is made at once (Leaflet re-renders
a map whose panes change).

The map is the widget itself (an ``ipyleaflet.Map``), with no box around it: one widget model
fewer to build and send per browser.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import ipyleaflet
import traitlets

from stat_widgets.models import Order
from stat_widgets.widgets._lifecycle import ClosesTree
from stat_widgets.widgets._shared import OpensWhenShown
from stat_widgets.widgets.map_view import centre_of, zoom_to_fit
from stat_widgets.widgets.order_browser.status import UNKNOWN_COLOUR, stage_of
from stat_widgets.widgets.world_layer import PANE, PANE_STYLE, add_world

Bounds = tuple[float, float, float, float]  # west, south, east, north

_EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}
_OTHER = "other"  # the layer of statuses this package does not know
#: The map's drawing area, roughly, for choosing a zoom that shows a whole footprint.
_VIEW: dict[str, Any] = {"width_px": 420, "height_px": 340, "max_zoom": 15}
_PAGE_STYLE = {"weight": 1.5, "opacity": 0.8, "fillOpacity": 0.15}
_SELECTED_STYLE = {"weight": 4, "opacity": 1.0, "fillOpacity": 0.45}


def footprint(order: Order) -> dict | None:
    """The order's footprint as a GeoJSON geometry dict, or ``None`` when there is none."""
    return order.footprint


def _box(geometry: Any) -> Bounds | None:
    """The bounds of one GeoJSON geometry, read from its coordinates (shapely's ``shape()``
    took a third of the time to draw a page of 100 footprints). Raises ``IndexError``,
    ``KeyError``, ``TypeError`` or ``ValueError`` for what is not GeoJSON."""
    if geometry["type"] == "GeometryCollection":
        return bounds_of(geometry["geometries"])
    positions = [geometry["coordinates"]]
    for _depth in range(4):  # a MultiPolygon nests deepest: polygons, rings, positions
        if isinstance(positions[0][0], int | float):
            break
        if not all(isinstance(item, list | tuple) for item in positions):
            raise TypeError("coordinates must be nested arrays of numbers")
        positions = [inner for outer in positions for inner in outer]
    else:
        raise TypeError("coordinates nest deeper than a MultiPolygon's")
    xs = [float(p[0]) for p in positions]
    ys = [float(p[1]) for p in positions]
    box = (min(xs), min(ys), max(xs), max(ys))
    return box if all(math.isfinite(v) for v in box) else None


def bounds_of(geometries: Iterable[dict]) -> Bounds | None:
    """The box around every readable geometry; ``None`` when there is none (a server's odd
    geometry is skipped rather than failing the view)."""
    boxes = []
    for geometry in geometries:
        try:
            box = _box(geometry)
        except (IndexError, KeyError, TypeError, ValueError):
            continue
        if box is not None:
            boxes.append(box)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _stage_name_and_colour(order: Order) -> tuple[str, str]:
    stage = stage_of(order.status)
    return (stage.name, stage.colour) if stage else (_OTHER, UNKNOWN_COLOUR)


def _collection(features: list[dict]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


class StyledLayer(OpensWhenShown, ipyleaflet.GeoJSON):
    """A GeoJSON layer whose ``style`` the front end applies to every feature. ipyleaflet's
    Python side would copy it into each feature and assign ``data`` a second time, so the
    page's footprints went to the browser twice, each with its own copy of the style. Sent
    when a map first shows it (``OpensWhenShown``): an opportunity search's footprints,
    for one, are made with the form and often never drawn."""

    def _get_data(self) -> dict:
        return self.data


class FootprintMap(ClosesTree, ipyleaflet.Map):
    """A map of one page's footprints. ``selected`` (an index into the orders last given to
    ``set_orders``) highlights and zooms to one of them; clicking a footprint sets it."""

    selected = traitlets.Int(-1, help="index of the highlighted order; -1 for none")
    fitted = traitlets.Tuple(
        allow_none=True, default_value=None, help="the bounds the view was last fitted to"
    )

    def __init__(self, **kwargs: Any) -> None:
        grab = ipyleaflet.MapStyle()  # one model for the cursor at rest and while dragging
        super().__init__(
            center=(20, 0),
            zoom=1,
            scroll_wheel_zoom=True,
            panes={PANE: PANE_STYLE},
            default_style=grab,
            dragging_style=grab,
            style=grab,
            **kwargs,
        )
        self.world_layer: ipyleaflet.GeoJSON | None = None  # on the first front-end report
        self.stage_layers: dict[str, StyledLayer] = {}  # made when a stage first shows
        self.highlight: StyledLayer | None = None  # made on the first selection
        self._orders: list[Order] = []
        self._geometries: dict[int, dict] = {}
        self.observe(self._shown, ["window_url", "bounds"])

    @property
    def map(self) -> FootprintMap:
        """The ipyleaflet map (this widget; the name other maps of the package use)."""
        return self

    def _shown(self, _change: traitlets.Bunch) -> None:
        """The front end reported its view's URL or bounds: the map is on screen."""
        self.unobserve(self._shown, ["window_url", "bounds"])
        self.add_world()

    def add_world(self) -> ipyleaflet.GeoJSON:
        """The offline world under the tiles (once; done by the map's first front-end
        report)."""
        if self.world_layer is None:
            self.world_layer = add_world(self)
        return self.world_layer

    # -- state ----------------------------------------------------------------------------------
    def set_orders(self, orders: Sequence[Order], *, selected: int = -1) -> None:
        """Draw the footprints of ``orders`` and fit the view to them (or to ``selected``)."""
        self._orders = list(orders)
        self._geometries = {}
        by_stage: dict[str, list[dict]] = {name: [] for name in self.stage_layers}
        colours: dict[str, str] = {}
        for index, order in enumerate(self._orders):
            geometry = footprint(order)
            if geometry is None:
                continue
            self._geometries[index] = geometry
            name, colour = _stage_name_and_colour(order)
            colours[name] = colour
            feature = {"type": "Feature", "id": index, "geometry": geometry, "properties": {}}
            by_stage.setdefault(name, []).append(feature)
        made = []
        for name, features in by_stage.items():
            layer = self.stage_layers.get(name)
            if layer is None:
                made.append(self._stage_layer(name, colours[name], _collection(features)))
            else:
                layer.data = _collection(features)
        if made:
            self._stack(made)
        if self.selected == selected:
            self._show_selected()  # the same row number, but a new page
        else:
            self.selected = selected

    @property
    def drawn(self) -> list[int]:
        """Indices of the orders whose footprints are on the map."""
        return sorted(self._geometries)

    def _stage_layer(self, name: str, colour: str, data: dict) -> StyledLayer:
        layer = StyledLayer(
            data=data,
            style={"color": colour, "fillColor": colour, **_PAGE_STYLE},
            hover_style={"weight": 3, "fillOpacity": 0.5},
            point_style={"radius": 6},
            name=f"Orders: {name}",
        )
        layer.on_click(self._clicked)
        self.stage_layers[name] = layer
        return layer

    def _stack(self, made: list[StyledLayer]) -> None:
        """New layers over whatever the map has (its base layers), under the highlight."""
        others = [x for x in self.layers if x is not self.highlight]
        top = [self.highlight] if self.highlight is not None else []
        self.layers = (*others, *made, *top)

    @traitlets.observe("selected")
    def _on_selected(self, _change: traitlets.Bunch) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        geometry = self._geometries.get(self.selected)
        if geometry is not None:
            _name, colour = _stage_name_and_colour(self._orders[self.selected])
            style = {"color": colour, "fillColor": colour, **_SELECTED_STYLE}
            data = _collection(
                [{"type": "Feature", "id": self.selected, "geometry": geometry, "properties": {}}]
            )
            if self.highlight is None:
                self.highlight = StyledLayer(data=data, style=style, name="Selected order")
                self.highlight.on_click(self._clicked)
                self.add(self.highlight)
            else:
                with self.highlight.hold_sync():
                    self.highlight.style, self.highlight.data = style, data
        elif self.highlight is not None:
            self.highlight.data = _EMPTY
        chosen = [geometry] if geometry is not None else list(self._geometries.values())
        self.fitted = bounds_of(chosen)
        if self.fitted is not None:
            with self.hold_sync():
                self.center = centre_of(self.fitted)
                self.zoom = zoom_to_fit(self.fitted, **_VIEW)

    # -- events ---------------------------------------------------------------------------------
    def _clicked(self, feature: dict | None = None, **event: Any) -> None:
        index = event.get("id", (feature or {}).get("id"))
        if isinstance(index, int) and index in self._geometries:
            self.selected = index

    def click_feature(self, index: int) -> None:
        """Do what a click on footprint ``index`` in the browser does (the layers' ``on_click``
        callback, with the event's arguments)."""
        for layer in self.stage_layers.values():
            for feature in layer.data["features"]:
                if feature["id"] == index:
                    self._clicked(feature=feature, properties={}, id=index, event="click")
                    return
        raise KeyError(f"no footprint for row {index}")


__all__ = ["Bounds", "FootprintMap", "StyledLayer", "bounds_of", "footprint"]
