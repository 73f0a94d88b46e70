"""``OrderForm`` with its opportunities section, driven from Python as a person drives it:
draw, pick, search, choose a window (by row or on the map), review, submit once; against the
reference server's STAPI face and a foreign stapi-fastapi server (sync and async search)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from client.stapi_server import AOI, Backend, run_stapi_server

from stat_widgets.client import StatClient
from stat_widgets.widgets import OrderForm
from stat_widgets.widgets.opportunities.ordering import order_body
from stat_widgets.widgets.opportunities.view import DONE, NO_SEARCH, STALE, UNAVAILABLE

from ._shapes import drawn
from .conftest import FIXED_NOW

SITE = json.loads((Path(__file__).parents[2] / "notebooks/data/aoi.geojson").read_text())
KONSTANZ = SITE["features"][0]["geometry"]


def draw(form: OrderForm, geometry: dict[str, Any]) -> None:
    feature = drawn(geometry)
    form.aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    form.aoi.draw_control.set_state({"data": [feature]})


def fill(form: OrderForm, product_id: str, geometry: dict[str, Any], interval: str = "") -> None:
    draw(form, geometry)
    form.product_picker.dropdown.value = product_id
    if interval:
        form.interval.set_interval(interval)
    else:
        form.interval.preset_buttons["Next 7 days"].click()


@pytest.fixture
def reference(make_stat_server: Callable[..., Any]) -> Any:
    from stat_widgets.server import ManualClock

    return make_stat_server(clock=ManualClock(FIXED_NOW))


@pytest.fixture
def foreign() -> Iterator[tuple[str, Backend]]:
    with run_stapi_server() as served:
        yield served


def test_choose_a_window_review_it_and_order_it_once(
    reference: Any, make_form: Callable[..., OrderForm]
) -> None:
    form = make_form(reference.url + "/stapi")
    section = form.opportunities
    assert section.control("find")["disabled"]  # nothing to search for yet
    fill(form, "optical-vhr", KONSTANZ)
    assert not section.control("find")["disabled"]
    searched = form.request
    assert searched is not None

    section.search()  # what "Find opportunities" does (here in the foreground)
    assert section.state == DONE and len(section.opportunities) >= 3
    section.table.click_row(2)  # windows open more than a day after now: in time to task
    chosen = form.opportunity
    assert chosen is section.opportunities[2]
    assert form.request is not None and form.request.datetime == chosen.datetime
    assert form.request.geometry == chosen.geometry  # the footprint is ordered
    assert "Order this opportunity: " in form.review.summary.value
    shown = json.loads(_preview(form))
    assert shown == order_body(chosen, {}) and shown["datetime"] == str(chosen.datetime)

    button = form.review.submit_button
    button.click()
    button.click()  # a double click: one order
    with StatClient(reference.url + "/stapi") as client:
        orders = list(client.orders())
    assert [o.id for o in orders] == [form.last_order.id]
    assert str(orders[0].request.datetime) == str(chosen.datetime)
    assert button.disabled and "Change anything" in form.review.status.value

    # another window is another order
    section.footprints.click_feature(1)  # chosen on the map
    assert form.opportunity is section.opportunities[1] and section.table.selected == 1
    assert not button.disabled
    button.click()
    with StatClient(reference.url + "/stapi") as client:
        assert len(list(client.orders())) == 2

    # a changed interval: the results are stale, the window dropped, the request the form's
    form.interval.preset_buttons["Next 30 days"].click()
    assert section.state == STALE and form.opportunity is None
    assert form.request is not None and form.request.datetime != chosen.datetime
    assert "Order this opportunity" not in form.review.summary.value
    section.press("find")  # one click to search again (in the background here)
    section.running.thread.join(30)
    assert section.state == DONE


def _preview(form: OrderForm) -> str:
    import html
    import re

    found = re.search(r"<pre[^>]*>(.*)</pre>", form.review.preview.value, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def test_foreign_server_synchronous_search_then_order(
    foreign: tuple[str, Backend], make_form: Callable[..., OrderForm]
) -> None:
    url, backend = foreign
    form = make_form(url)
    fill(form, "optical", AOI, "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z")
    form.opportunities.search()
    assert [o.id for o in form.opportunities.opportunities] == [f"optical-{k}" for k in range(7)]
    form.opportunities.footprints.click_feature(4)
    assert form.opportunity is not None and form.opportunity.id == "optical-4"
    form.review.submit_button.click()
    form.review.submit_button.click()
    assert backend.created_posts == 1
    (stored,) = backend.orders.values()
    start, end = stored.properties.search_parameters.datetime
    assert (start, end) == (form.opportunity.start, form.opportunity.end)
    assert stored.properties.order_parameters == {"delivery": "standard"}  # the form's


def test_foreign_server_asynchronous_search_orders_through_its_link(
    foreign: tuple[str, Backend], make_form: Callable[..., OrderForm]
) -> None:
    url, backend = foreign
    form = make_form(url)
    fill(form, "radar", AOI, "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z")
    form.opportunities.press("find")  # in the background: polled until complete
    form.opportunities.running.thread.join(30)
    assert form.opportunities.state == DONE
    form.opportunities.table.click_row(5)
    chosen = form.opportunity
    assert chosen is not None and chosen.link("create-order") is not None
    assert json.loads(_preview(form))["datetime"] == chosen.link("create-order").body["datetime"]
    form.review.submit_button.click()
    form.review.submit_button.click()
    assert backend.created_posts == 1
    (stored,) = backend.orders.values()
    assert stored.properties.search_parameters.datetime[0] == chosen.start


def test_changing_the_area_drops_the_window(
    foreign: tuple[str, Backend], make_form: Callable[..., OrderForm]
) -> None:
    url, _backend = foreign
    form = make_form(url)
    fill(form, "optical", AOI, "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z")
    form.opportunities.search()
    form.opportunities.table.click_row(0)
    key = form.idempotency_key
    assert form.opportunity is not None
    moved = {
        "type": "Polygon",
        "coordinates": [[[p[0] + 0.01, p[1]] for p in AOI["coordinates"][0]]],
    }
    draw(form, moved)
    assert form.opportunities.state == STALE and form.opportunity is None
    assert form.request is not None and form.request.geometry == moved
    assert form.idempotency_key == key  # no submission yet: nothing was keyed


def test_stat_draft_server_says_so_in_one_line_and_orders_as_before(
    stat_url: str, make_form: Callable[..., OrderForm]
) -> None:
    form = make_form(stat_url)
    fill(form, "optical-vhr", KONSTANZ)
    assert form.opportunities.state == UNAVAILABLE
    assert form.opportunities.status_text == NO_SEARCH
    assert form.opportunity is None
    order = form.submit()
    assert order.request is not None and order.request.datetime == form.request.datetime


def test_order_app_orders_a_window_and_my_orders_shows_it(
    make_stat_server: Callable[..., Any], make_app: Callable[..., Any]
) -> None:
    server = make_stat_server()  # its clock at the wall clock's time, as the app's presets
    app = make_app(server.url + "/stapi")
    form, browser = app.form, app.browser
    assert form is not None and browser is not None
    fill(form, "optical-vhr", KONSTANZ)
    form.opportunities.search()
    form.opportunities.table.click_row(1)
    chosen = form.opportunity
    assert chosen is not None
    form.review.submit_button.click()
    assert browser.selected_id == form.last_order.id
    shown = browser.details.html.value
    assert f"Ordered window: {chosen.datetime}" in shown
    assert f"satellite {chosen.satellite}" in shown


def test_my_orders_shows_the_window_chosen_where_the_server_does_not_echo_it(
    foreign: tuple[str, Backend], make_app: Callable[..., Any]
) -> None:
    url, _backend = foreign  # stapi-fastapi: its orders carry no opportunity_properties
    app = make_app(url)
    form, browser = app.form, app.browser
    assert form is not None and browser is not None
    fill(form, "optical", AOI, "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z")
    form.opportunities.search()
    form.opportunities.table.click_timeline(form.opportunities.table.timeline_marks()[4][1])
    chosen = form.opportunity
    assert chosen is not None and chosen.id == "optical-4"  # chosen on the timeline
    form.review.submit_button.click()
    assert browser.selected_id == form.last_order.id
    assert not (form.last_order.model_extra or {}).get("opportunity_properties")
    shown = browser.details.html.value
    assert f"Ordered window: {chosen.datetime} (satellite test-0, off-nadir 9.0°)" in shown
    assert "as chosen here (the server does not say)" in shown


def test_stat_draft_orders_show_no_window_unless_made_from_that_window(
    stat_url: str, make_app: Callable[..., Any]
) -> None:
    from stat_widgets.models import Opportunity
    from stat_widgets.widgets.order_browser.details import window_html

    app = make_app(stat_url)
    form, browser = app.form, app.browser
    assert form is not None and browser is not None
    fill(form, "optical-vhr", KONSTANZ)
    assert form.opportunities.state == UNAVAILABLE and form.opportunity is None
    form.review.submit_button.click()
    order = form.last_order
    assert order is not None and browser.selected_id == order.id
    assert "Ordered window" not in browser.details.html.value  # nothing was chosen
    assert browser.details.windows == {}
    # an order whose interval is a window chosen for it shows that window; another does not
    assert order.request is not None and not (order.model_extra or {}).get("opportunity_properties")
    same = Opportunity(
        product_id="optical-vhr",
        datetime=order.request.datetime,
        geometry=KONSTANZ,
        properties={"platform": "<b>sat</b>", "view:off_nadir": 4.0},
    )
    shown = window_html(order, same)
    assert f"Ordered window: {order.request.datetime}" in shown
    assert "&lt;b&gt;sat&lt;/b&gt;" in shown and "off-nadir 4.0°" in shown
    other = Opportunity(
        product_id="optical-vhr",
        datetime="2031-03-02T10:00:00Z/2031-03-02T10:01:00Z",
        geometry=KONSTANZ,
        properties={"platform": "sat"},
    )
    assert window_html(order, other) == ""


def test_an_order_without_a_window_shows_none() -> None:
    from stat_widgets.models import Order
    from stat_widgets.widgets.order_browser.details import window_html

    plain = Order(id="x", status="received", created=FIXED_NOW)
    assert window_html(plain) == ""
    hostile = Order(
        id="y",
        status="received",
        created=FIXED_NOW,
        request={
            "datetime": "2031-03-02T10:00:00Z/2031-03-02T10:01:00Z",
            "product_id": "p",
            "geometry": AOI,
        },
        opportunity_properties={"platform": "<script>alert(1)</script>", "off_nadir": 7},
    )
    shown = window_html(hostile)
    assert "<script" not in shown and "&lt;script&gt;" in shown and "off-nadir 7.0°" in shown
