"""Every map of the package carries the offline world (Natural Earth land, coastline, borders)
under its tiles, sent to the browser once per map; shapes set from code are drawn on the AOI
map and the map moves to them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import comm
import ipyleaflet
import pytest
import shapely.geometry
from comm.base_comm import BaseComm

from stat_widgets.widgets import AOIMap
from stat_widgets.widgets.order_browser.footprint_map import FootprintMap
from stat_widgets.widgets.world_layer import NAME, PANE

from ._shapes import SQUARE, drawn, polygon

#: What the issue allows the world layer to send to the browser, per map.
MAX_BYTES = 250_000


class Sent:
    """Messages widget comms published, by comm id, as the kernel would serialise them."""

    def __init__(self) -> None:
        self.messages: dict[str, list[int]] = {}

    def to(self, widget: Any) -> list[int]:
        return self.messages.get(widget.model_id, [])


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sent]:
    record = Sent()

    class RecordingComm(BaseComm):
        def publish_msg(self, msg_type: str, data: Any = None, metadata: Any = None, **keys: Any):
            size = len(json.dumps(data or {}, default=str, ensure_ascii=False).encode())
            record.messages.setdefault(self.comm_id, []).append(size)

    monkeypatch.setattr(comm, "create_comm", lambda *a, **k: RecordingComm(*a, **k))
    yield record


def world_layers(map_: ipyleaflet.Map) -> list[ipyleaflet.GeoJSON]:
    return [layer for layer in map_.layers if getattr(layer, "name", "") == NAME]


def assert_world_under_the_tiles(map_: ipyleaflet.Map) -> ipyleaflet.GeoJSON:
    (layer,) = world_layers(map_)
    assert int(map_.panes[PANE]["zIndex"]) < 200  # Leaflet's tile pane
    kinds = [f["properties"]["kind"] for f in layer.data["features"]]
    assert kinds == ["sea", "land", "borders"]
    for feature in layer.data["features"]:
        style = feature["properties"]["style"]
        assert style["pane"] == PANE and style["interactive"] is False, style
    land = shapely.geometry.shape(layer.data["features"][1]["geometry"])
    assert land.contains(shapely.geometry.Point(8.68, 50.11))  # Frankfurt
    assert not land.contains(shapely.geometry.Point(-30.0, 30.0))  # the Atlantic
    assert not land.contains(shapely.geometry.Point(18.0, 35.0))  # the Mediterranean
    assert len(land.geoms) > 100 and land.area > 15_000  # continents and islands, in degrees²
    borders = shapely.geometry.shape(layer.data["features"][2]["geometry"])
    franco_german = shapely.geometry.box(7.5, 47.5, 8.3, 49.0)  # along the upper Rhine
    assert borders.intersects(franco_german)
    # No edge runs across the map (a ring crossing the antimeridian would be drawn so); only
    # Antarctica's goes round by the pole, beyond what Web Mercator shows.
    long_edges = [
        (a, b)
        for ring in (r for p in land.geoms for r in [p.exterior, *p.interiors])
        for a, b in zip(ring.coords, ring.coords[1:], strict=False)
        if abs(a[0] - b[0]) >= 180
    ]
    assert long_edges == [((180.0, -90.0), (-180.0, -90.0))]
    return layer


@pytest.mark.parametrize("basemap", [True, False])
def test_the_aoi_map_has_the_world_with_or_without_tiles(basemap: bool) -> None:
    aoi = AOIMap(basemap=basemap)
    assert_world_under_the_tiles(aoi.map)
    tiles = [layer for layer in aoi.map.layers if isinstance(layer, ipyleaflet.TileLayer)]
    assert bool(tiles) is basemap


def shown(footprints: FootprintMap) -> FootprintMap:
    """What the map's front end sends once its view is on the page: the page's URL."""
    footprints.set_state({"window_url": "http://127.0.0.1/lab/tree/browse.ipynb"})
    return footprints


def test_the_order_browser_map_has_the_world_once_it_is_shown(sent: Sent) -> None:
    """The footprint map gets its world when its front end first reports (the page is
    painted), not while the browser is built; its pane is there from the start (a map whose
    panes change is drawn again)."""
    footprints = FootprintMap()
    assert world_layers(footprints) == [] and footprints.world_layer is None
    assert PANE in footprints.panes
    shown(footprints)
    assert_world_under_the_tiles(footprints)
    (layer,) = world_layers(footprints)
    assert footprints.world_layer is layer
    footprints.set_state({"south": 10.0, "north": 20.0, "east": 5.0, "west": -5.0})
    assert world_layers(footprints) == [layer]  # added once, sent once
    (created,) = sent.to(layer)
    assert 50_000 < created <= MAX_BYTES


def test_the_world_is_sent_once_per_map_and_never_again(sent: Sent) -> None:
    aoi = AOIMap()
    layer = aoi.world_layer
    (created,) = sent.to(layer)
    assert 50_000 < created <= MAX_BYTES
    aoi.go_to("Frankfurt")
    aoi.go_to("5.8, 47.2, 15.0, 55.0")
    aoi.set_geometry(polygon(SQUARE))
    aoi.draw_control._handle_custom_msg(
        {"event": "pm:create", "geo_json": drawn(polygon(SQUARE))}, []
    )
    aoi.accept_points = True  # the draw control is replaced
    aoi.max_area_km2 = 10
    aoi.clear()
    assert sent.to(layer) == [created]
    # A second map has its own copy (a widget is one map's layer), sent once too.
    other = shown(FootprintMap())
    assert other.world_layer is not layer and sent.to(other.world_layer) == [created]


def test_the_data_is_read_by_the_first_map_not_on_import() -> None:
    """An audit hook in a fresh interpreter sees which files are opened: none of the bundled
    data on import (even of the widgets), the world layer's when a map is built, and the
    gazetteer's only on a "Go to" a place."""
    probe = """
import sys
opened = []
sys.addaudithook(lambda event, args: event == "open" and opened.append(str(args[0])))
def data():
    return sorted({p.rsplit("/", 1)[-1] for p in opened if "stat_widgets/data" in p})
import stat_widgets
from stat_widgets import AOIMap, OrderForm, OrderBrowser
print("import:", data())
aoi = AOIMap(basemap=False)
aoi.go_to("50, 8")
print("map:", data())
aoi.go_to("Frankfurt")
print("go to:", data())
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    ).stdout.splitlines()
    assert out == [
        "import: []",
        "map: ['natural_earth_110m.json']",
        "go to: ['countries.tsv', 'natural_earth_110m.json', 'places.tsv.gz']",
    ]


# -- shapes set from code are drawn and shown --------------------------------------------------

#: About 13 km × 9 km around Frankfurt's airport, far from the map's first view.
FRANKFURT = [[8.50, 50.00], [8.68, 50.00], [8.68, 50.08], [8.50, 50.08], [8.50, 50.00]]


def upload(aoi: AOIMap, text: str) -> None:
    """What the browser sends when a file is chosen in the upload button."""
    content = text.encode()
    aoi.upload.set_state(
        {
            "value": [
                {
                    "name": "aoi.geojson",
                    "type": "application/geo+json",
                    "size": len(content),
                    "content": content,
                    "last_modified": 1_700_000_000_000,
                }
            ]
        }
    )


def paste(aoi: AOIMap, text: str) -> None:
    aoi.paste_text.value = text
    aoi.paste_button.click()


def typed_bbox(aoi: AOIMap, _text: str) -> None:
    for name, value in zip(
        ("west", "south", "east", "north"), (8.5, 50.0, 8.68, 50.08), strict=True
    ):
        aoi.bbox_inputs[name].value = value
    aoi.bbox_button.click()


WKT = "POLYGON ((8.50 50.00, 8.68 50.00, 8.68 50.08, 8.50 50.08, 8.50 50.00))"
GEOJSON = json.dumps({"type": "Feature", "properties": {}, "geometry": polygon(FRANKFURT)})
ENTRY_POINTS = {
    "set_geometry": lambda aoi: aoi.set_geometry(polygon(FRANKFURT)),
    "set_geometry_wkt": lambda aoi: aoi.set_geometry(WKT),
    "geometry_trait": lambda aoi: setattr(aoi, "geometry", polygon(FRANKFURT)),
    "use_text": lambda aoi: aoi.use_text(GEOJSON),
    "use_bbox": lambda aoi: aoi.use_bbox(8.5, 50.0, 8.68, 50.08),
    "upload": lambda aoi: upload(aoi, GEOJSON),
    "paste": lambda aoi: paste(aoi, WKT),
    "bbox_tab": lambda aoi: typed_bbox(aoi, ""),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_a_shape_set_from_code_is_drawn_and_the_map_moves_to_it(entry: str) -> None:
    aoi = AOIMap(basemap=False)
    assert (aoi.map.center, aoi.map.zoom) == ([20.0, 0.0], 2)
    ENTRY_POINTS[entry](aoi)

    assert aoi.error == "" and aoi.geometry is not None
    (feature,) = aoi.draw_control.data  # a layer of the draw control: on the map, editable
    shown = shapely.geometry.shape(feature["geometry"])
    assert shown.equals(shapely.geometry.shape(polygon(FRANKFURT)))
    lat, lon = aoi.map.center
    assert shown.contains(shapely.geometry.Point(lon, lat))  # centred on it
    # ... and zoomed to it: the 0.18° × 0.08° box fits a 480 × 300 view at this zoom, with
    # room to spare, but not two levels closer.
    degrees_per_px = 360 / (256 * 2**aoi.map.zoom)
    assert 0.18 / degrees_per_px <= 480
    assert 0.18 / (degrees_per_px / 4) > 480
