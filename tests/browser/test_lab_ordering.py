"""The ordering flow in JupyterLab, done with the mouse in headless Chromium: the order that
reaches the server is exactly the one drawn and picked on screen."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from stat_widgets.widgets.opportunities.view import NO_SEARCH

from . import _order_flow as flow
from ._pages import Screenshots
from .conftest import PageWatch, ServerFactory, StatServerFactory, order_app_notebook

pytestmark = pytest.mark.browser

CLOUD_COVER_FILTER = {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 15]}


def test_draw_pick_submit_and_see_the_order(
    make_stat_server: StatServerFactory,
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat = make_stat_server()
    lab = make_lab(stat.url, {"order-app.ipynb": order_app_notebook()})

    app = flow.run_order_app(page, lab, "order-app.ipynb")
    map_ = flow.aoi_map(app)
    expect(map_).to_be_visible()
    shots.take(page, "app-rendered")

    flow.zoom_in(page, map_)
    drawn = flow.draw_polygon(page, map_)
    shots.take(page, "polygon-drawn", element=map_)
    flow.choose_product(app, flow.OPTICAL_VHR)
    flow.click_preset(app, "Next 7 days")
    flow.add_cloud_cover_filter(app, 15)

    body = flow.request_preview(page, app, lambda b: b.get("filter") == CLOUD_COVER_FILTER)
    shots.take(page, "form-filled", element=flow.order_form(app), publish="order-form.png")
    assert body["product_id"] == "optical-vhr"
    assert body["filter"] == CLOUD_COVER_FILTER
    assert flow.interval_length(body) == timedelta(days=7)
    flow.assert_polygon_matches_clicks(body["geometry"], drawn)
    assert httpx.get(f"{stat.url}/orders").json()["orders"] == []  # nothing sent before Submit
    expect(app.get_by_text(NO_SEARCH)).to_be_visible()  # a STAT-draft server: one line says so

    flow.submit(app)
    expect(flow.submit_result(app)).to_contain_text("received", timeout=15_000)
    flow.submit_result(app).scroll_into_view_if_needed()
    shots.take(page, "submitted")

    orders = httpx.get(f"{stat.url}/orders").json()["orders"]
    assert len(orders) == 1, orders
    (order,) = orders
    assert order["request"] == body  # exactly what the preview showed, drawn geometry included
    expect(flow.submit_result(app)).to_contain_text(order["id"])

    flow.open_my_orders(app)
    expect(flow.order_row_button(app, order["id"])).to_be_visible(timeout=15_000)
    expect(app.get_by_text(f"Order {order['id']}")).to_be_visible()  # selected: its details
    shots.take(page, "my-orders", element=app, publish="new-order-in-my-orders.png")
    assert page_watch.dialogs == [] and page_watch.page_errors == []

    # Back on "New order" the user can draw again: the toolbar is still there, and since
    # optical-vhr also takes a point, it now offers the marker tool as well.
    app.locator(".lm-TabBar-tab", has_text="New order").click()
    expect(map_.locator(".leaflet-pm-icon-polygon")).to_be_visible()
    expect(map_.locator(".leaflet-pm-icon-marker")).to_be_visible()
