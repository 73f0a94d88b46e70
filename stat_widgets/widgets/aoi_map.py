"""The area of interest: drawn on a map, uploaded, pasted or typed as a bbox.

Whatever the source, the AOI ends up in one place, the draw control's ``data`` (so it shows on
the map, can be edited there, and the map moves to it), and in one trait, ``geometry``.
Validity is decided by the model layer (``to_geometry``); this widget only adds the product's
limits, which it is told through ``max_area_km2``, ``max_vertices`` and ``accept_points``.

Above the map, "Go to" (``go_to``) moves it to a place, a point or a box; under the tiles lies
the bundled Natural Earth world, so the map shows land and borders even offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipyleaflet
import ipywidgets as widgets
import traitlets

from stat_widgets.errors import ValidationError
from stat_widgets.widgets import _html
from stat_widgets.widgets._errors import ErrorLabel, describe
from stat_widgets.widgets.go_to import GoToBox
from stat_widgets.widgets.map_view import centre_of, zoom_for_square, zoom_to_fit
from stat_widgets.widgets.world_layer import add_world

if TYPE_CHECKING:
    from stat_widgets.models.places import Destination

# The geometry models (shapely) are imported where they are used: they load with the first
# AOI, not when a notebook imports the widgets.

#: Draw tools offered on the map. A non-empty dict enables a Geoman tool, an empty one hides it.
_AREA_TOOL: dict[str, Any] = {"pathOptions": {}}
_POINT_TOOL: dict[str, Any] = {"continueDrawing": False}

_NO_AOI = "No AOI yet: draw a polygon or rectangle on the map, upload a GeoJSON file, paste "
_NO_AOI += "GeoJSON or WKT, or type a bbox."


def _feature(geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {}, "geometry": geometry}


def _upload_bytes(entry: Any) -> bytes:
    """The content of one ``FileUpload`` entry (a memoryview from the browser, bytes from a
    test or a restored notebook)."""
    content = entry["content"]
    return content.tobytes() if isinstance(content, memoryview) else bytes(content)


class AOIMap(widgets.VBox):
    """Draw, upload, paste or type the area of interest; ``geometry`` is the result."""

    #: The current AOI as a GeoJSON geometry dict (validated, re-wound), or ``None`` when there
    #: is none or the input is invalid (then ``error`` says why).
    geometry = traitlets.Dict(allow_none=True, default_value=None)
    #: Geodesic area of ``geometry`` in km² (0 for points), ``None`` without a geometry.
    area_km2 = traitlets.Float(allow_none=True, default_value=None)
    vertices = traitlets.Int(allow_none=True, default_value=None)
    #: Why the last input is not usable (the model's message, or the product's limit); "" if ok.
    error = traitlets.Unicode("")
    max_area_km2 = traitlets.Float(allow_none=True, default_value=None)
    max_vertices = traitlets.Int(allow_none=True, default_value=None)
    #: Whether the product takes a point: enables the marker tool and accepts pasted points.
    accept_points = traitlets.Bool(False)
    #: How an uploaded or pasted AOI was simplified to fit ``max_vertices`` ("" if it was not).
    simplified = traitlets.Unicode("")
    #: How a drawn AOI was brought into −180…180° ("" if it did not need to be): moved from a
    #: repeated world copy, or cut in two where it crosses the antimeridian.
    wrapped = traitlets.Unicode("")

    def __init__(self, *, basemap: bool = True, **kwargs: Any) -> None:
        self._writing_map = False
        self._setting = False
        self._latest_drawn: dict[str, Any] | None = None
        self.draw_control = self._new_draw_control()
        self._listen(self.draw_control)
        map_kwargs: dict[str, Any] = {"center": (20.0, 0.0), "zoom": 2, "scroll_wheel_zoom": True}
        self.map = ipyleaflet.Map(**map_kwargs)
        if not basemap:
            self.map.layers = ()
        # Under the tiles, and all there is to see when they do not load (offline machines).
        self.world_layer = add_world(self.map)
        self.map.layout.height = "400px"
        self.map.add(ipyleaflet.ScaleControl(position="bottomleft", imperial=False))
        self.map.add(self.draw_control)
        self.go_to_box = GoToBox(self.map)
        self.summary = widgets.HTML(_html.muted(_NO_AOI))
        self.error_label = ErrorLabel()
        #: Messages about ``geometry`` from outside (the request validation, the server).
        self.feedback = ErrorLabel()

        self.upload = widgets.FileUpload(
            accept=".geojson,.json,.wkt,.txt,application/geo+json,application/json",
            multiple=False,
            description="GeoJSON file",
        )
        self.paste_text = widgets.Textarea(
            placeholder='{"type": "Polygon", ...}  or  POLYGON ((...))',
            layout=widgets.Layout(width="100%", height="6em"),
        )
        self.paste_button = widgets.Button(description="Use pasted AOI", icon="check")
        self.bbox_inputs = {
            name: widgets.FloatText(description=name, layout=widgets.Layout(width="11em"))
            for name in ("west", "south", "east", "north")
        }
        self.bbox_button = widgets.Button(description="Use bbox", icon="check")
        self.clear_button = widgets.Button(description="Clear AOI", icon="trash")

        self.sources = widgets.Tab(
            children=[
                widgets.VBox([self.upload]),
                widgets.VBox([self.paste_text, self.paste_button]),
                widgets.VBox([widgets.HBox(list(self.bbox_inputs.values())), self.bbox_button]),
            ],
            titles=("Upload", "Paste GeoJSON / WKT", "Bounding box"),
        )
        super().__init__(
            [
                self.go_to_box,
                self.map,
                widgets.HBox([self.summary, self.clear_button]),
                self.error_label,
                self.feedback,
                self.sources,
            ],
            **kwargs,
        )
        self.upload.observe(self._on_upload, names="value")
        self.paste_button.on_click(lambda _b: self.use_text(self.paste_text.value))
        self.bbox_button.on_click(lambda _b: self.use_bbox(*self._bbox_values()))
        self.clear_button.on_click(lambda _b: self.clear())

    # -- public Python paths (the buttons call these) ------------------------------------------

    def set_geometry(self, obj: Any) -> dict[str, Any] | None:
        """Use anything ``to_geometry`` accepts as the AOI and show it on the map. Invalid input
        leaves the map as it is, sets ``geometry`` to ``None`` and ``error`` to the reason."""
        return self._accept(obj, show_on_map=True)

    def use_text(self, text: str) -> dict[str, Any] | None:
        """Pasted GeoJSON (geometry, Feature, FeatureCollection) or WKT; the model reads both."""
        return self.set_geometry(text)

    def use_bbox(self, west: float, south: float, east: float, north: float) -> dict | None:
        from stat_widgets.models.geometry import bbox_geometry

        try:
            geometry = bbox_geometry(west, south, east, north)
        except ValidationError as exc:
            self._reject(exc)
            return None
        return self.set_geometry(geometry)

    def go_to(self, text: str) -> Destination | None:
        """Centre the map on a place name (offline gazetteer), ``lat, lon`` or ``west, south,
        east, north``, as typed in the "Go to" box. Returns where it went, or ``None`` when the
        text could not be used (``go_to_box.error`` says why, next to the box)."""
        return self.go_to_box.go(text)

    def clear(self) -> None:
        """Remove the AOI from the map and from ``geometry``."""
        self._latest_drawn = None
        self._write_map(None)
        self._set(None, "")

    # -- browser events ------------------------------------------------------------------------

    def _on_draw_event(self, _control: Any, action: str, geo_json: Any) -> None:
        """Custom messages from Geoman. ``create`` carries the new shape only; ``remove`` the
        shape removed; the edit events carry every shape. The browser follows each with a
        ``data`` update, which ``_on_map_data`` handles; reacting here as well keeps the AOI
        right when only the message arrives."""
        features = [f for f in (geo_json if isinstance(geo_json, list) else [geo_json]) if f]
        if action == "create" and features:
            self._latest_drawn = features[-1].get("geometry")
            self._accept_drawn(features[-1])
        elif action == "remove":
            removed = [f.get("geometry") for f in features]
            if self._latest_drawn in removed:
                self._latest_drawn = None
            remaining = [f for f in self.draw_control.data if f.get("geometry") not in removed]
            self._from_features(remaining)
        elif action != "vertexadded":
            self._from_features(features)

    def _on_map_data(self, change: dict[str, Any]) -> None:
        if not self._writing_map:
            self._from_features(list(change["new"] or []))

    def _from_features(self, features: list[dict[str, Any]]) -> None:
        if not features:
            self._set(None, "")
            return
        if len(features) > 1:
            newest = [f for f in features if f.get("geometry") == self._latest_drawn]
            if newest:
                # A newly drawn shape replaces the previous AOI: one order, one area.
                self._write_map(newest[-1]["geometry"], recenter=False)
                self._accept_drawn(newest[-1])
                return
            self._accept_drawn({"type": "FeatureCollection", "features": features})
            return
        self._accept_drawn(features[0])

    def _on_upload(self, change: dict[str, Any]) -> None:
        entries = list(change["new"] or [])
        if not entries:
            return
        entry = entries[-1]
        # Forget the file once read: the same file can be chosen again after an edit, and its
        # content is not saved into the notebook with the widget state.
        self.upload.value = ()
        try:
            text = _upload_bytes(entry).decode("utf-8-sig")
        except UnicodeDecodeError:
            self._reject(
                ValidationError(f"{entry.get('name', 'file')} is not a text file", field="geometry")
            )
            return
        self.use_text(text)

    def _bbox_values(self) -> tuple[float, float, float, float]:
        b = self.bbox_inputs
        return (b["west"].value, b["south"].value, b["east"].value, b["north"].value)

    # -- state ---------------------------------------------------------------------------------

    def _accept_drawn(self, obj: dict[str, Any]) -> None:
        """Shapes from the map, in Leaflet's longitudes, which run on past ±180° across the
        repeated world copies: brought into range (and cut at the antimeridian) first. The
        drawing on the map stays as the user drew it."""
        from stat_widgets.models.antimeridian import wrap_antimeridian

        collection = obj.get("type") == "FeatureCollection"
        features = (obj.get("features") or []) if collection else [obj]
        notes: list[str] = []
        in_range = []
        for feature in features:
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            result = wrap_antimeridian(geometry)
            if result.note:
                notes.append(result.note)
                feature = {**feature, "geometry": result.geometry}
            in_range.append(feature)
        obj = {**obj, "features": in_range} if collection else in_range[0]
        self._accept(obj, show_on_map=False, wrapped=" ".join(dict.fromkeys(notes)))

    def _accept(self, obj: Any, *, show_on_map: bool, wrapped: str = "") -> dict[str, Any] | None:
        from stat_widgets.models.geometry import to_geometry

        try:
            geometry = to_geometry(obj)
        except ValidationError as exc:
            self._reject(exc)
            return None
        note = ""
        if show_on_map:
            # An uploaded or pasted outline (a field boundary with 10⁵ vertices) is simplified
            # to what the product takes, and the user is told by how much; a drawn shape is
            # the user's own and is never changed behind their back.
            geometry, note = self._fit_vertex_limit(geometry)
            self._latest_drawn = None
            self._write_map(geometry)
        self._set(geometry, self._limit_error(geometry), simplified=note, wrapped=wrapped)
        return geometry

    def _fit_vertex_limit(self, geometry: dict[str, Any]) -> tuple[dict[str, Any], str]:
        from stat_widgets.models.geometry import simplify_to_limit, vertex_count

        if self.max_vertices is None or vertex_count(geometry) <= self.max_vertices:
            return geometry, ""
        try:
            result = simplify_to_limit(geometry, self.max_vertices)
        except ValidationError:
            return geometry, ""  # the vertex-limit message explains what to do instead
        note = (
            f"Simplified from {result.vertices_before:,} to {result.vertices_after:,} vertices "
            f"to fit this product's limit of {self.max_vertices:,}; the outline moved by at "
            f"most {result.error_m:,.0f} m."
        )
        return result.geometry, note

    def _reject(self, exc: ValidationError) -> None:
        self._set(None, describe(exc.for_field("geometry") or exc.errors, field_prefix="geometry"))

    def _limit_error(self, geometry: dict[str, Any]) -> str:
        """The product's limits, in the model's words, under the map as soon as the AOI is
        drawn (the request validation checks them again)."""
        from stat_widgets.models.geometry import limit_problems

        if geometry.get("type") in ("Point", "MultiPoint") and not self.accept_points:
            return "This product does not accept points: draw a polygon or rectangle."
        problems = limit_problems(
            geometry, max_area_km2=self.max_area_km2, max_vertices=self.max_vertices
        )
        return " ".join(p.message[:1].upper() + p.message[1:] + "." for p in problems)

    def _set(
        self,
        geometry: dict[str, Any] | None,
        error: str,
        *,
        simplified: str = "",
        wrapped: str = "",
    ) -> None:
        from stat_widgets.models.geometry import geodesic_area_km2, vertex_count

        self._setting = True
        try:
            with self.hold_trait_notifications():
                self.geometry = geometry
                self.area_km2 = None if geometry is None else geodesic_area_km2(geometry)
                self.vertices = None if geometry is None else vertex_count(geometry)
                self.error = error
                self.simplified = simplified
                self.wrapped = wrapped
        finally:
            self._setting = False
        self._render()

    @traitlets.observe("geometry")
    def _on_geometry_assigned(self, change: dict[str, Any]) -> None:
        """``aoi.geometry = {...}`` from user code goes through the same path as a paste."""
        if self._setting:
            return
        if change["new"] is None:
            self.clear()
        else:
            self.set_geometry(change["new"])

    def _write_map(self, geometry: dict[str, Any] | None, *, recenter: bool = True) -> None:
        self._writing_map = True
        try:
            self.draw_control.data = [] if geometry is None else [_feature(geometry)]
        finally:
            self._writing_map = False
        if geometry is not None and recenter:
            from stat_widgets.models.geometry import as_shape

            bounds = as_shape(geometry).bounds  # the shape built when it was validated
            self.map.center = centre_of(bounds)
            point = bounds[0] == bounds[2] and bounds[1] == bounds[3]
            self.map.zoom = (
                zoom_for_square(bounds[1]) if point else zoom_to_fit(bounds, max_zoom=16)
            )

    def _render(self) -> None:
        self.error_label.message = self.error
        if self.geometry is None:
            self.summary.value = _html.muted("No valid AOI." if self.error else _NO_AOI)
            return
        kind = self.geometry.get("type", "")
        summary = f"{kind} · {self.vertices:,} vertices · {self.area_km2:,.2f} km²"
        for note in (self.simplified, self.wrapped):
            if note:
                summary += f" · {note}"
        self.summary.value = _html.text(summary)

    @traitlets.observe("max_area_km2", "max_vertices", "accept_points")
    def _on_limits(self, change: dict[str, Any]) -> None:
        if change["name"] == "accept_points":
            self._sync_point_tool()
        if self.geometry is not None:
            self._set(
                self.geometry,
                self._limit_error(self.geometry),
                simplified=self.simplified,
                wrapped=self.wrapped,
            )

    def _new_draw_control(self) -> ipyleaflet.GeomanDrawControl:
        return ipyleaflet.GeomanDrawControl(
            polygon=_AREA_TOOL,
            rectangle=_AREA_TOOL,
            marker=dict(_POINT_TOOL) if self.accept_points else {},
            circle={},
            circlemarker={},
            polyline={},
            cut=False,
            rotate=False,
        )

    def _listen(self, control: ipyleaflet.GeomanDrawControl) -> None:
        control.on_draw(self._on_draw_event)
        control.observe(self._on_map_data, names="data")

    def _sync_point_tool(self) -> None:
        """Offer the marker tool exactly when points are accepted. The Geoman view reads its
        tools only when it is created, so the control is replaced (keeping the drawing)."""
        wanted = dict(_POINT_TOOL) if self.accept_points else {}
        old = self.draw_control
        if old.marker == wanted:
            return
        new = self._new_draw_control()
        new.data = list(old.data)
        self._listen(new)
        old.on_draw(self._on_draw_event, remove=True)
        old.unobserve(self._on_map_data, names="data")
        self.map.remove(old)
        self.map.add(new)
        self.draw_control = new
        # Not ``old.close()``: Geoman keeps one toolbar per map, and closing the old view after
        # the new one drew its toolbar removes that toolbar too (seen in Chromium).


__all__ = ["AOIMap"]
