"""The browser and the app with several providers: two and three servers of both dialects
(our reference server, stapi-fastapi) with their own page sizes, one failing, in one table
newest first with a provider column; hostile provider names; the same order id at two
providers; "New order" with a provider picker."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from stat_widgets.client import StatClient
from stat_widgets.models import OrderRequest
from stat_widgets.widgets import OrderApp, OrderBrowser

from ._providers import (
    INTERVAL,
    at,
    dead_url,
    fast_client,
    square,
    stapi_provider,
    stat_provider,
)
from ._shapes import SQUARE, drawn, polygon

A_TIMES = [3 * k for k in range(12)]
B_TIMES = [3 * k + 1 for k in range(9)]
C_TIMES = [3 * k + 2 for k in range(5)]
HOSTILE_NAME = '<img src=x onerror=alert("provider")>'


@pytest.fixture
def servers(make_stat_server: Callable[..., Any]) -> Iterator[dict[str, str]]:
    """A and C: reference servers; B: stapi-fastapi serving 4 orders per page."""
    a = stat_provider(make_stat_server, A_TIMES)
    c = stat_provider(make_stat_server, C_TIMES)
    with stapi_provider(B_TIMES, page_cap=4) as b:
        yield {"A": a.url, "B": b.url, "C": c.url}


def notes_with_retry(browser: OrderBrowser) -> list[dict[str, Any]]:
    return [n for n in browser.table.notes if n.get("action") == "retry"]


def test_three_providers_in_one_table_newest_first(
    servers: dict[str, str], make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(servers, page_size=10)
    assert browser.table.columns[0] == ["provider", "Provider"]
    assert browser.position == f"orders 1-10 of {len(A_TIMES + B_TIMES + C_TIMES)}"
    seen = []
    while True:
        rows = browser.table.records
        assert [r["provider"] for r in rows] == [r.provider for r in browser.pager.view.rows]
        seen += [(row.provider, row.order.created) for row in browser.pager.view.rows]
        if not browser.next():
            break
    expected = sorted(
        [("A", at(s)) for s in A_TIMES]
        + [("B", at(s)) for s in B_TIMES]
        + [("C", at(s)) for s in C_TIMES],
        key=lambda pair: pair[1],
        reverse=True,
    )
    assert seen == expected
    assert {p.name: p.client.dialect for p in browser.providers} == {
        "A": "stat",
        "B": "stapi",
        "C": "stat",
    }


def test_a_stapi_row_selected_shows_its_details_from_its_provider(
    servers: dict[str, str], make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(servers, page_size=10)
    index = next(i for i, row in enumerate(browser.pager.view.rows) if row.provider == "B")
    browser.table.selected = index
    assert browser.selected_provider == "B"
    order = browser.pager.view.rows[index].order
    assert browser.selected_order is not None and browser.selected_order.id == order.id
    assert order.id in browser.details.html.value
    assert servers["B"].split("//")[1] in browser.details.html.value  # links from B itself
    assert browser.map.selected == index
    assert browser.map.highlight.data["features"][0]["geometry"] == order.request.geometry
    # the STAPI Feature's geometry is named, and not said to come from a JSON Reference
    assert "Polygon, the order&#x27;s area (on the map)" in browser.details.html.value
    assert "JSON Reference" not in browser.details.html.value


def test_filters_apply_per_provider(
    servers: dict[str, str], make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(servers, page_size=50)
    statuses = {str(o.status) for o in browser.orders}
    assert "received" in statuses and len(statuses) > 1  # STAPI's are new, ours have settled
    browser.status_filter = "received"
    assert {r.provider for r in browser.pager.view.rows} == {"B"}
    assert all(str(o.status) == "received" for o in browser.orders)
    assert len(browser.orders) == len(B_TIMES)
    assert browser.position == f"orders 1-{len(B_TIMES)}"  # B filtered here: no total claimed


def test_a_failing_provider_is_shown_with_retry_while_the_others_stay(
    servers: dict[str, str], make_browser: Callable[..., OrderBrowser]
) -> None:
    with fast_client(dead_url()) as dead:
        browser = make_browser({"A": servers["A"], "Down": dead, "B": servers["B"]}, page_size=8)
        assert {r.provider for r in browser.pager.view.rows} == {"A", "B"}
        (note,) = notes_with_retry(browser)
        assert note["text"].startswith("Down: ") and note["value"] == "Down"
        assert browser.error.startswith("Down: ")
        assert browser.position == "orders 1-8"  # Down's share is unknown
        assert browser.next()
        assert notes_with_retry(browser) == [note]  # still shown, not asked again
        browser.table._handle_custom_msg({"control": "retry", "value": "Down"}, [])
        assert notes_with_retry(browser)[0]["value"] == "Down"  # asked again: still down
        assert {r.provider for r in browser.pager.view.rows} <= {"A", "B"}


def test_a_provider_that_comes_back_is_merged_in_on_retry(
    servers: dict[str, str], make_browser: Callable[..., OrderBrowser], tmp_path: Any
) -> None:
    from stat_widgets.server import ManualClock, run_in_thread

    db = tmp_path / "late.db"
    late = run_in_thread(db_path=db, clock=ManualClock(at(100)))
    with StatClient(late.url) as client:
        newest = client.create_order(
            {"datetime": INTERVAL, "product_id": "optical-vhr", "geometry": square(1, 2)}
        )
    late.stop()
    browser = make_browser({"A": servers["A"], "Late": fast_client(late.url)}, page_size=5)
    assert [n["value"] for n in notes_with_retry(browser)] == ["Late"]
    again = run_in_thread(db_path=db, clock=ManualClock(at(200)), port=late.port)
    try:
        assert browser.retry("Late")
        assert notes_with_retry(browser) == []
        first = browser.pager.view.rows[0]
        assert (first.provider, first.order.id) == ("Late", newest.id)  # the newest, on top
    finally:
        again.stop()
        browser.providers[1].client.close()


def test_hostile_provider_names_and_strings_stay_text(
    make_stat_server: Callable[..., Any], make_browser: Callable[..., OrderBrowser]
) -> None:
    server = stat_provider(make_stat_server, [0, 1])
    with fast_client(dead_url()) as dead:
        browser = make_browser({HOSTILE_NAME: server.url, "<b>down</b>": dead})
        assert {row["provider"] for row in browser.table.records} == {HOSTILE_NAME}
        assert notes_with_retry(browser)[0]["text"].startswith("<b>down</b>: ")  # as text
        exported = browser.export_page(fmt="records")
        assert {r["provider"] for r in exported} == {HOSTILE_NAME}
        browser.table.selected = 0
        assert browser.selected_provider == HOSTILE_NAME
        # the details are HTML: there the name never appears, and the rest is escaped
        assert "<img" not in browser.details.html.value


def test_the_same_order_id_at_two_providers_is_two_rows(
    make_stat_server: Callable[..., Any], make_browser: Callable[..., OrderBrowser]
) -> None:
    """Ids are only unique per provider; the row, the map and the details know which."""
    servers = []
    for seconds, product in ((10, "optical-vhr"), (20, "sar-x-band")):
        server = make_stat_server()
        request = OrderRequest.from_input(
            {"datetime": INTERVAL, "product_id": product, "geometry": square(seconds, 0)}
        )
        state = server.app.state.stat
        state.store.insert(
            order_id="same-id",
            owner="anonymous",
            product_id=product,
            created_ms=int(at(seconds).timestamp() * 1000),
            request=json.dumps(request.model_dump(mode="json")),
        )
        servers.append(server)
    browser = make_browser({"One": servers[0].url, "Two": servers[1].url})
    assert [(r["provider"], r["id"]) for r in browser.table.records] == [
        ("Two", "same-id"),
        ("One", "same-id"),
    ]
    browser.table.selected = 1
    assert (browser.selected_provider, browser.selected_id) == ("One", "same-id")
    assert browser.selected_order is not None
    assert browser.selected_order.product_id == "optical-vhr"  # One's order, not Two's
    browser.map.click_feature(0)
    assert (browser.selected_provider, browser.table.selected) == ("Two", 0)
    assert browser.selected_order is not None
    assert browser.selected_order.product_id == "sar-x-band"
    browser.select("same-id", "One")
    assert browser.table.selected == 1 and browser.map.selected == 1


def test_the_app_orders_from_the_picked_provider_and_shows_every_providers_orders(
    servers: dict[str, str], make_app: Callable[..., OrderApp]
) -> None:
    app = make_app({"A": servers["A"], "B": servers["B"]}, page_size=30)
    assert app.connection.layout.display == "none"  # clients given: nothing to connect
    assert list(app.provider_picker.options) == ["A", "B"]
    assert app.provider_picker.layout.display != "none"
    assert "2 providers" in app.title_html.value
    browser = app.browser
    assert browser is not None
    assert {r.provider for r in browser.pager.view.rows} == {"A", "B"}
    before = len(browser.orders)

    form_for_a = app.form
    app.provider_picker.value = "B"
    assert app.form is not form_for_a and app.form is not None
    assert app.form.client is app.client and app.client.dialect == "stapi"
    assert app.form in app.tabs.children[0].children
    form = app.form
    feature = drawn(polygon(SQUARE))
    form.aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    form.aoi.draw_control.set_state({"data": [feature]})
    form.product_picker.select("optical")
    form.interval.preset_buttons["Next 7 days"].click()
    form.review.submit_button.click()
    new = form.last_order
    assert new is not None, form.review.result.value
    assert (browser.selected_provider, browser.selected_id) == ("B", new.id)
    assert len(browser.orders) == before + 1
    # (B's new order is dated today, its others and A's in 2031: it is not the newest)
    assert ("B", new.id) in [(r.provider, r.order.id) for r in browser.pager.view.rows]
