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
from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorLabel, describe
from stat_widgets.widgets._lifecycle import ClosesTree, ShowsWhenFilled
from stat_widgets.widgets.aoi_draw import DrawTool
from stat_widgets.widgets.aoi_sources import BBOX, PASTE, UPLOAD, AOISources
from stat_widgets.widgets.go_to import GoToBox, go_to_marker
from stat_widgets.widgets.leaflet_map import leaflet_map
from stat_widgets.widgets.map_view import centre_of, zoom_for_square, zoom_to_fit
from stat_widgets.widgets.world_layer import PANE, PANE_STYLE, world_layer

# The geometry models (shapely) are imported where they are used: they load with the first
# AOI, not when a notebook imports the widgets.
if TYPE_CHECKING:
    from stat_widgets.models import Product
    from stat_widgets.models.geometry import AnyGeometry
    from stat_widgets.models.places import Destination

_NO_AOI = "No AOI yet: draw a polygon or rectangle on the map, upload a GeoJSON file, paste "
_NO_AOI += "GeoJSON or WKT, or type a bbox."


def _upload_bytes(entry: Any) -> bytes:
    """The content of one ``FileUpload`` entry (a memoryview from the browser, bytes from a
    test or a restored notebook)."""
    content = entry["content"]
    return content.tobytes() if isinstance(content, memoryview) else bytes(content)


class AOIMap(ShowsWhenFilled, ClosesTree, widgets.VBox):
    """Draw, upload, paste or type the area of interest; ``geometry`` is the result."""

    #: The current AOI as a GeoJSON geometry dict (validated, re-wound), or ``None`` when there
    #: is none or the input is invalid (then ``error`` says why).
    geometry = traitlets.Dict(
        allow_none=True,
        default_value=None,
        help="the AOI as a validated GeoJSON geometry dict; None without one (error says why)",
    )
    #: Geodesic area of ``geometry`` in km² (0 for points), ``None`` without a geometry.
    area_km2 = traitlets.Float(
        allow_none=True, default_value=None, help="geodesic area of geometry in km² (0 for points)"
    )
    vertices = traitlets.Int(
        allow_none=True, default_value=None, help="distinct vertices of geometry"
    )
    #: Why the last input is not usable (the model's message, or the product's limit); "" if ok.
    error = traitlets.Unicode("", help="why the last input is not usable, as shown; '' if it is")
    max_area_km2 = traitlets.Float(
        allow_none=True, default_value=None, help="the product's largest AOI in km²; None: any"
    )
    max_vertices = traitlets.Int(
        allow_none=True, default_value=None, help="the product's most vertices; None: any"
    )
    #: Whether the product takes a point: enables the marker tool and accepts pasted points.
    accept_points = traitlets.Bool(
        False, help="whether the product takes points (offers the marker tool)"
    )
    #: How an uploaded or pasted AOI was simplified to fit ``max_vertices`` ("" if it was not).
    simplified = traitlets.Unicode(
        "", help="how an uploaded or pasted AOI was simplified to max_vertices; '' if not"
    )
    #: How a drawn AOI was brought into −180…180° ("" if it did not need to be): moved from a
    #: repeated world copy, or cut in two where it crosses the antimeridian.
    wrapped = traitlets.Unicode(
        "", help="how a drawn AOI was brought into -180..180° (moved or cut); '' if not"
    )

    def __init__(self, *, basemap: bool = True, **kwargs: Any) -> None:
        self._setting = False
        #: The Geoman control and what the person drew with it (``aoi_draw``).
        self.drawing = DrawTool(self._on_drawn, points=self.accept_points)
        # Under the tiles, and all there is to see when they do not load (offline machines).
        self.world_layer = world_layer()
        marker = go_to_marker()
        # Everything the map starts with in its creation message (``leaflet_map``).
        self.map = leaflet_map(
            basemap=basemap,
            layers=(self.world_layer, marker),
            controls=(
                ipyleaflet.ScaleControl(position="bottomleft", imperial=False),
                self.drawing.control,
            ),
            panes={PANE: PANE_STYLE},
            height="400px",
            center=(20.0, 0.0),
            zoom=2,
            scroll_wheel_zoom=True,
        )
        self.drawing.attach(self.map)
        self.go_to_box = GoToBox(self.map, marker=marker)
        self.summary = _shared.html(_html.muted(_NO_AOI))
        #: The one label for what is wrong with the AOI: the input itself, the product's limits
        #: (``error``) and what the server said about ``geometry`` (routed by the form).
        self.feedback = ErrorLabel()
        self.error_label = self.feedback  # the same label, under its older name
        self._product: Product | None = None

        self.clear_button = _shared.button(description="Clear AOI", icon="trash")
        #: Upload, paste, bounding box: each tab's controls are made when first shown or used.
        self.sources = AOISources(
            on_upload=self._on_upload, on_paste=self.use_text, on_bbox=self.use_bbox
        )
        content = [
            self.go_to_box,
            self.map,
            _shared.hbox([self.summary, self.clear_button]),
            self.feedback,
            self.sources,
        ]
        super().__init__(self._shown_when_filled(content, self.feedback), **kwargs)
        self.clear_button.on_click(lambda _b: self.clear())

    # -- the tabs' controls (made on first use) ------------------------------------------------

    @property
    def upload(self) -> widgets.FileUpload:
        return self.sources.page(UPLOAD)["upload"]

    @property
    def paste_text(self) -> widgets.Textarea:
        return self.sources.page(PASTE)["text"]

    @property
    def paste_button(self) -> widgets.Button:
        return self.sources.page(PASTE)["button"]

    @property
    def bbox_inputs(self) -> dict[str, widgets.FloatText]:
        return self.sources.page(BBOX)["inputs"]

    @property
    def bbox_button(self) -> widgets.Button:
        return self.sources.page(BBOX)["button"]

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

    def set_product(self, product: Product | None) -> None:
        """Take the product's limits (area, vertices, geometry types; ``None``: none): the
        marker tool follows them, uploads are simplified to them, and the AOI is checked
        against them by the model's rule (``Product.geometry_problems``, which the request
        validation applies), with the message shown once, under the map."""
        self._product = product
        with self.hold_trait_notifications():
            self.max_area_km2 = product.max_area_km2 if product else None
            self.max_vertices = product.max_vertices if product else None
            self.accept_points = product.accepts_points if product else False
        if self.geometry is not None:
            self._recheck()

    def clear(self) -> None:
        """Remove the AOI from the map and from ``geometry``."""
        self.drawing.latest = None
        self._write_map(None)
        self._set(None, "")

    @property
    def draw_control(self) -> ipyleaflet.GeomanDrawControl:
        """The map's draw control (replaced when ``accept_points`` changes)."""
        return self.drawing.control

    # -- browser events ------------------------------------------------------------------------

    def _on_drawn(self, obj: dict[str, Any] | None) -> None:
        """What the person drew on the map (``DrawTool``), or ``None`` when nothing is."""
        if obj is None:
            self._set(None, "")
        else:
            self._accept_drawn(obj)

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
        from stat_widgets.models.geometry import read_geometry

        try:
            # the geometry with the shape its validation built: measured, checked and shown
            # below without building it again (what a 10⁵-vertex upload notices)
            geometry: AnyGeometry = read_geometry(obj)
        except ValidationError as exc:
            self._reject(exc)
            return None
        note = ""
        if show_on_map:
            # An uploaded or pasted outline (a field boundary with 10⁵ vertices) is simplified
            # to what the product takes, and the user is told by how much; a drawn shape is
            # the user's own and is never changed behind their back.
            geometry, note = self._fit_vertex_limit(geometry)
            self.drawing.latest = None
            self._write_map(geometry)
        self._set(geometry, self._limit_error(geometry), simplified=note, wrapped=wrapped)
        return self.geometry

    def _fit_vertex_limit(self, geometry: AnyGeometry) -> tuple[AnyGeometry, str]:
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
        return result.checked, note

    def _reject(self, exc: ValidationError) -> None:
        self._set(None, describe(exc.for_field("geometry") or exc.errors, field_prefix="geometry"))

    def _limit_error(self, geometry: AnyGeometry) -> str:
        """The product's limits, by the model's rule and in its words, under the map as soon
        as the AOI is drawn. While this is not empty the form builds no request, so the request
        validation never reports the same fact a second time."""
        from stat_widgets.models.geometry import limit_problems
        from stat_widgets.models.geometry.measure import geojson_of

        if geojson_of(geometry).get("type") in ("Point", "MultiPoint") and not self.accept_points:
            return "This product does not accept points: draw a polygon or rectangle."
        if self._product is not None:
            problems = self._product.geometry_problems(geometry)
        else:  # limits set on a map used on its own
            problems = limit_problems(
                geometry, max_area_km2=self.max_area_km2, max_vertices=self.max_vertices
            )
        return " ".join(p.message[:1].upper() + p.message[1:] + "." for p in problems)

    def _set(
        self,
        geometry: AnyGeometry | None,
        error: str,
        *,
        simplified: str = "",
        wrapped: str = "",
    ) -> None:
        self._setting = True
        try:
            with self.hold_trait_notifications():
                if geometry is None:
                    self.geometry = self.area_km2 = self.vertices = None
                else:
                    from stat_widgets.models.geometry import geodesic_area_km2, vertex_count
                    from stat_widgets.models.geometry.measure import geojson_of

                    self.geometry = geojson_of(geometry)
                    self.area_km2 = geodesic_area_km2(geometry)
                    self.vertices = vertex_count(geometry)
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

    def _write_map(self, geometry: AnyGeometry | None) -> None:
        if geometry is None:
            self.drawing.show(None)
            return
        from stat_widgets.models.geometry import as_shape
        from stat_widgets.models.geometry.measure import geojson_of

        self.drawing.show(geojson_of(geometry))
        bounds = as_shape(geometry).bounds  # the shape validation built, when given
        self.map.center = centre_of(bounds)
        point = bounds[0] == bounds[2] and bounds[1] == bounds[3]
        self.map.zoom = zoom_for_square(bounds[1]) if point else zoom_to_fit(bounds, max_zoom=16)

    def _render(self) -> None:
        self.feedback.own = self.error
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
            self._recheck()

    def _recheck(self) -> None:
        if self.geometry is not None:
            self._set(
                self.geometry,
                self._limit_error(self.geometry),
                simplified=self.simplified,
                wrapped=self.wrapped,
            )

    def _sync_point_tool(self) -> None:
        self.drawing.set_points(self.accept_points)

    def _closes_with(self) -> list[widgets.Widget]:
        """The draw controls replaced while the map was shown, and the label while it is not
        shown, closed with the widget."""
        return [*self.drawing.retired, *super()._closes_with()]


__all__ = ["AOIMap"]
