"""The order browser against the reference server over HTTP: paging, selection, map, filters,
refresh, auto-refresh and export."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import traitlets

from stat_widgets.client import StatClient
from stat_widgets.models import OrderStatus
from stat_widgets.widgets import OrderBrowser
from stat_widgets.widgets.footprint_map import bounds_of
from stat_widgets.widgets.order_browser_status import STAGES, status_colour

TOTAL = 250
INTERVAL = "2031-03-01T00:00:00Z/2031-03-08T00:00:00Z"
PRODUCTS = ("optical-vhr", "sar-x-band")


def square(lon: float, lat: float, size: float = 0.02) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def create_orders(client: StatClient, count: int) -> list[str]:
    """Orders alternating between two products, each with its own small square; newest last."""
    ids = []
    for i in range(count):
        order = client.create_order(
            {
                "datetime": INTERVAL,
                "product_id": PRODUCTS[i % 2],
                "geometry": square(5 + (i % 25) * 0.1, 45 + (i // 25) * 0.1),
            }
        )
        ids.append(order.id)
    return ids


@pytest.fixture(scope="module")
def server_250() -> Iterator[Any]:
    """A server of its own with 250 orders whose statuses have all moved on (a mix of
    completed, failed and rejected), so paging tests see a stable listing."""
    from stat_widgets.server import ManualClock, run_in_thread

    server = run_in_thread(clock=ManualClock())
    try:
        with StatClient(server.url) as client:
            server.order_ids = create_orders(client, TOTAL)
        server.clock.advance(3 * 3600)
        yield server
    finally:
        server.stop()


@pytest.fixture
def browser(server_250: Any, make_browser: Callable[..., OrderBrowser]) -> OrderBrowser:
    return make_browser(server_250.url, page_size=20)


def status_cell(browser: OrderBrowser, order_id: str) -> str:
    """The status the row shows (the front end makes it a badge when its stage is known)."""
    return browser.table.row(order_id)["status"]


def click_row(browser: OrderBrowser, order_id: str) -> None:
    """What a click on the row does in the front end: the table's selection becomes its
    index."""
    browser.table.selected = [row["id"] for row in browser.table.rows].index(order_id)


# -- paging ----------------------------------------------------------------------------------------


def test_paging_forward_and_back_sees_every_order_exactly_once(
    browser: OrderBrowser, server_250: Any
) -> None:
    forward: list[str] = []
    positions = []
    while True:
        forward += browser.table.row_ids
        positions.append(browser.position)
        assert len(browser.page.orders) <= 20  # one page held, never more
        if browser.next_button.disabled:
            break
        browser.next_button.click()
    assert len(forward) == TOTAL
    assert set(forward) == set(server_250.order_ids)
    assert forward == list(reversed(server_250.order_ids))  # newest first
    assert positions[0] == "orders 1-20 of 250"
    assert positions[2] == "orders 41-60 of 250"
    assert positions[-1] == "orders 241-250 of 250"

    backward: list[str] = []
    while True:
        backward = browser.table.row_ids + backward
        if browser.prev_button.disabled:
            break
        browser.prev_button.click()
    assert backward == forward
    assert browser.position == "orders 1-20 of 250"
    assert browser.first_button.disabled and browser.prev_button.disabled


def test_buttons_follow_the_servers_links_not_offsets(browser: OrderBrowser) -> None:
    browser.next_button.click()
    browser.next_button.click()
    page = browser.page
    assert page is not None and page.prev is not None and page.next is not None
    assert "offset" not in page.next.href
    # First follows the page's own "first" link.
    first_link = page.first
    browser.first_button.click()
    assert browser._link == first_link
    assert browser.position == "orders 1-20 of 250"


def test_page_size_is_selectable_and_checked(browser: OrderBrowser) -> None:
    browser.page_size_picker.value = 50
    assert browser.page_size == 50
    assert len(browser.table.row_ids) == 50
    assert browser.position == "orders 1-50 of 250"
    browser.page_size = 7  # not a preset: added to the choices
    assert browser.page_size_picker.value == 7
    assert len(browser.table.row_ids) == 7
    with pytest.raises(traitlets.TraitError, match="page_size"):
        browser.page_size = 0


# -- selection, details, map -----------------------------------------------------------------------


def test_selecting_a_row_shows_details_links_request_and_history(browser: OrderBrowser) -> None:
    order_id = browser.table.row_ids[4]
    click_row(browser, order_id)
    assert browser.selected_id == order_id
    assert browser.table.selected_order is not None
    assert browser.table.selected_order.id == order_id
    details = browser.details.html.value
    assert order_id in details
    for field in ("user", "status", "created", "product_id"):
        assert f"<b>{field}</b>" in details
    assert f'href="{browser.client.url.rstrip("/")}/order/{order_id}"' in details
    assert "&quot;datetime&quot;: &quot;2031-03-01T00:00:00Z/2031-03-08T00:00:00Z&quot;" in details
    statuses = browser.details.statuses
    assert statuses is not None and statuses[0].status == OrderStatus.RECEIVED
    assert len(statuses) >= 2
    assert browser.selected_order is not None and browser.selected_order.id == order_id


def test_selecting_a_row_highlights_and_zooms_to_its_footprint(browser: OrderBrowser) -> None:
    order_id = browser.table.row_ids[2]
    assert set(browser.map.feature_ids) == set(browser.table.row_ids)
    browser.select(order_id)
    features = {f["id"]: f for f in browser.map.layer.data["features"]}
    chosen = features[order_id]
    assert chosen["properties"]["selected"] is True
    assert (
        chosen["properties"]["style"]["weight"]
        > features[browser.table.row_ids[0]]["properties"]["style"]["weight"]
    )
    assert chosen["properties"]["style"]["color"] == status_colour(chosen["properties"]["status"])
    assert browser.map.bounds == bounds_of([chosen["geometry"]])
    lat, lon = browser.map.map.center
    west, south, east, north = browser.map.bounds
    assert south <= lat <= north and west <= lon <= east
    assert browser.map.map.zoom >= 8


def test_clicking_a_footprint_selects_its_row(browser: OrderBrowser) -> None:
    order_id = browser.table.row_ids[7]
    browser.map.click_feature(order_id)
    assert browser.selected_id == order_id
    assert browser.table.rows[browser.table.selected]["id"] == order_id
    assert order_id in browser.details.html.value


def test_status_badges_and_legend(browser: OrderBrowser) -> None:
    for order in browser.orders:
        assert status_cell(browser, order.id) == str(order.status)
    # The front end colours a status by the stage that lists it, from the same table.
    stages = browser.table.stages
    assert [s["name"] for s in stages] == [st.name for st in STAGES]
    for shown, stage in zip(stages, STAGES, strict=True):
        assert shown["css"] == stage.css and stage.css.startswith("var(--jp-")
        assert shown["statuses"] == [s.value for s in stage.statuses]


# -- filters ---------------------------------------------------------------------------------------


def test_filter_by_status_and_product_goes_to_the_server(browser: OrderBrowser) -> None:
    page_ids = browser.table.row_ids
    statuses = {str(o.status) for o in browser.page.orders}
    wanted = sorted(statuses)[0]
    assert browser.client.filters_orders  # the reference server filters itself
    matching = [o for o in browser.client.orders(limit=100) if o.matches(status=wanted)]
    browser.status_picker.value = wanted
    assert browser.status_filter == wanted
    assert browser.orders and all(str(o.status) == wanted for o in browser.orders)
    assert len(browser.orders) == min(len(matching), browser.page_size)  # full pages
    assert set(browser.map.feature_ids) == set(browser.table.row_ids)
    assert browser.position.endswith(f"of {len(matching)}")
    browser.product_picker.value = "sar-x-band"
    assert all(o.product_id == "sar-x-band" for o in browser.orders)
    assert {value for _label, value in browser.product_picker.options} >= set(PRODUCTS)
    browser.status_filter = ""
    browser.product_filter = ""
    assert browser.table.row_ids == page_ids
    with pytest.raises(traitlets.TraitError, match="status_filter"):
        browser.status_filter = "<nonsense>"


# -- refresh ---------------------------------------------------------------------------------------


def test_refresh_picks_up_a_status_change(
    make_stat_server: Callable[..., Any], make_browser: Callable[..., OrderBrowser]
) -> None:
    server = make_stat_server()
    with StatClient(server.url) as client:
        (order_id,) = create_orders(client, 1)
    browser = make_browser(server.url)
    browser.select(order_id)
    assert status_cell(browser, order_id) == "received"
    assert [str(s.status) for s in browser.details.statuses] == ["received"]
    server.clock.advance(61)
    assert status_cell(browser, order_id) == "received"  # nothing changes by itself
    browser.refresh_button.click()
    assert status_cell(browser, order_id) != "received"
    assert str(browser.page.orders[0].status) in ("accepted", "rejected")
    history = browser.details.statuses
    assert history is not None and [str(s.status) for s in history][:1] == ["received"]
    assert len(history) == 2


def test_auto_refresh_runs_until_the_widget_is_closed(
    server_250: Any, make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(server_250.url, page_size=10)
    assert not browser.auto_refresh_running
    browser.auto_refresh_picker.value = 10.0
    assert browser.auto_refresh == 10.0 and browser.auto_refresh_running
    browser.auto_refresh_picker.value = 0.0
    assert not browser.auto_refresh_running
    browser.auto_refresh = 0.05
    ticker = browser._ticker
    assert ticker is not None
    deadline = time.monotonic() + 30
    while ticker.ticks < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ticker.ticks >= 1
    browser.close()
    assert not browser.auto_refresh_running
    assert not ticker.running
    with pytest.raises(traitlets.TraitError, match="auto_refresh"):
        make_browser(server_250.url, load=False).auto_refresh = -1


# -- export ----------------------------------------------------------------------------------------


def test_export_page_as_geojson_and_records(browser: OrderBrowser, tmp_path: Path) -> None:
    collection = browser.export_page()
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == browser.table.row_ids
    first = collection["features"][0]
    assert first["geometry"] == browser.page.orders[0].request.geometry
    assert first["properties"]["status"] == str(browser.page.orders[0].status)
    records = browser.export_page(fmt="records")
    assert [r["id"] for r in records] == browser.table.row_ids
    path = browser.export_page(path=tmp_path / "page.geojson")
    assert json.loads(path.read_text())["features"] == collection["features"]
    with pytest.raises(ValueError, match="fmt"):
        browser.export_page(fmt="shapefile")


def test_export_all_orders_matching_a_status(
    browser: OrderBrowser, server_250: Any, tmp_path: Path
) -> None:
    expected = browser.client.orders_page(
        f"{server_250.url}/orders?status=rejected&limit=1000"
    )  # the server's own filter, as an independent count
    assert 0 < len(expected.orders) < TOTAL
    browser.export_panel.format_picker.value = "geojson"
    browser.export_panel.path_text.value = str(tmp_path / "rejected.geojson")
    browser.status_filter = "rejected"
    browser.export_panel.all_button.click()
    data = json.loads((tmp_path / "rejected.geojson").read_text())
    assert data["type"] == "FeatureCollection"
    assert {f["id"] for f in data["features"]} == {o.id for o in expected.orders}
    assert all(f["properties"]["status"] == "rejected" for f in data["features"])
    assert "written to" in browser.export_panel.result.value
    progress = browser.export_panel.progress
    assert progress.value == progress.max == len(expected.orders)  # filtered by the server
    records = browser.export_all(status="rejected", product_id="optical-vhr", fmt="records")
    assert {r["id"] for r in records} == {
        o.id for o in expected.orders if o.product_id == "optical-vhr"
    }
    everything = browser.export_all(status="", fmt="records")
    assert len(everything) == TOTAL


def test_export_to_geodataframe_needs_geopandas(browser: OrderBrowser) -> None:
    try:
        import geopandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="geopandas"):
            browser.export_page(fmt="geodataframe")
        browser.export_panel.format_picker.value = "geodataframe"
        browser.export_panel.page_button.click()
        assert "geopandas" in browser.export_panel.result.value
    else:
        frame = browser.export_page(fmt="geodataframe")
        assert list(frame["id"]) == browser.table.row_ids
