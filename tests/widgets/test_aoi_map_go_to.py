""" "Go to" on the AOI map: a place, ``lat, lon`` or a box moves the map there (at a zoom where
a 100-pixel square is under 2,000 km², or fitting the box), an ambiguous name offers the other
places as buttons, and bad input leaves the map alone with a message next to the box."""

from __future__ import annotations

import math

import ipyleaflet
import pytest

from stat_widgets.models import geodesic_area_km2
from stat_widgets.widgets import AOIMap
from stat_widgets.widgets.go_to import PLACEHOLDER


@pytest.fixture
def aoi() -> AOIMap:
    return AOIMap(basemap=False)


def _world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    size = 256 * 2**zoom
    y = math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat)))
    return (lon + 180) / 360 * size, (1 - y / math.pi) / 2 * size


def _lat_lon(x: float, y: float, zoom: float) -> tuple[float, float]:
    size = 256 * 2**zoom
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
    return lat, x / size * 360 - 180


def square_km2(centre: tuple[float, float], zoom: float, side_px: int = 100) -> float:
    """The geodesic area of a ``side_px`` square drawn on screen around ``centre``, through
    Web Mercator's own formulas (not the package's)."""
    x, y = _world_px(*centre, zoom)
    half = side_px / 2
    corners = [
        (x - half, y - half),
        (x + half, y - half),
        (x + half, y + half),
        (x - half, y + half),
    ]
    ring = [[lon, lat] for lat, lon in (_lat_lon(cx, cy, zoom) for cx, cy in corners)]
    return geodesic_area_km2({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def fits(bounds: tuple[float, float, float, float], zoom: float, width: int, height: int) -> bool:
    west, south, east, north = bounds
    (x0, y0), (x1, y1) = _world_px(north, west, zoom), _world_px(south, east, zoom)
    return x1 - x0 <= width and y1 - y0 <= height


def test_the_box_sits_above_the_map_with_its_placeholder(aoi: AOIMap) -> None:
    assert aoi.children[0] is aoi.go_to_box
    assert aoi.children[1] is aoi.map
    assert aoi.go_to_box.text.placeholder == PLACEHOLDER == "Go to place, lat, lon or bbox"
    assert any(isinstance(c, ipyleaflet.ScaleControl) for c in aoi.map.controls)


def test_go_to_a_name_centres_at_a_site_zoom(aoi: AOIMap) -> None:
    destination = aoi.go_to("Frankfurt")
    assert destination is not None and destination.label == "Frankfurt am Main, Germany"
    assert aoi.map.center == pytest.approx([50.116, 8.684], abs=1e-3)
    zoom = aoi.map.zoom
    # A 100-pixel square drawn now is under 2,000 km²; one zoom level out it would not be.
    assert (
        square_km2(tuple(aoi.map.center), zoom)
        < 2000
        <= square_km2(tuple(aoi.map.center), zoom - 1)
    )
    assert aoi.go_to_box.error == "" and aoi.go_to_box.error_label.value == ""
    assert "Map centred on Frankfurt am Main, Germany." in aoi.go_to_box.result.value
    # The place is marked (a marker the browser draws without taking clicks).
    (feature,) = aoi.go_to_box.marker.data["features"]
    assert feature["geometry"]["coordinates"] == pytest.approx([8.684, 50.116], abs=1e-3)
    assert aoi.go_to_box.marker.point_style["interactive"] is False
    assert aoi.go_to_box.text.value == "Frankfurt"


def test_an_ambiguous_name_offers_the_other_places(aoi: AOIMap) -> None:
    aoi.go_to("Frankfurt")
    buttons = {b.description: b for b in aoi.go_to_box.alternatives.children[1:]}
    assert "Frankfurt (Oder), Germany" in buttons
    buttons["Frankfurt (Oder), Germany"].click()
    assert aoi.map.center == pytest.approx([52.347, 14.551], abs=1e-3)
    assert "Frankfurt (Oder), Germany" in aoi.go_to_box.result.value
    # ... and from there, back to the first one.
    others = [b.description for b in aoi.go_to_box.alternatives.children[1:]]
    assert others[0] == "Frankfurt am Main, Germany"

    aoi.go_to("Paris")
    assert "Paris, France" in aoi.go_to_box.result.value
    others = [b.description for b in aoi.go_to_box.alternatives.children[1:]]
    assert others[0] == "Paris, Texas, United States"
    aoi.go_to("Paris, Texas")
    assert aoi.go_to_box.alternatives.children == ()


def test_latitude_and_longitude(aoi: AOIMap) -> None:
    destination = aoi.go_to("-33.87, 151.21")
    assert destination is not None
    assert aoi.map.center == [-33.87, 151.21]
    assert square_km2((-33.87, 151.21), aoi.map.zoom) < 2000
    # Nearer the pole a pixel covers less ground: the same rule gives a wider view.
    aoi.go_to("69.65, 18.96")
    assert square_km2((69.65, 18.96), aoi.map.zoom) < 2000
    assert aoi.map.zoom < 9


def test_a_bbox_is_fitted(aoi: AOIMap) -> None:
    box = (5.8, 47.2, 15.0, 55.0)
    aoi.go_to("5.8, 47.2, 15.0, 55.0")
    assert aoi.map.center == pytest.approx([51.1, 10.4])
    zoom = aoi.map.zoom
    assert fits(box, zoom, 480, 300) and not fits(box, zoom + 1, 480, 300)
    assert aoi.geometry is None  # going somewhere is not choosing an AOI


def test_a_country_is_fitted(aoi: AOIMap) -> None:
    aoi.go_to("Germany")
    assert 5 <= aoi.map.zoom <= 6
    lat, lon = aoi.map.center
    assert 47 < lat < 55 and 5 < lon < 15


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("95, 10", "latitude 95 is outside"),
        ("Narnia", "No place called 'Narnia'"),
        ("1, 2, 3", "3 numbers"),
        ("10, 50, 5, 55", "east (5.0) must be greater than west (10.0)"),
    ],
)
def test_bad_input_leaves_the_map_and_says_why_next_to_the_box(
    aoi: AOIMap, text: str, message: str
) -> None:
    aoi.go_to("Paris")
    before = (list(aoi.map.center), aoi.map.zoom)
    assert aoi.go_to(text) is None
    assert (list(aoi.map.center), aoi.map.zoom) == before
    assert message in aoi.go_to_box.error
    assert message in aoi.go_to_box.error_label.value.replace("&#x27;", "'")
    label_row = aoi.go_to_box.children[0]
    assert (
        aoi.go_to_box.text in label_row.children and aoi.go_to_box.error_label in label_row.children
    )
    assert aoi.go_to_box.result.value == "" and aoi.go_to_box.alternatives.children == ()
    assert aoi.go_to_box.text.value == text  # what was typed stays, to be corrected
    aoi.go_to("Paris")
    assert aoi.go_to_box.error == "" and aoi.go_to_box.error_label.value == ""


def test_typing_in_the_box_goes_there_and_go_goes_again(aoi: AOIMap) -> None:
    # What the browser sends when the person presses Enter (continuous_update is off).
    aoi.go_to_box.text.set_state({"value": "Frankfurt"})
    assert aoi.map.center == pytest.approx([50.116, 8.684], abs=1e-3)
    aoi.map.center, aoi.map.zoom = (0.0, 0.0), 3  # the person pans away
    aoi.go_to_box.go_button.click()
    assert aoi.map.center == pytest.approx([50.116, 8.684], abs=1e-3)
    aoi.go_to_box.text.set_state({"value": ""})  # clearing the box is not an error
    assert aoi.go_to_box.error == ""


def test_alternative_buttons_are_closed_when_replaced(aoi: AOIMap) -> None:
    aoi.go_to("Paris")
    old = aoi.go_to_box.alternatives.children
    aoi.go_to("Springfield")
    assert all(button.comm is None for button in old)


def test_closing_after_the_map_was_torn_down_raises_nothing() -> None:
    # What happens at interpreter exit: ``Widget.__del__`` closes the box after the map and
    # its layers were already closed (ipyleaflet's ``remove`` would read a closed layer's id).
    import ipyleaflet

    from stat_widgets.widgets.go_to import GoToBox

    map_ = ipyleaflet.Map()
    box = GoToBox(map_)
    for layer in map_.layers:
        if layer is not box.marker:
            layer.close()
    map_.close()
    box.close()
    assert box.comm is None and box.marker.comm is None


def test_a_box_whose_init_failed_is_collected_without_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    import sys

    from stat_widgets.widgets.go_to import GoToBox

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(AttributeError):
        GoToBox(None)  # type: ignore[arg-type]
    gc.collect()
    assert unraisable == []
