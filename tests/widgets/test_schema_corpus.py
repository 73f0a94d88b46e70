"""The form built from real-world-shaped products (``tests/models/schemas``), served by the
reference server: every field is offered, values as choices (not free text), and the filters
and order parameters built from them are accepted by the same models on the server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pytest
from models.corpus import STAT_ERA, document

from stat_widgets.widgets import FilterBuilder, OrderForm, ProductPicker
from stat_widgets.widgets.order_parameters import OrderParametersForm

from ._shapes import SQUARE, drawn, polygon


@pytest.fixture
def corpus_form(
    make_stat_server: Callable[..., Any], make_form: Callable[..., OrderForm]
) -> OrderForm:
    products = [document(name) for name in STAT_ERA]
    for item in products:
        item.pop("x-shape", None)
    return make_form(make_stat_server(products=products).url)


def _choices(row: Any) -> list[Any]:
    assert isinstance(row.value_widget, widgets.SelectMultiple), row.name
    return [value for _, value in row.value_widget.options]


def test_every_field_is_offered_and_values_are_choices(
    corpus_form: OrderForm,
) -> None:
    form = corpus_form
    expected = {
        "PL-Flexible": 4,
        "BK-STEREO": 12,
        "vhr-tasking": 13,
        "4f866cd3-tasking": 11,
    }
    for product_id, count in expected.items():
        product = form.product_picker.select(product_id)
        assert len(form.filters.names) == count, product_id
        for field in product.fields:
            row = form.filters.add_row(field.name)
            if field.enum:
                assert _choices(row) == list(field.enum)
            assert row.kind == field.kind
        form.filters.clear()


def test_titled_values_and_tuple_items_are_offered_by_label(
    corpus_form: OrderForm,
) -> None:
    form = corpus_form
    form.product_picker.select("BK-STEREO")
    tier = form.filters.add_row("tier")
    assert list(tier.value_widget.options) == [
        ("Standard tier", "STANDARD"),
        ("Preferred tier", "PREFERRED"),
        ("Elite tier", "ELITE"),
    ]
    assert "Offering tier [tier]: string" in form.product_picker.details.value
    assert "one of Standard tier, Preferred tier, Elite tier" in form.product_picker.details.value

    builder = FilterBuilder(document("planet_like_queryables"))
    constellations = builder.add_row("constellations")
    assert _choices(constellations) == ["Dove", "SkySat"]
    constellations.value_widget.value = ("SkySat",)
    assert builder.value == {"op": "in", "args": [{"property": "constellations"}, ["SkySat"]]}
    assert "#/parameters/$defs/" in builder.notes_view.value


def test_an_order_filtered_on_stat_era_parameters_is_accepted_by_the_server(
    corpus_form: OrderForm,
) -> None:
    form = corpus_form
    feature = drawn(polygon(SQUARE))
    form.aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    form.product_picker.select("vhr-tasking")
    form.interval.preset_buttons["Next 7 days"].click()
    sensors = form.filters.add_row("sensors")
    assert _choices(sensors) == ["S1", "S2", "S3", "S4"]
    sensors.value_widget.value = ("S2", "S3")
    cloud = form.filters.add_row("maxCloudCover")
    cloud.value_widget.value = 20
    assert form.filters.error == ""
    order = form.submit()
    assert order.request.filter == {
        "op": "and",
        "args": [
            {"op": "in", "args": [{"property": "sensors"}, ["S2", "S3"]]},
            {"op": "<=", "args": [{"property": "maxCloudCover"}, 20]},
        ],
    }


def test_unreadable_fields_are_free_text_with_their_note() -> None:
    builder = FilterBuilder(document("broken_queryables"))
    missing = builder.add_row("missing_ref")
    assert isinstance(missing.value_widget, widgets.Text)
    assert "does not resolve" in missing.hint.value
    assert "never fetched" in builder.notes_view.value
    missing.value_widget.value = "anything"
    assert builder.value is not None
    tier = builder.add_row("tier")
    assert _choices(tier) == ["A", "B"]


def test_order_parameters_form_from_refs_arrays_and_null() -> None:
    form = OrderParametersForm()
    form.schema = document("umbra_like_order_parameters")
    scene = form.controls["sceneSize"]
    assert [v for _, v in scene.options] == [None, "5x5_KM", "10x10_KM"]
    assert scene.value == "5x5_KM"
    types = form.controls["productTypes"]
    assert isinstance(types, widgets.SelectMultiple)
    assert [v for _, v in types.options] == ["GEC", "SICD", "SIDD"] and types.value == ("GEC",)
    assert form.controls["satelliteIds"].description == "Satellites *"
    form.controls["satelliteIds"].value = "SAT-01, SAT-02"
    types.value = ("SICD", "SIDD")
    assert form.error == ""
    assert form.value["satelliteIds"] == ["SAT-01", "SAT-02"]
    assert form.value["productTypes"] == ["SICD", "SIDD"]
    form.controls["grazingAngleDegrees"].value = "90"
    assert "grazingAngleDegrees: grazingAngleDegrees must be at most 70" in form.error
    assert "grazingAngleDegrees" not in form.value


def test_the_product_card_lists_fields_with_their_values() -> None:
    from models.corpus import product

    picker = ProductPicker([product(name) for name in STAT_ERA])
    picker.select("4f866cd3-tasking")
    card = picker.details.value
    assert "satellites [satellites]: string[] one of PHR1A, PHR1B, SPOT6, SPOT7" in card
    assert "maxCloudCover [maxCloudCover]: integer or null 0 to 100" in card
    picker.select("PL-Flexible")
    assert "not field schemas, so not offered: allowed_geometry" in picker.details.value
