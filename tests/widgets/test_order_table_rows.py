"""What ``OrderTable`` sends for a page: one array of texts per order, in the columns' order
(no keys repeated per row), and the created time in UTC whatever offset the server used."""

from __future__ import annotations

import pytest

from stat_widgets.models import Order
from stat_widgets.widgets.order_browser.table import COLUMNS, OrderTable, created_text, order_row


def order(order_id: str, created: str, **extra: object) -> Order:
    return Order.model_validate({"id": order_id, "status": "received", "created": created, **extra})


@pytest.mark.parametrize(
    ("created", "shown"),
    [
        ("2031-01-01T00:00:00Z", "2031-01-01 00:00:00"),
        ("2031-01-01T02:30:00+02:00", "2031-01-01 00:30:00"),  # the same instant as UTC shows
        ("2030-12-31T19:00:00.123456-05:00", "2031-01-01 00:00:00"),  # to the second
        ("2031-01-01T00:00:00", "2031-01-01 00:00:00"),  # naive: read as UTC, as merged
    ],
)
def test_created_is_shown_in_utc_to_the_second(created: str, shown: str) -> None:
    assert created_text(order("a", created)) == shown


def test_rows_are_arrays_in_the_columns_order_and_sort_as_the_front_end_does() -> None:
    table = OrderTable()
    orders = [
        order("b", "2031-01-01T12:00:00+10:00", product_id="sar", user="ann"),  # 02:00 UTC
        order("a", "2031-01-01T01:00:00Z", product_id="opt"),
    ]
    table.set_orders(orders, ["P1", "P2"], selected=1)
    assert table.columns == [["provider", "Provider"], *[list(c) for c in COLUMNS]]
    assert table.rows == [
        ["P1", "b", "sar", "received", "2031-01-01 02:00:00", "ann"],
        ["P2", "a", "opt", "received", "2031-01-01 01:00:00", ""],
    ]
    assert table.rows[0] == order_row(orders[0], "P1")
    assert table.row("a") == {
        "provider": "P2",
        "id": "a",
        "product": "opt",
        "status": "received",
        "created": "2031-01-01 01:00:00",
        "user": "",
    }
    assert table.selected_order is orders[1]
    table.sort = ["created", False]
    assert table.row_ids == ["a", "b"]  # the earlier one first, though its local time is later
    table.sort = ["no-such-column", True]
    assert table.row_ids == ["b", "a"]  # listing order, as the front end shows it
    table.set_orders(orders[:1])  # one provider: no provider column
    assert table.rows == [["b", "sar", "received", "2031-01-01 02:00:00", "ann"]]
    assert table.selected == -1
    table.close()
