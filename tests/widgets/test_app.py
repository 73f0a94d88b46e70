"""``OrderApp`` against the reference server over HTTP: tabs, title, connection with a token
that never stays in widget state, and a submission that shows up selected in the browser."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as widgets

from stat_widgets.client import StatClient
from stat_widgets.widgets import OrderApp, OrderBrowser, OrderForm
from stat_widgets.widgets.app import MY_ORDERS, NEW_ORDER

from ._shapes import SQUARE, drawn, polygon
from .test_order_browser import create_orders

TOKEN = "s3cret-token-for-alice"


def all_widgets(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from all_widgets(child)


def test_tabs_and_the_servers_title(stat_url: str, make_app: Callable[..., OrderApp]) -> None:
    app = make_app(stat_url)
    assert app.connected
    assert app.title == "STAT reference server"
    assert "STAT reference server" in app.title_html.value
    assert app.tabs.titles == (NEW_ORDER, MY_ORDERS)
    assert isinstance(app.form, OrderForm) and app.form in app.tabs.children[0].children
    assert app.provider_picker.layout.display == "none"  # one server: nothing to pick
    assert isinstance(app.tabs.children[1], OrderBrowser)
    assert app.url_text.value == stat_url


def test_a_client_can_be_given_instead_of_a_url(
    stat_url: str, make_app: Callable[..., OrderApp]
) -> None:
    with StatClient(stat_url) as client:
        app = make_app(client)
        assert app.client is client
        assert app.browser is not None and app.browser.client is client


def test_the_token_is_used_and_never_kept_in_widget_state(
    make_stat_server: Callable[..., Any], make_app: Callable[..., OrderApp]
) -> None:
    server = make_stat_server(tokens={TOKEN: "alice"})
    with StatClient(server.url, token=TOKEN) as client:
        (order_id,) = create_orders(client, 1)
    app = make_app(server.url)
    assert app.browser is not None
    assert "Not authorised (401)" in app.browser.error  # no token yet
    app.token_text.value = TOKEN
    app.connect_button.click()
    assert app.token_text.value == ""
    assert app.browser.error == ""
    assert app.browser.table.row_ids == [order_id]
    for widget in all_widgets(app):
        assert TOKEN not in repr(widget.get_state()), type(widget).__name__


def test_a_bad_url_is_reported_in_the_widget(make_app: Callable[..., OrderApp]) -> None:
    app = make_app("ftp://nowhere")
    assert not app.connected
    assert "http(s)" in app.connection_error.value
    app.url_text.value = ""
    assert not app.connect()
    assert "URL" in app.connection_error.value


def test_a_hostile_title_is_escaped() -> None:
    from stat_widgets.widgets.app import title_html

    shown = title_html({"title": "<script>alert(1)</script>"}, "http://127.0.0.1:1")
    assert "<script" not in shown and "&lt;script&gt;" in shown


def test_after_a_submission_the_browser_selects_the_new_order(
    make_stat_server: Callable[..., Any], make_app: Callable[..., OrderApp]
) -> None:
    server = make_stat_server()
    with StatClient(server.url) as client:
        older = create_orders(client, 25)
    app = make_app(server.url, page_size=10)
    form, browser = app.form, app.browser
    assert form is not None and browser is not None
    assert browser.next()  # the user is looking at older orders
    assert browser.position == "orders 11-20 of 25"

    feature = drawn(polygon(SQUARE))
    form.aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    form.aoi.draw_control.set_state({"data": [feature]})
    form.product_picker.select("optical-vhr")
    form.interval.preset_buttons["Next 7 days"].click()
    form.review.submit_button.click()
    new = form.last_order
    assert new is not None and new.id not in older

    assert browser.position == "orders 1-10 of 26"
    assert browser.table.row_ids[0] == new.id
    assert browser.selected_id == new.id
    assert browser.table.selected_order is not None and browser.table.selected_order.id == new.id
    assert new.id in browser.details.html.value
    assert browser.map.selected == browser.table.selected == 0


def test_close_closes_every_model_the_app_made(stat_url: str) -> None:
    from ipywidgets.widgets.widget import _instances

    from stat_widgets.widgets.order_browser.table_code import table_code

    table_code()  # the tables' code: one model per kernel, left open by design
    before = len(_instances)
    # (with basemap=False the AOI map drops its tile layer without closing it: issue 13's)
    app = OrderApp(stat_url)
    assert app.browser is not None and app.browser.next() is not None
    assert len(_instances) > before + 20
    app.close()
    assert len(_instances) == before
