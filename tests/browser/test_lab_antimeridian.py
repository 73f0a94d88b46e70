"""A polygon drawn with the mouse across the antimeridian (Leaflet reports longitudes past
180° there) reaches the server cut at 180°, as RFC 7946 asks, and covers what was drawn."""

from __future__ import annotations

import httpx
import pytest
import shapely.geometry
from playwright.sync_api import Page, expect

from . import _order_flow as flow
from ._pages import Screenshots
from .conftest import PageWatch, ServerFactory, StatServerFactory, order_app_notebook

pytestmark = pytest.mark.browser


def over_fiji_notebook() -> dict:
    """The ordering notebook with the map panned to Fiji, on the antimeridian."""
    notebook = order_app_notebook()
    app_cell = notebook["cells"][-1]
    app_cell["source"] = app_cell["source"].replace(
        "app = OrderApp(url)\n", "app = OrderApp(url)\napp.form.aoi.map.center = (-17.0, 180.0)\n"
    )
    return notebook


def test_a_polygon_drawn_across_the_antimeridian_is_ordered_cut_at_180(
    make_stat_server: StatServerFactory,
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat = make_stat_server()
    lab = make_lab(stat.url, {"fiji.ipynb": over_fiji_notebook()})
    app = flow.run_order_app(page, lab, "fiji.ipynb")
    map_ = flow.aoi_map(app)
    expect(map_).to_be_visible()

    flow.zoom_in(page, map_)
    flow.draw_polygon(page, map_)
    expect(flow.order_form(app)).to_contain_text("cut at 180°", timeout=15_000)
    shots.take(page, "drawn-across-180", element=map_)
    flow.choose_product(app, flow.OPTICAL_VHR)
    flow.click_preset(app, "Next 7 days")
    body = flow.request_preview(page, app, lambda b: b.get("product_id") == "optical-vhr")

    geometry = body["geometry"]
    assert geometry["type"] == "MultiPolygon", geometry
    parts = [
        shapely.geometry.shape({"type": "Polygon", "coordinates": p})
        for p in geometry["coordinates"]
    ]
    west_part, east_part = sorted(parts, key=lambda p: p.bounds[0])
    assert west_part.bounds[0] == -180.0 and east_part.bounds[2] == 180.0
    assert -180 < west_part.bounds[2] < -179.5 and 179.5 < east_part.bounds[0] < 180
    # the two halves meet again at the antimeridian: the same latitudes on both sides
    assert west_part.bounds[1::2] == pytest.approx(east_part.bounds[1::2], abs=0.05)

    flow.submit(app)
    expect(flow.submit_result(app)).to_contain_text("received", timeout=15_000)
    (order,) = httpx.get(f"{stat.url}/orders").json()["orders"]
    assert order["request"]["geometry"] == geometry
    shots.take(page, "ordered", element=flow.order_form(app))
    assert page_watch.dialogs == [] and page_watch.page_errors == []
