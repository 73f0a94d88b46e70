"""The filter builder reads the operator table (``models.filter_ops``): which operators a row
offers, and what it sends for each."""

from __future__ import annotations

import dataclasses

import pytest

from stat_widgets.models import filter_ops, validate_filter
from stat_widgets.models.filter_ops import OPERATORS
from stat_widgets.widgets import FilterBuilder

SCHEMA = {
    "type": "object",
    "properties": {
        "intfield": {"type": "integer", "minimum": 0},
        "textfield": {"type": "string"},
        "flag": {"type": "boolean"},
        "colour": {"type": "string", "enum": ["red", "blue"]},
    },
}


@pytest.mark.parametrize(
    ("name", "kind"),
    [("intfield", "integer"), ("textfield", "string"), ("flag", "boolean"), ("colour", "enum")],
)
def test_each_row_offers_the_table_rows_for_its_kind(name: str, kind: str) -> None:
    row = FilterBuilder(SCHEMA).add_row(name)
    assert tuple(row.operator.options) == filter_ops.offered(kind)
    assert row.operator.disabled == (len(filter_ops.offered(kind)) == 1)


def test_one_table_row_adds_an_operator_to_the_builder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding an operator to the builder is one row: here ``<>`` gains a label."""
    builder = FilterBuilder(SCHEMA)
    row = builder.add_row("intfield")
    assert tuple(row.operator.options) == filter_ops.offered("integer")
    assert "<>" not in row.operator.options

    labelled = tuple(
        dataclasses.replace(r, label="<>", offered_for=("integer", "number"))
        if r.name == "<>"
        else r
        for r in OPERATORS
    )
    monkeypatch.setattr(filter_ops, "OPERATORS", labelled)
    row = builder.add_row("intfield")
    assert "<>" in row.operator.options
    row.operator.value = "<>"
    row.value_widget.value = 7
    assert builder.value == {
        "op": "and",
        "args": [
            {"op": "<=", "args": [{"property": "intfield"}, 0]},
            {"op": "<>", "args": [{"property": "intfield"}, 7]},
        ],
    }
    assert validate_filter(builder.value, SCHEMA) == builder.value
