"""The AOI map driven as a browser would: Geoman messages, ``data`` syncs, uploads, typing."""

from __future__ import annotations

import html
import json
import math

import pytest
import shapely.geometry

from stat_widgets.widgets import AOIMap

from ._shapes import BOW_TIE, LARGE, SQUARE, SQUARE_EDITED, drawn, point, polygon


@pytest.fixture
def aoi() -> AOIMap:
    return AOIMap(basemap=False)


def browser_creates(aoi: AOIMap, feature: dict) -> None:
    """What the Geoman view sends after a shape is drawn: the event, then the layer data."""
    aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    aoi.draw_control.set_state({"data": [*aoi.draw_control.data, feature]})


def test_draw_polygon_sets_geometry_area_and_vertex_count(aoi: AOIMap) -> None:
    browser_creates(aoi, drawn(polygon(SQUARE)))

    assert aoi.geometry == polygon(SQUARE)
    assert aoi.vertices == 4
    assert aoi.area_km2 == pytest.approx(79.66, abs=0.1)
    assert aoi.error == ""
    assert "4 vertices" in aoi.summary.value and "79.66 km²" in aoi.summary.value


def test_create_message_alone_is_enough(aoi: AOIMap) -> None:
    """Edits are seen through ``data``, but a create message must not be lost if ``data`` is
    late."""
    aoi.draw_control._handle_custom_msg(
        {"event": "pm:create", "geo_json": drawn(polygon(SQUARE))}, []
    )
    assert aoi.geometry == polygon(SQUARE)


def test_edit_seen_through_data_trait(aoi: AOIMap) -> None:
    browser_creates(aoi, drawn(polygon(SQUARE)))
    # Dragging a vertex: Geoman sends pm:vertexdrag with every layer, then syncs data.
    edited = drawn(polygon(SQUARE_EDITED))
    aoi.draw_control._handle_custom_msg({"event": "pm:vertexdrag", "geo_json": [edited]}, [])
    aoi.draw_control.set_state({"data": [edited]})

    assert aoi.geometry == polygon(SQUARE_EDITED)
    assert aoi.area_km2 > 79.7


def test_edit_with_data_sync_only(aoi: AOIMap) -> None:
    browser_creates(aoi, drawn(polygon(SQUARE)))
    aoi.draw_control.set_state({"data": [drawn(polygon(SQUARE_EDITED))]})
    assert aoi.geometry == polygon(SQUARE_EDITED)


def test_delete_clears_geometry(aoi: AOIMap) -> None:
    feature = drawn(polygon(SQUARE))
    browser_creates(aoi, feature)
    aoi.draw_control._handle_custom_msg({"event": "pm:remove", "geo_json": feature}, [])
    assert aoi.geometry is None
    aoi.draw_control.set_state({"data": []})
    assert aoi.geometry is None
    assert aoi.area_km2 is None
    assert aoi.error == ""
    assert "No AOI yet" in aoi.summary.value


def test_new_drawing_replaces_previous_shape(aoi: AOIMap) -> None:
    browser_creates(aoi, drawn(polygon(SQUARE)))
    browser_creates(aoi, drawn(polygon(SQUARE_EDITED)))

    assert aoi.geometry == polygon(SQUARE_EDITED)
    assert [f["geometry"] for f in aoi.draw_control.data] == [polygon(SQUARE_EDITED)]


def test_drawn_bow_tie_gets_the_model_message_and_stays_on_the_map(aoi: AOIMap) -> None:
    browser_creates(aoi, drawn(polygon(BOW_TIE)))

    assert aoi.geometry is None
    assert "Self-intersection at (10.05, 50.05)" in aoi.error
    assert "Self-intersection" in aoi.error_label.value
    assert aoi.draw_control.data[0]["geometry"] == polygon(BOW_TIE)


def test_many_features_get_the_model_message(aoi: AOIMap) -> None:
    aoi.draw_control.set_state({"data": [drawn(polygon(SQUARE)), drawn(polygon(LARGE))]})
    assert aoi.geometry is None
    assert "has 2 features" in aoi.error


def test_upload_geojson_file(aoi: AOIMap) -> None:
    content = json.dumps(
        {"type": "FeatureCollection", "features": [drawn(polygon(SQUARE))]}
    ).encode()
    aoi.upload.set_state(
        {
            "value": [
                {
                    "name": "site.geojson",
                    "type": "application/geo+json",
                    "size": len(content),
                    "content": content,
                    "last_modified": 1_700_000_000_000,
                }
            ]
        }
    )
    assert aoi.geometry == polygon(SQUARE)
    assert aoi.draw_control.data[0]["geometry"] == polygon(SQUARE)
    assert aoi.upload.value == ()  # read once, not kept in the widget state


def test_upload_binary_file_is_refused_with_its_name(aoi: AOIMap) -> None:
    content = b"\x89PNG\r\n\x1a\n\xff\xfe"
    aoi.upload.set_state(
        {
            "value": [
                {
                    "name": "photo.png",
                    "type": "image/png",
                    "size": len(content),
                    "content": content,
                    "last_modified": 0,
                }
            ]
        }
    )
    assert aoi.geometry is None
    assert "photo.png" in aoi.error


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(polygon(SQUARE)),
        json.dumps(drawn(polygon(SQUARE))),
        "POLYGON ((10 50, 10.1 50, 10.1 50.1, 10 50.1, 10 50))",
    ],
    ids=["geojson-geometry", "geojson-feature", "wkt"],
)
def test_paste(aoi: AOIMap, text: str) -> None:
    aoi.paste_text.value = text
    aoi.paste_button.click()
    assert aoi.geometry is not None
    assert aoi.geometry["type"] == "Polygon"
    assert aoi.vertices == 4
    assert aoi.draw_control.data[0]["geometry"] == aoi.geometry


def test_paste_invalid_keeps_the_text_and_the_previous_drawing(aoi: AOIMap) -> None:
    browser_creates(aoi, drawn(polygon(SQUARE)))
    bad = "POLYGON ((10 50, 10.1 50.1, 10.1 50, 10 50.1, 10 50))"
    aoi.paste_text.value = bad
    aoi.paste_button.click()

    assert aoi.geometry is None
    assert "Self-intersection" in aoi.error
    assert aoi.paste_text.value == bad
    assert aoi.draw_control.data[0]["geometry"] == polygon(SQUARE)


def test_paste_out_of_range_coordinates(aoi: AOIMap) -> None:
    aoi.paste_text.value = json.dumps(polygon([[10, 50], [200, 50], [200, 95], [10, 50]]))
    aoi.paste_button.click()
    assert aoi.geometry is None
    assert aoi.error == "coordinates[0][1]: longitude 200 is outside [-180, 180]"


def test_a_shape_drawn_across_the_antimeridian_is_cut_there(aoi: AOIMap) -> None:
    """Leaflet counts longitudes on past 180° when the map is panned over the Pacific."""
    aoi.max_area_km2 = 100_000
    fiji = [[178.0, -18.0], [181.5, -18.0], [181.5, -16.0], [178.0, -16.0], [178.0, -18.0]]
    browser_creates(aoi, drawn(polygon(fiji)))
    assert aoi.error == ""
    assert aoi.geometry["type"] == "MultiPolygon"
    parts = sorted(shapely.geometry.shape(aoi.geometry).geoms, key=lambda p: p.bounds)
    assert [p.bounds for p in parts] == [
        (-180.0, -18.0, -178.5, -16.0),
        (178.0, -18.0, 180.0, -16.0),
    ]
    assert aoi.vertices == 8
    assert "cut at 180°" in aoi.wrapped and "cut at 180°" in aoi.summary.value
    assert aoi.draw_control.data[-1]["geometry"] == polygon(fiji)  # the drawing is left alone
    aoi.max_area_km2 = 100  # limits still apply to the whole area
    assert "above the limit of 100 km²" in aoi.error


def test_a_shape_drawn_on_a_world_copy_is_moved_back(aoi: AOIMap) -> None:
    copy = [[x + 360, y] for x, y in SQUARE]
    browser_creates(aoi, drawn(polygon(copy)))
    assert aoi.error == ""
    assert shapely.geometry.shape(aoi.geometry).equals(shapely.geometry.shape(polygon(SQUARE)))
    assert aoi.area_km2 == pytest.approx(79.66, abs=0.1)
    assert "world copy" in aoi.summary.value
    browser_creates(aoi, drawn(polygon(SQUARE)))  # the next drawing says nothing of it
    assert aoi.wrapped == "" and "world copy" not in aoi.summary.value


def test_bbox(aoi: AOIMap) -> None:
    for name, value in zip(("west", "south", "east", "north"), (10, 50, 10.1, 50.1), strict=True):
        aoi.bbox_inputs[name].value = value
    aoi.bbox_button.click()
    assert aoi.geometry == polygon(SQUARE)
    assert aoi.map.center == pytest.approx([50.05, 10.05])


def test_a_tab_is_made_when_first_shown_and_then_works(aoi: AOIMap) -> None:
    """The Paste and Bounding box tabs are empty until selected (fewer models to draw at first
    paint); selecting one, as a click on its title does, makes its controls, which then work."""
    paste_page, bbox_page = aoi.sources.children[1], aoi.sources.children[2]
    assert aoi.sources.selected_index == 0 and aoi.sources.children[0].children == (aoi.upload,)
    assert paste_page.children == () and bbox_page.children == ()

    aoi.sources.set_state({"selected_index": 2})  # the browser's click on "Bounding box"
    assert bbox_page.children[1] is aoi.bbox_button and paste_page.children == ()
    for box, value in zip(bbox_page.children[0].children, (8, 50, 9, 51), strict=True):
        box.value = value  # west, south, east, north, as shown
    aoi.bbox_button.click()
    assert aoi.geometry is not None and aoi.geometry["type"] == "Polygon"
    assert aoi.sources.page(2) is aoi.sources.page(2)  # made once


def test_inverted_bbox_names_the_side(aoi: AOIMap) -> None:
    for name, value in zip(("west", "south", "east", "north"), (11, 50, 10, 51), strict=True):
        aoi.bbox_inputs[name].value = value
    aoi.bbox_button.click()
    assert aoi.geometry is None
    assert aoi.error.startswith("east:")


def test_oversized_aoi_gets_the_product_limit(aoi: AOIMap) -> None:
    aoi.max_area_km2 = 500
    browser_creates(aoi, drawn(polygon(LARGE)))
    assert aoi.geometry == polygon(LARGE)  # kept, shown, but not usable
    assert "above the limit of 500 km²" in aoi.error
    aoi.max_area_km2 = 20000
    assert aoi.error == ""


def test_a_drawn_shape_over_the_vertex_limit_is_refused_not_changed(aoi: AOIMap) -> None:
    aoi.max_vertices = 3
    browser_creates(aoi, drawn(polygon(SQUARE)))
    assert aoi.geometry == polygon(SQUARE)
    assert "4 vertices, above the limit of 3" in aoi.error
    assert aoi.simplified == ""


def test_an_uploaded_outline_is_simplified_to_the_limit_with_the_error_reported(
    aoi: AOIMap,
) -> None:
    n = 5000
    ring = [
        [
            10
            + 0.05
            * math.cos(2 * math.pi * i / n)
            * (1 + 0.02 * math.sin(2 * math.pi * 37 * i / n)),
            50 + 0.03 * math.sin(2 * math.pi * i / n),
        ]
        for i in range(n)
    ]
    ring.append(ring[0])
    aoi.max_vertices = 200
    content = json.dumps(polygon(ring)).encode()
    aoi.upload.set_state(
        {
            "value": [
                {
                    "name": "field.geojson",
                    "type": "application/geo+json",
                    "size": len(content),
                    "content": content,
                    "last_modified": 1_700_000_000_000,
                }
            ]
        }
    )
    assert aoi.error == ""
    assert aoi.geometry is not None and aoi.vertices is not None
    assert 0.5 * 200 <= aoi.vertices <= 200
    assert "Simplified from 5,000 to" in aoi.simplified and "at most" in aoi.simplified
    assert html.escape(aoi.simplified) in aoi.summary.value
    # what is drawn is what will be ordered, and it stays close to the upload
    assert aoi.draw_control.data[0]["geometry"] == aoi.geometry
    original, simplified = (
        shapely.geometry.shape(polygon(ring)),
        shapely.geometry.shape(aoi.geometry),
    )
    reported_m = float(aoi.simplified.split("at most ")[1].split(" m")[0].replace(",", ""))
    assert shapely.hausdorff_distance(original, simplified) * 111_320 <= reported_m + 1
    assert simplified.area == pytest.approx(original.area, rel=0.02)


def test_points_only_where_the_product_accepts_them(aoi: AOIMap) -> None:
    assert aoi.draw_control.marker == {}
    browser_creates(aoi, drawn(point(10.05, 50.05), shape="Marker"))
    assert "does not accept points" in aoi.error

    aoi.accept_points = True
    assert aoi.draw_control.marker != {}
    assert aoi.geometry == point(10.05, 50.05)
    assert aoi.error == ""
    assert aoi.area_km2 == 0


def test_clear_button(aoi: AOIMap) -> None:
    aoi.set_geometry(polygon(SQUARE))
    aoi.clear_button.click()
    assert aoi.geometry is None
    assert aoi.draw_control.data == []


def test_without_basemap_the_aoi_still_shows(aoi: AOIMap) -> None:
    assert all(not getattr(layer, "base", False) for layer in aoi.map.layers)
    aoi.set_geometry(polygon(SQUARE))
    assert aoi.draw_control in aoi.map.controls
    assert aoi.draw_control.data[0]["geometry"] == polygon(SQUARE)


def test_default_map_has_a_basemap() -> None:
    assert any(getattr(layer, "base", False) for layer in AOIMap().map.layers)


def test_assigning_the_trait_validates_and_draws(aoi: AOIMap) -> None:
    aoi.geometry = {"type": "Polygon", "coordinates": [list(reversed(SQUARE))]}
    assert aoi.geometry == polygon(SQUARE)  # re-wound counterclockwise by the model
    assert aoi.draw_control.data[0]["geometry"] == polygon(SQUARE)
    aoi.geometry = None
    assert aoi.draw_control.data == []
    aoi.geometry = polygon(BOW_TIE)
    assert aoi.geometry is None
    assert "Self-intersection" in aoi.error


def test_point_tool_toggle_replaces_the_control_and_keeps_the_drawing(aoi: AOIMap) -> None:
    browser_creates(aoi, drawn(polygon(SQUARE)))
    before = aoi.draw_control
    aoi.accept_points = True
    assert aoi.draw_control is not before
    assert aoi.draw_control in aoi.map.controls and before not in aoi.map.controls
    assert aoi.draw_control.data[0]["geometry"] == polygon(SQUARE)
    # The new control is listened to.
    browser_creates(aoi, drawn(point(10.05, 50.05), shape="Marker"))
    assert aoi.geometry == point(10.05, 50.05)
