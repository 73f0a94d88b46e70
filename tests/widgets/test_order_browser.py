"""The order browser against the reference server over HTTP: paging, the table and the map
linked both ways (click, arrow keys, footprint), sorting, filters, refresh, auto-refresh, export,
and closing everything it made."""

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
from stat_widgets.widgets.order_browser.footprint_map import bounds_of
from stat_widgets.widgets.order_browser.status import STAGES, status_colour
from stat_widgets.widgets.order_browser.table_code import table_code, table_stylesheet

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
    browser.table.selected = [row["id"] for row in browser.table.records].index(order_id)


# -- paging ----------------------------------------------------------------------------------------


def press(browser: OrderBrowser, name: str, value: Any = None) -> None:
    """What the table's front end sends when control ``name`` is used."""
    browser.table._handle_custom_msg({"control": name, "value": value}, [])


def control(browser: OrderBrowser, name: str) -> dict[str, Any]:
    return next(c for c in browser.table.controls if c["name"] == name)


def test_paging_forward_and_back_sees_every_order_exactly_once(
    browser: OrderBrowser, server_250: Any
) -> None:
    forward: list[str] = []
    positions = []
    while True:
        forward += browser.table.row_ids
        positions.append(browser.position)
        assert browser.table.status == browser.position
        assert len(browser.orders) <= 20  # one page held, never more
        if control(browser, "next")["disabled"]:
            break
        press(browser, "next")
    assert len(forward) == TOTAL
    assert forward == list(reversed(server_250.order_ids))  # newest first
    assert positions[0] == "orders 1-20 of 250"
    assert positions[2] == "orders 41-60 of 250"
    assert positions[-1] == "orders 241-250 of 250"

    backward: list[str] = []
    while True:
        backward = browser.table.row_ids + backward
        if control(browser, "previous")["disabled"]:
            break
        press(browser, "previous")
    assert backward == forward
    assert browser.position == "orders 1-20 of 250"
    assert control(browser, "first")["disabled"]
    press(browser, "next")
    press(browser, "next")
    press(browser, "first")
    assert browser.position == "orders 1-20 of 250"


def test_page_size_is_selectable_and_checked(browser: OrderBrowser) -> None:
    press(browser, "page_size", 50)
    assert browser.page_size == 50
    assert len(browser.table.row_ids) == 50
    assert browser.position == "orders 1-50 of 250"
    browser.page_size = 7  # not a preset: added to the choices
    assert control(browser, "page_size")["value"] == 7
    assert 7 in control(browser, "page_size")["choices"]
    assert len(browser.table.row_ids) == 7
    with pytest.raises(traitlets.TraitError, match="page_size"):
        browser.page_size = 0
    press(browser, "page_size", 5000)  # a front end sending nonsense: shown, not raised
    assert browser.page_size == 7
    assert any("page_size" in note["text"] for note in browser.table.notes)


# -- the table, the map and the details, linked ---------------------------------------------------


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


def test_a_row_selected_in_the_table_is_highlighted_on_the_map(browser: OrderBrowser) -> None:
    assert browser.map.drawn == list(range(20))  # every order on the page has its footprint
    assert browser.map.highlight is None  # nothing selected, nothing drawn twice
    order_id = browser.table.row_ids[2]
    click_row(browser, order_id)
    index = browser.table.selected
    assert browser.map.selected == index
    (highlighted,) = browser.map.highlight.data["features"]
    order = browser.orders[index]
    assert highlighted["id"] == index and highlighted["geometry"] == order.request.geometry
    assert browser.map.highlight.style["color"] == status_colour(order.status)
    page_layer = browser.map.stage_layers[
        next(s.name for s in STAGES if order.status in s.statuses)
    ]
    assert browser.map.highlight.style["weight"] > page_layer.style["weight"]
    assert browser.map.fitted == bounds_of([order.request.geometry])
    lat, lon = browser.map.center
    west, south, east, north = browser.map.fitted
    assert south <= lat <= north and west <= lon <= east
    assert browser.map.zoom >= 8


def test_clicking_a_footprint_selects_its_row(browser: OrderBrowser) -> None:
    index = 7
    browser.map.click_feature(index)
    assert browser.table.selected == index
    assert browser.selected_id == browser.orders[index].id
    assert browser.orders[index].id in browser.details.html.value
    (highlighted,) = browser.map.highlight.data["features"]
    assert highlighted["id"] == index


def test_arrow_keys_move_the_selection_in_the_order_shown(browser: OrderBrowser) -> None:
    browser.table.sort = ["product", False]  # a click on the Product header
    shown = browser.table.display_order()
    products = [browser.table.records[i]["product"] for i in shown]
    assert products == sorted(products)
    browser.table.move("ArrowDown")  # nothing selected yet: the first row shown
    assert browser.table.selected == shown[0]
    browser.table.move("ArrowDown")
    browser.table.move("ArrowDown")
    assert browser.table.selected == shown[2]
    assert browser.selected_id == browser.orders[shown[2]].id
    assert browser.map.selected == shown[2]  # and its footprint is the one highlighted
    assert browser.map.highlight.data["features"][0]["id"] == shown[2]
    browser.table.move("ArrowUp")
    assert browser.table.selected == shown[1]
    browser.table.move("End")
    assert browser.table.selected == shown[-1]
    browser.table.move("ArrowDown")  # stays on the last row
    assert browser.table.selected == shown[-1]


def test_sorting_reorders_the_page_not_the_listing(browser: OrderBrowser) -> None:
    listing = [o.id for o in browser.orders]
    browser.table.sort = ["id", False]
    assert browser.table.row_ids == sorted(listing)
    browser.table.sort = ["id", True]
    assert browser.table.row_ids == sorted(listing, reverse=True)
    assert [o.id for o in browser.orders] == listing  # the page itself is unchanged
    press(browser, "next")
    assert browser.table.row_ids == sorted(browser.table.row_ids, reverse=True)


def test_the_selection_stays_on_its_order_across_a_refresh(browser: OrderBrowser) -> None:
    order_id = browser.table.row_ids[3]
    click_row(browser, order_id)
    press(browser, "refresh")
    assert browser.selected_id == order_id
    assert browser.table.selected_order is not None
    assert browser.table.selected_order.id == order_id
    press(browser, "next")  # off the page: the details stay, no row is marked
    assert browser.selected_id == order_id and browser.table.selected == -1
    assert browser.map.selected == -1 and browser.map.highlight.data["features"] == []


def test_status_colours_come_from_one_table(browser: OrderBrowser) -> None:
    for order in browser.orders:
        assert status_cell(browser, order.id) == str(order.status)
    # The front end colours a status by the stage that lists it, from the same table.
    stages = browser.table.stages
    assert [s["name"] for s in stages] == [st.name for st in STAGES]
    for shown, stage in zip(stages, STAGES, strict=True):
        assert shown["css"] == stage.css and stage.css.startswith("var(--jp-")
        assert shown["statuses"] == [s.value for s in stage.statuses]
    for name, layer in browser.map.stage_layers.items():
        stage = next(s for s in STAGES if s.name == name)
        assert layer.style["color"] == stage.colour
        assert all("style" not in f["properties"] for f in layer.data["features"])


# -- filters ---------------------------------------------------------------------------------------


def test_filter_by_status_and_product_goes_to_the_server(browser: OrderBrowser) -> None:
    page_ids = browser.table.row_ids
    statuses = {str(o.status) for o in browser.orders}
    wanted = sorted(statuses)[0]
    assert browser.client.filters_orders  # the reference server filters itself
    matching = [o for o in browser.client.orders(limit=100) if o.matches(status=wanted)]
    press(browser, "status", wanted)
    assert browser.status_filter == wanted
    assert control(browser, "status")["value"] == wanted
    assert browser.orders and all(str(o.status) == wanted for o in browser.orders)
    assert len(browser.orders) == min(len(matching), browser.page_size)  # full pages
    assert browser.map.drawn == list(range(len(browser.orders)))
    assert browser.position.endswith(f"of {len(matching)}")
    press(browser, "product:focus")  # the first look at the product filter reads catalogues
    choices = control(browser, "product")["choices"]
    products = [c[1] if isinstance(c, list) else c for c in choices]  # [label, value] or value
    assert set(products) >= set(PRODUCTS) and products[0] == ""
    press(browser, "product", "sar-x-band")
    assert all(o.product_id == "sar-x-band" for o in browser.orders)
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
    press(browser, "refresh")
    assert status_cell(browser, order_id) != "received"
    assert str(browser.orders[0].status) in ("accepted", "rejected")
    history = browser.details.statuses
    assert history is not None and [str(s.status) for s in history][:1] == ["received"]
    assert len(history) == 2


def test_auto_refresh_runs_until_the_widget_is_closed(
    server_250: Any, make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(server_250.url, page_size=10)
    assert not browser.auto_refresh_running
    press(browser, "auto_refresh", 10.0)
    assert browser.auto_refresh == 10.0 and browser.auto_refresh_running
    press(browser, "auto_refresh", 0.0)
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
    assert [f["id"] for f in collection["features"]] == [o.id for o in browser.orders]
    first = collection["features"][0]
    assert first["geometry"] == browser.orders[0].request.geometry
    assert first["properties"]["status"] == str(browser.orders[0].status)
    assert "provider" not in first["properties"]  # one provider: the server's record as is
    records = browser.export_page(fmt="records")
    assert [r["id"] for r in records] == [o.id for o in browser.orders]
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
    assert browser.children == (browser.table, browser.map)  # no export panel until asked
    press(browser, "export")
    panel = browser.export_panel
    assert panel in browser.children and control(browser, "export")["pressed"]
    panel.format_picker.value = "geojson"
    panel.path_text.value = str(tmp_path / "rejected.geojson")
    browser.status_filter = "rejected"
    panel.all_button.click()
    data = json.loads((tmp_path / "rejected.geojson").read_text())
    assert data["type"] == "FeatureCollection"
    assert {f["id"] for f in data["features"]} == {o.id for o in expected.orders}
    assert all(f["properties"]["status"] == "rejected" for f in data["features"])
    assert "written to" in panel.result.value
    assert panel.progress.value == panel.progress.max == len(expected.orders)  # server-filtered
    records = browser.export_all(status="rejected", product_id="optical-vhr", fmt="records")
    assert {r["id"] for r in records} == {
        o.id for o in expected.orders if o.product_id == "optical-vhr"
    }
    everything = browser.export_all(status="", fmt="records")
    assert len(everything) == TOTAL
    press(browser, "export")  # the same button hides the panel again
    assert panel.layout.display == "none" and not control(browser, "export")["pressed"]


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
        assert list(frame["id"]) == [o.id for o in browser.orders]


# -- lifecycle -------------------------------------------------------------------------------------


def live_models() -> int:
    """Widget models alive in this kernel (what a closed browser must not leave behind), the
    tables' code model (one per kernel, left open) made first."""
    from ipywidgets.widgets.widget import _instances

    table_code()

    return len(_instances)


def test_the_grid_and_its_cells_share_one_layout_unless_one_is_given(
    server_250: Any, make_browser: Callable[..., OrderBrowser]
) -> None:
    import ipywidgets

    browser = make_browser(server_250.url, page_size=5)
    assert browser.layout is browser.table.layout is browser.map.layout
    assert browser.layout.min_width == "0"  # the columns are the table stylesheet's
    assert ".stat-order-browser { grid-template-columns:" in table_stylesheet()
    given = ipywidgets.Layout(width="900px", grid_template_columns="1fr 1fr")
    browser = make_browser(server_250.url, page_size=5, layout=given)
    assert browser.layout is given
    assert browser.table.layout is browser.map.layout is not given
    assert browser.table.layout.grid_template_columns is None


def test_close_closes_every_model_the_browser_made(server_250: Any) -> None:
    before = live_models()
    browser = OrderBrowser(server_250.url, page_size=10, auto_refresh=30)
    click_row(browser, browser.table.row_ids[1])  # details and the highlight layer made
    press(browser, "export")  # and the export panel
    press(browser, "next")
    assert live_models() > before + 10
    ticker = browser._ticker
    browser.close()
    assert live_models() == before
    assert ticker is not None and not ticker.running
    assert browser.providers[0].client._http.is_closed  # made here from the URL: closed here


def test_a_client_given_stays_open(server_250: Any) -> None:
    with StatClient(server_250.url) as client:
        before = live_models()
        OrderBrowser(client, page_size=5).close()
        assert live_models() == before
        assert not client._http.is_closed
        assert client.orders_page(limit=1).orders
