"""The same ordering flow as a dashboard: Voila renders the ordering notebook (outputs only,
no code) and the user orders with the mouse."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from . import _order_flow as flow
from ._pages import Screenshots
from .conftest import PageWatch, ServerFactory, StatServerFactory, order_app_notebook
from .test_lab_ordering import CLOUD_COVER_FILTER

pytestmark = pytest.mark.browser


def test_order_in_voila(
    make_stat_server: StatServerFactory,
    make_voila: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat = make_stat_server()
    voila = make_voila(stat.url, {"order-app.ipynb": order_app_notebook()})

    page.goto(f"{voila.url}/?token={voila.token}")
    app = page.locator(".stat-order-app")
    map_ = flow.aoi_map(app)
    expect(map_).to_be_visible(timeout=90_000)  # Voila runs the notebook before it shows
    expect(page.locator("body")).not_to_contain_text("Traceback")
    shots.take(page, "voila-rendered")

    # The reasons next to Submit are in-page links: in Voila too, one brings its section back.
    reason = app.locator(".stat-widgets-reason").first
    expect(reason).to_have_text("↑ Area of interest: still needed")
    reason.scroll_into_view_if_needed()
    heading = app.locator(".stat-widgets-heading").first
    assert (heading.bounding_box() or {"y": 0})["y"] < 0  # scrolled out of view above
    reason.click()
    expect(heading).to_be_in_viewport()

    flow.zoom_in(page, map_)
    drawn = flow.draw_polygon(page, map_)
    flow.choose_product(app, flow.OPTICAL_VHR)
    flow.click_preset(app, "Next 24 h")
    flow.add_cloud_cover_filter(app, 15)
    body = flow.request_preview(page, app, lambda b: b.get("filter") == CLOUD_COVER_FILTER)
    shots.take(page, "voila-form-filled", element=flow.order_form(app))
    assert body["filter"] == CLOUD_COVER_FILTER
    assert flow.interval_length(body) == timedelta(hours=24)
    flow.assert_polygon_matches_clicks(body["geometry"], drawn)

    flow.submit(app)
    expect(flow.submit_result(app)).to_contain_text("Order submitted.", timeout=15_000)
    orders = httpx.get(f"{stat.url}/orders").json()["orders"]
    assert [order["request"] for order in orders] == [body]

    flow.open_my_orders(app)
    expect(flow.order_row_button(app, orders[0]["id"])).to_be_visible(timeout=15_000)
    shots.take(page, "voila-my-orders", element=app, publish="voila-order-browser.png")
    assert page_watch.dialogs == [] and page_watch.page_errors == []
