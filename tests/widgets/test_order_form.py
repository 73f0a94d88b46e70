"""The whole form against the reference server over HTTP, driven as a user would."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import shapely.geometry
from ipywidgets.widgets import widget as widget_registry

from stat_widgets.client import RetryPolicy, StatClient
from stat_widgets.errors import RemoteValidationError, TransportError, ValidationError
from stat_widgets.server.catalog import DEMO_PRODUCTS
from stat_widgets.widgets import OrderForm

from ._shapes import LARGE, SQUARE, drawn, polygon

INTERVAL = "2031-03-01T09:31:00Z/2031-03-08T09:31:00Z"


def draw(form: OrderForm, ring: list[list[float]]) -> None:
    """What the browser sends when a polygon is finished on the map."""
    feature = drawn(polygon(ring))
    form.aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    form.aoi.draw_control.set_state({"data": [feature]})


def fill(form: OrderForm, product_id: str = "optical-vhr", ring: list | None = None) -> None:
    """A complete order: AOI drawn, product picked, 7-day preset, and a cloud-cover row when
    the product has that constraint."""
    draw(form, ring or SQUARE)
    form.product_picker.dropdown.value = product_id
    form.interval.preset_buttons["Next 7 days"].click()
    if "eo:cloud_cover" not in form.filters.names:
        return
    form.filters.add_button.click()
    row = form.filters.rows[0]
    row.property.value = "eo:cloud_cover"
    row.operator.value = "<="
    row.value_widget.value = 20


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def test_submit_disabled_until_the_request_is_valid(form: OrderForm) -> None:
    button = form.review.submit_button
    assert button.disabled
    assert form.request is None
    assert "an area of interest, a product, a time interval" in form.review.status.value
    draw(form, SQUARE)
    form.product_picker.select("optical-vhr")
    assert button.disabled
    assert "a time interval" in form.review.status.value
    form.interval.preset_buttons["Next 7 days"].click()
    assert not button.disabled
    assert form.request is not None


def test_preview_is_the_exact_request_body(form: OrderForm) -> None:
    fill(form)
    request = form.request
    assert request is not None
    body = request.model_dump(mode="json")
    assert body == {
        "datetime": INTERVAL,
        "product_id": "optical-vhr",
        "geometry": polygon(SQUARE),
        "filter": {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]},
    }
    preview = form.review.preview.value
    assert preview.startswith("<span>Request body to be sent:</span><pre")
    shown = html.unescape(preview.split("<pre", 1)[1].split(">", 1)[1].removesuffix("</pre>"))
    assert json.loads(shown) == body
    summary = form.review.summary.value
    assert "Optical very high resolution" in summary
    assert "79.66 km²" in summary
    assert INTERVAL in summary
    assert "eo:cloud_cover &lt;= 20" in summary


def test_complete_submission_is_listed_by_the_server(form: OrderForm, stat_url: str) -> None:
    fill(form)
    form.review.submit_button.click()

    order = form.last_order
    assert order is not None
    assert order.id in form.review.result.value
    assert "received" in form.review.result.value
    assert f'href="{stat_url}/order/{order.id}"' in form.review.result.value
    with StatClient(stat_url) as client:
        listed = {o.id: o for o in client.orders()}
    assert order.id in listed
    assert listed[order.id].request is not None
    assert listed[order.id].request.model_dump(mode="json") == form.request.model_dump(mode="json")


def test_an_aoi_drawn_across_the_antimeridian_is_ordered_in_two_parts(
    form: OrderForm, stat_url: str
) -> None:
    fiji = [[179.8, -17.0], [180.2, -17.0], [180.2, -16.8], [179.8, -16.8], [179.8, -17.0]]
    fill(form, ring=fiji)
    form.review.submit_button.click()

    order = form.last_order
    assert order is not None, form.review.status.value
    with StatClient(stat_url) as client:
        stored = client.order(order.id).request
    assert stored is not None and stored.geometry["type"] == "MultiPolygon"
    bounds = sorted(shapely.geometry.shape(part).bounds for part in _parts(stored.geometry))
    assert bounds == [(-180.0, -17.0, -179.8, -16.8), (179.8, -17.0, 180.0, -16.8)]


def _parts(multi: dict) -> list[dict]:
    return [{"type": "Polygon", "coordinates": rings} for rings in multi["coordinates"]]


def test_double_click_creates_exactly_one_order(
    make_stat_server: Callable, make_form: Callable
) -> None:
    server = make_stat_server()
    form = make_form(server.url)
    fill(form)
    button = form.review.submit_button
    button.click()
    button.click()

    with StatClient(server.url) as client:
        assert [o.id for o in client.orders()] == [form.last_order.id]
    assert button.disabled
    assert "Change anything" in form.review.status.value
    assert form.idempotency_key is None

    # Changing the request allows another order, under a new key.
    form.filters.rows[0].value_widget.value = 10
    assert not button.disabled
    button.click()
    with StatClient(server.url) as client:
        assert len(list(client.orders())) == 2


def test_submit_for_scripting_returns_the_order(form: OrderForm) -> None:
    fill(form, product_id="sar-x-band")
    order = form.submit()
    assert order is form.last_order
    assert order.status == "received"


def test_submit_without_a_request_raises_and_says_what_is_missing(form: OrderForm) -> None:
    with pytest.raises(ValidationError, match="still needed an area of interest"):
        form.submit()


def test_local_model_errors_sit_next_to_their_field(form: OrderForm) -> None:
    fill(form, product_id="multispectral-wide")
    assert form.request is not None
    form.aoi.set_geometry(
        {"type": "MultiPolygon", "coordinates": [[SQUARE]]}
    )  # this product takes Polygons only
    assert form.request is None
    assert "accepts Polygon, not MultiPolygon" in form.aoi.feedback.value
    assert form.review.submit_button.disabled


def test_oversized_aoi_blocks_with_the_products_limit(form: OrderForm) -> None:
    fill(form, product_id="optical-stereo-video", ring=LARGE)
    assert form.request is None
    assert "above the limit of 500 km²" in form.aoi.error_label.value
    assert form.review.submit_button.disabled


def test_server_rejection_keeps_the_form(
    make_stat_server: Callable, make_form: Callable, tmp_path: Any
) -> None:
    """The catalogue changes on the server after the form loaded it: the server refuses the
    area, the message sits under the map (escaped), and nothing the user entered is lost."""
    db = tmp_path / "orders.sqlite"
    server = make_stat_server(db_path=db)
    form = make_form(server.url)
    fill(form)
    port = port_of(server.url)
    server.stop()
    tighter = [dict(p) for p in DEMO_PRODUCTS]
    tighter[0] = {**tighter[0], "max_area_km2": 10, "title": "<img src=x onerror=alert(1)>"}
    make_stat_server(db_path=db, port=port, products=tighter)

    body_before = form.request.model_dump(mode="json")
    key_before = form.idempotency_key
    with pytest.raises(RemoteValidationError) as caught:
        form.submit()
    assert caught.value.field == "geometry"

    feedback = form.aoi.feedback.value
    assert "above the limit of 10 km²" in feedback
    assert "&lt;img src=x onerror=alert(1)&gt;" in feedback and "<img" not in feedback
    assert "not accepted" in form.review.result.value
    # Everything is still there, and the same submission can be retried.
    assert form.request.model_dump(mode="json") == body_before
    assert form.aoi.geometry == polygon(SQUARE)
    assert form.product_picker.value.id == "optical-vhr"
    assert str(form.interval.value) == INTERVAL
    assert form.filters.rows[0].value_widget.value == 20
    assert form.last_order is None
    assert not form.review.submit_button.disabled
    assert key_before is None and form.idempotency_key is not None
    # Editing the AOI clears the server's messages, which were about the previous request.
    draw(form, [[10.0, 50.0], [10.01, 50.0], [10.01, 50.01], [10.0, 50.0]])
    assert form.aoi.feedback.value == ""
    assert form.review.result.value == ""
    # The smaller area passes the new limit: the retry creates the order.
    assert form.submit().status == "received"


def test_transport_error_keeps_the_key_and_a_retry_creates_one_order(
    make_stat_server: Callable, make_form: Callable, tmp_path: Any
) -> None:
    db = tmp_path / "orders.sqlite"
    server = make_stat_server(db_path=db)
    client = StatClient(server.url, retry=RetryPolicy(tries=1))
    form = make_form(client)
    fill(form)
    port = port_of(server.url)
    server.stop()

    form.review.submit_button.click()  # the button path shows the error instead of raising
    assert form.last_order is None
    assert "could not be submitted" in form.review.result.value
    assert "Your input is kept" in form.review.result.value
    key = form.idempotency_key
    assert key is not None
    assert not form.review.submit_button.disabled
    with pytest.raises(TransportError):
        form.submit()
    assert form.idempotency_key == key

    restarted = make_stat_server(db_path=db, port=port)
    form.review.submit_button.click()
    assert form.last_order is not None
    with StatClient(restarted.url) as check:
        assert [o.id for o in check.orders()] == [form.last_order.id]
    client.close()


def test_no_token_in_any_widget_state(make_stat_server: Callable, make_form: Callable) -> None:
    token = "s3cret-token-value"
    server = make_stat_server(tokens={token: "alice"})
    form = make_form(server.url, token=token)
    fill(form)
    order = form.submit()
    assert order.user == "alice"
    # Every live widget model, i.e. everything that would be saved into the notebook file.
    checked = 0
    for widget in list(widget_registry._instances.values()):
        for key in widget.keys:
            try:
                state = widget.get_state(key)
            except AttributeError:  # a reference to a widget another test closed
                continue
            assert token not in json.dumps(state, default=str)
            checked += 1
    assert checked > 100
    assert token not in repr(form)


def _by_draw(form: OrderForm) -> None:
    draw(form, SQUARE)


def _by_edit(form: OrderForm) -> None:
    draw(form, LARGE)
    form.aoi.draw_control.set_state({"data": [drawn(polygon(SQUARE))]})  # vertices dragged


def _by_upload(form: OrderForm) -> None:
    content = json.dumps({"type": "Feature", "properties": {}, "geometry": polygon(SQUARE)})
    form.aoi.upload.set_state(
        {
            "value": [
                {
                    "name": "aoi.geojson",
                    "type": "application/geo+json",
                    "size": len(content),
                    "content": content.encode(),
                    "last_modified": 0,
                }
            ]
        }
    )


def _by_paste(form: OrderForm) -> None:
    form.aoi.paste_text.value = "POLYGON ((10 50, 10.1 50, 10.1 50.1, 10 50.1, 10 50))"
    form.aoi.paste_button.click()


def _by_bbox(form: OrderForm) -> None:
    for name, value in zip(("west", "south", "east", "north"), (10, 50, 10.1, 50.1), strict=True):
        form.aoi.bbox_inputs[name].value = value
    form.aoi.bbox_button.click()


@pytest.mark.parametrize("enter_aoi", [_by_draw, _by_edit, _by_upload, _by_paste, _by_bbox])
def test_each_aoi_source_reaches_the_server(
    form: OrderForm, stat_url: str, enter_aoi: Callable[[OrderForm], None]
) -> None:
    form.product_picker.select("multispectral-wide")
    form.interval.preset_buttons["Next 24 h"].click()
    enter_aoi(form)
    order = form.submit()
    with StatClient(stat_url) as client:
        stored = client.order(order.id)
    assert stored.request is not None
    assert stored.request.geometry == polygon(SQUARE)


def test_deleting_the_aoi_disables_submit(form: OrderForm) -> None:
    fill(form)
    assert not form.review.submit_button.disabled
    feature = form.aoi.draw_control.data[0]
    form.aoi.draw_control._handle_custom_msg({"event": "pm:remove", "geo_json": feature}, [])
    form.aoi.draw_control.set_state({"data": []})
    assert form.request is None
    assert form.review.submit_button.disabled
    assert "an area of interest" in form.review.status.value
