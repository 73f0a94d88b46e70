"""Filter rows generated from each product's constraints, as served by the reference server."""

from __future__ import annotations

from typing import Any

import pytest

from stat_widgets.client import StatClient
from stat_widgets.models import Product, validate_filter
from stat_widgets.widgets import FilterBuilder
from stat_widgets.widgets.filter_builder import NUMBER_OPERATORS


@pytest.fixture(scope="module")
def products(stat_url: str) -> list[Product]:
    with StatClient(stat_url) as client:
        return client.products()


def _property_names(node: Any) -> set[str]:
    if isinstance(node, dict):
        if "property" in node:
            return {node["property"]}
        return set().union(*(_property_names(a) for a in node.get("args", [])))
    if isinstance(node, list):
        return set().union(*(_property_names(a) for a in node))
    return set()


def test_every_product_gets_a_row_per_constraint(products: list[Product]) -> None:
    """For each served product, one row per property: the right control, the operators the type
    allows, numeric bounds from the schema, and CQL2 the product's constraints accept."""
    assert products
    for product in products:
        builder = FilterBuilder(product.constraints)
        properties = product.constraints["properties"]
        for name, schema in properties.items():
            row = builder.add_row(name)
            kind = row.kind
            assert list(row.property.options) == [
                ((s.get("title") or n), n) for n, s in properties.items()
            ]
            if kind in ("number", "integer"):
                assert tuple(row.operator.options) == NUMBER_OPERATORS
                assert row.value_widget.min == schema["minimum"]
                assert row.value_widget.max == schema["maximum"]
                row.value_widget.value = schema["maximum"] + 1000  # clamped by the input
                assert row.value_widget.value == schema["maximum"]
                row.operator.value = "between"
                row.value_widget.value = schema["minimum"]
                assert row.cql2()["op"] == "between"
            elif kind == "enum":
                assert row.operator.options == ("in",)
                assert [v for _, v in row.value_widget.options] == schema["enum"]
                row.value_widget.value = tuple(schema["enum"][:2])
                assert row.cql2() == {
                    "op": "in",
                    "args": [{"property": name}, schema["enum"][:2]],
                }
            elif kind == "boolean":
                row.value_widget.value = False
                assert row.cql2() == {"op": "=", "args": [{"property": name}, False]}
            else:
                row.value_widget.value = "x"
                assert row.cql2() == {"op": "=", "args": [{"property": name}, "x"]}
        assert builder.error == ""
        assert builder.value is not None
        assert _property_names(builder.value) == set(properties)
        assert validate_filter(builder.value, product.constraints) == builder.value
        if len(properties) > 1:
            assert builder.value["op"] == "and"
        assert "AND" in builder.text_view.value or len(properties) == 1


def test_number_row_operators_and_text(products: list[Product]) -> None:
    optical = next(p for p in products if p.id == "optical-vhr")
    builder = FilterBuilder(optical.constraints)
    builder.add_button.click()
    row = builder.rows[0]
    row.property.value = "eo:cloud_cover"
    for op in ("<", "<=", "=", ">=", ">"):
        row.operator.value = op
        row.value_widget.value = 20
        assert builder.value == {"op": op, "args": [{"property": "eo:cloud_cover"}, 20]}
    row.operator.value = "between"
    row.value_widget.value = 10
    row.upper_widget.value = 30.5
    assert builder.value == {"op": "between", "args": [{"property": "eo:cloud_cover"}, 10, 30.5]}
    assert "eo:cloud_cover BETWEEN 10 AND 30.5" in builder.text_view.value
    assert "&quot;between&quot;" in builder.json_view.value


def test_rows_are_anded_and_removable(products: list[Product]) -> None:
    sar = next(p for p in products if p.id == "sar-x-band")
    builder = FilterBuilder(sar.constraints)
    first = builder.add_row("sar:polarizations")
    first.value_widget.value = ("HH",)
    second = builder.add_row("sar:incidence_angle")
    second.operator.value = ">="
    second.value_widget.value = 20
    assert builder.value == {
        "op": "and",
        "args": [
            {"op": "in", "args": [{"property": "sar:polarizations"}, ["HH"]]},
            {"op": ">=", "args": [{"property": "sar:incidence_angle"}, 20]},
        ],
    }
    first.remove_button.click()
    assert builder.rows == [second]
    assert builder.value == {"op": ">=", "args": [{"property": "sar:incidence_angle"}, 20]}
    second.remove_button.click()
    assert builder.value is None
    assert "No filter" in builder.text_view.value


def test_incomplete_and_invalid_rows_say_so_under_the_row(products: list[Product]) -> None:
    sar = next(p for p in products if p.id == "sar-x-band")
    builder = FilterBuilder(sar.constraints)
    angle = builder.add_row("sar:incidence_angle")
    mode = builder.add_row("sar:instrument_mode")  # nothing chosen yet
    assert builder.value is None
    assert "choose at least one value of Imaging mode" in mode.error_label.value
    assert angle.error_label.value == ""
    mode.value_widget.value = ("stripmap",)
    angle.operator.value = "between"
    angle.value_widget.value = 50
    angle.upper_widget.value = 20
    assert builder.value is None
    assert "below the lower bound" in angle.error_label.value
    assert "below the lower bound" in builder.error


def test_only_the_products_properties_are_offered(products: list[Product]) -> None:
    wide = next(p for p in products if p.id == "multispectral-wide")
    builder = FilterBuilder(wide.constraints)
    row = builder.add_row()
    assert {v for _, v in row.property.options} == set(wide.fields.names)
    with pytest.raises(ValueError, match="not a constraint of this product"):
        builder.add_row("sar:polarizations")


def test_new_constraints_rebuild_the_rows(products: list[Product]) -> None:
    builder = FilterBuilder(products[0].constraints)
    builder.add_row()
    builder.constraints = {"type": "object", "properties": {}}
    assert builder.rows == []
    assert builder.add_button.disabled
    assert "no constraints" in builder.text_view.value
