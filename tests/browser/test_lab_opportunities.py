"""Opportunities in JupyterLab, with the mouse in headless Chromium: draw an AOI, pick a
product and a preset, press "Find opportunities", click a window in the table, then another on
the timeline, submit, and find exactly that window in the new order on the server (the
reference server's STAPI face)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from . import _order_flow as flow
from ._pages import Screenshots
from .conftest import PageWatch, ServerFactory, StatServerFactory, order_app_notebook

pytestmark = pytest.mark.browser

#: The table row clicked: not the first window, which may open too soon to be tasked.
ROW = 2


def stapi_app_notebook() -> dict:
    """The ordering notebook's connection cell, then ``OrderApp`` on the STAPI face."""
    notebook = order_app_notebook()
    notebook["cells"][1]["source"] = (
        "from stat_widgets import OrderApp\n\napp = OrderApp(url + '/stapi')\napp"
    )
    return notebook


def section(app: Locator) -> Locator:
    return flow.order_form(app).locator(".stat-opportunity-section")


def test_find_choose_and_order_a_window(
    make_stat_server: StatServerFactory,
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat = make_stat_server()
    lab = make_lab(stat.url, {"opportunities.ipynb": stapi_app_notebook()})
    app = flow.run_order_app(page, lab, "opportunities.ipynb")
    map_ = flow.aoi_map(app)
    expect(map_).to_be_visible()

    flow.zoom_in(page, map_)
    flow.draw_polygon(page, map_)
    flow.choose_product(app, flow.OPTICAL_VHR)
    flow.click_preset(app, "Next 7 days")

    opportunities = section(app)
    find = opportunities.get_by_role("button", name="Find opportunities")
    expect(find).to_be_enabled(timeout=15_000)
    find.scroll_into_view_if_needed()
    find.click()
    rows = opportunities.locator("tbody tr")
    expect(rows.nth(ROW)).to_be_visible(timeout=60_000)
    expect(opportunities).to_contain_text("windows found in")
    # every window drawn on the map and on the timeline
    count = rows.count()
    expect(map_.locator("path.leaflet-interactive")).to_have_count(count + 1, timeout=10_000)
    strip = opportunities.locator(".sot-timeline")
    expect(strip.locator("rect.w")).to_have_count(count)  # drawn from the rows, in the browser
    shots.take(page, "windows-found", element=opportunities, publish="opportunities.png")

    # a second start column in the zone chosen, formatted in the browser
    opportunities.locator("select").select_option("Europe/Berlin")
    expect(opportunities.locator("th").nth(1)).to_have_text("Start (Europe/Berlin)")
    # choose by row: the strip draws that window taller
    first = rows.nth(ROW - 1)
    first.click()
    expect(first).to_have_class(re.compile(r"\bsot-selected\b"))
    expect(strip.locator("rect.sel")).to_have_count(1)
    expect(opportunities).to_contain_text(
        "Order this opportunity: " + first.locator("td").first.inner_text()
    )
    # choose by a click on the timeline: the row follows
    strip.locator(f"rect.w[data-index='{ROW}']").click(force=True)  # a mark 1 or 2 px wide
    row = opportunities.locator("tbody tr.sot-selected")
    expect(row).to_have_attribute("data-index", str(ROW))
    expect(strip.locator(f"rect.sel[data-index='{ROW}']")).to_have_count(1)
    start_utc = row.locator("td").first.inner_text()  # "2031-06-03 10:17:26"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", start_utc), start_utc
    berlin = _at(start_utc).astimezone(ZoneInfo("Europe/Berlin"))
    expected = berlin.strftime("%Y-%m-%d %H:%M:%S ") + str(berlin.tzname())
    expect(row.locator("td").nth(1)).to_have_text(expected)
    expect(opportunities).to_contain_text("Order this opportunity: " + start_utc)

    body = preview(page, app, lambda b: b.get("datetime", "").startswith(_iso(start_utc)))
    assert "product_id" not in body  # STAPI's body: the product is in the order link's URL
    review = flow.order_form(app).locator(".widget-html", has_text="Order this opportunity")
    expect(review.first).to_be_visible()
    shots.take(page, "window-chosen", element=flow.order_form(app), publish="opportunity-form.png")
    assert httpx.get(f"{stat.url}/orders").json()["orders"] == []  # nothing sent before Submit

    flow.submit(app)
    expect(flow.submit_result(app)).to_be_visible(timeout=15_000)
    orders = httpx.get(f"{stat.url}/stapi/orders").json()["features"]
    assert len(orders) == 1, orders
    (order,) = orders
    ordered = order["properties"]["search_parameters"]
    assert ordered["datetime"] == body["datetime"]  # exactly the window shown
    assert ordered["datetime"].startswith(_iso(start_utc))
    assert order["properties"]["opportunity_properties"], order  # the server knows the window
    assert page_watch.dialogs == [] and page_watch.page_errors == []

    flow.open_my_orders(app)
    expect(flow.order_row_button(app, order["id"])).to_be_visible(timeout=15_000)
    expect(app).to_contain_text("Ordered window")
    shots.take(page, "my-orders-window", element=app)


def preview(
    page: Page, app: Locator, until: Callable[[dict[str, Any]], bool], timeout: float = 15.0
) -> dict[str, Any]:
    """The body the review shows (a STAPI order body: no product_id), once ``until`` holds."""
    shown = flow.order_form(app).locator("pre", has_text='"datetime"')
    deadline = time.monotonic() + timeout
    while True:
        body = json.loads(shown.inner_text()) if shown.count() == 1 else None
        if body is not None and until(body):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"the review never showed the window; it shows {body}")
        page.wait_for_timeout(200)


def _at(shown: str) -> datetime:
    return datetime.strptime(shown, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def _iso(shown: str) -> str:
    """The table's UTC text as the start of an RFC 3339 interval."""
    return _at(shown).strftime("%Y-%m-%dT%H:%M:%S")
