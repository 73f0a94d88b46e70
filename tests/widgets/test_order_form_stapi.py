"""The same form against a STAPI v0.1.0 server (stapi-fastapi), with its order parameters."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from client.stapi_server import Backend, run_stapi_server

from stat_widgets.errors import ValidationError
from stat_widgets.widgets import OrderForm

from ._shapes import SQUARE, drawn, polygon


@pytest.fixture(scope="module")
def stapi() -> Iterator[tuple[str, Backend]]:
    with run_stapi_server() as served:
        yield served


def fill(form: OrderForm, product_id: str) -> None:
    feature = drawn(polygon(SQUARE))
    form.aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    form.product_picker.select(product_id)
    form.interval.preset_buttons["Next 7 days"].click()


def test_order_parameters_section_from_the_schema(
    stapi: tuple[str, Backend], make_form: Callable[..., OrderForm]
) -> None:
    url, backend = stapi
    form = make_form(url)
    assert form.client.dialect == "stapi"
    assert form.interval.open_end.disabled  # STAPI wants closed intervals

    params = form.section("order_parameters")
    box = form.children[form.sections.index(params)]  # no draft bar: one box per section
    assert box.children == ()  # no product yet: nothing for the browser to build and hide
    fill(form, "optical")
    assert form.order_parameters.layout.display is None
    assert box.children[1] is form.order_parameters  # under its heading, now that it applies
    delivery = form.order_parameters.controls["delivery"]
    assert [v for _, v in delivery.options] == [None, "standard", "express"]
    assert delivery.value == "standard"  # the schema's default
    # The filter rows come from the product's queryables.
    assert set(form.filters.names) == {"off_nadir", "cloud_cover"}
    row = form.filters.add_row("cloud_cover")
    row.value_widget.value = 30

    delivery.value = "express"
    order = form.submit()
    stored = backend.orders[order.id]
    assert stored.properties.order_parameters == {"delivery": "express"}
    assert stored.properties.search_parameters.filter == {
        "op": "<=",
        "args": [{"property": "cloud_cover"}, 30],
    }


def test_required_parameter_is_asked_for_next_to_its_control(
    stapi: tuple[str, Backend], make_form: Callable[..., OrderForm]
) -> None:
    url, backend = stapi
    form = make_form(url)
    fill(form, "brief")
    contact = form.order_parameters.controls["contact"]
    assert contact.description.endswith("*")
    with pytest.raises(ValidationError) as caught:
        form.submit()
    assert caught.value.field == "order_parameters.contact"
    assert "required" in form.order_parameters.feedback.value
    assert form.last_order is None

    contact.value = "ops@example.com"
    assert form.order_parameters.feedback.value == ""
    order = form.submit()
    assert backend.orders[order.id].properties.order_parameters == {"contact": "ops@example.com"}


def test_products_without_parameters_hide_the_section(
    stapi: tuple[str, Backend], make_form: Callable[..., OrderForm]
) -> None:
    form = make_form(stapi[0])
    form.product_picker.select("radar")
    assert form.order_parameters.layout.display == "none"
    assert form.aoi.accept_points is True


def test_parameter_values_are_checked_by_the_model_as_they_are_typed() -> None:
    from stat_widgets.widgets.order_parameters import OrderParametersForm

    form = OrderParametersForm()
    form.schema = {
        "type": "object",
        "properties": {
            "revisits": {"type": "integer", "minimum": 1, "maximum": 5, "title": "Revisits"},
            "contact": {"type": "string"},
        },
        "required": ["contact"],
    }
    revisits = form.controls["revisits"]
    revisits.value = "9"
    assert "revisits" not in form.value
    assert "revisits: revisits must be at most 5, got 9" in form.error
    assert "contact" not in form.error  # required is asked for at submission, not while typing
    revisits.value = "2.5"
    assert "revisits: '2.5' is not a whole number" in form.error
    revisits.value = "3"
    assert form.value == {"revisits": 3} and form.error == ""


def test_a_draft_keeps_the_order_parameters_and_says_which_no_longer_fit(
    stapi: tuple[str, Backend], make_form: Callable[..., OrderForm]
) -> None:
    from stat_widgets.widgets.drafts import home_dir

    url, _backend = stapi
    form = make_form(url, draft="params")
    fill(form, "optical")
    form.order_parameters.controls["delivery"].value = "express"
    again = make_form(url, draft="params")
    assert again.order_parameters.controls["delivery"].value == "express"
    assert again.draft.messages == []
    assert again.request == form.request

    # The provider changed its parameters since: what is gone is said, the rest restored.
    path = home_dir() / "drafts" / "params.json"
    saved = json.loads(path.read_text())
    saved["sections"]["order_parameters"] = {"delivery": "overnight", "priority": "high"}
    path.write_text(json.dumps(saved))
    stale = make_form(url, draft="params")
    assert stale.draft.messages == [
        "The draft's value of 'delivery' is no longer offered; check it.",
        "The draft's order parameter 'priority' no longer exists.",
    ]
    assert stale.order_parameters.controls["delivery"].value == "standard"  # the default
    assert stale.product_picker.value is not None and stale.aoi.geometry is not None
