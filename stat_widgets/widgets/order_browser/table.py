"""``OrderTable``: one page of orders as one front-end widget (``anywidget``), on the
generic ``RecordTable`` that the opportunity table shares.

The rows travel as one synced list of plain records, each the texts of its cells in the order
of ``columns`` (an array, not a mapping: a page of 100 would otherwise carry every column's key
100 times, a third of its bytes); the selection comes back as a trait (``selected``: an index
into ``rows``), sorting happens in the front end on the page shown, and the arrow keys move the
selection. The browser's buttons and selects live in
the same front-end model (``controls``), because each ipywidgets control costs about 2 KB of
widget state: one model for the whole table is what lets a page of 100 orders cost about what
its footprints do. The ES module and stylesheet beside this file are shipped as they are (no
front-end build), once per kernel (``table_code``); they set every string with ``textContent``,
so a hostile order id stays text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from stat_widgets.models import Order
from stat_widgets.widgets.order_browser.status import STAGES
from stat_widgets.widgets.order_browser.table_code import TableCode, asset, table_code

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Order"),
    ("product", "Product"),
    ("status", "Status"),
    ("created", "Created (UTC)"),
    ("user", "User"),
)
PROVIDER_COLUMN = ("provider", "Provider")


def created_text(order: Order) -> str:
    """In UTC (a naive time is read as UTC, as the pager merges it), to the second, in one
    fixed-width form, so the column sorts as text; the header says "UTC" once."""
    created = order.created
    if created.utcoffset() is not None:
        created = created.astimezone(UTC)
    return created.isoformat(sep=" ", timespec="seconds")[:19]


def order_row(order: Order, provider: str | None = None) -> list[str]:
    """The cells the front end shows for ``order``, in the order of ``COLUMNS`` (after the
    provider's name when given): plain text only."""
    row = [
        order.id,
        order.product_id or "",
        str(order.status),
        created_text(order),
        order.user or "",
    ]
    return row if provider is None else [provider, *row]


def _stages() -> list[dict[str, Any]]:
    return [
        {"name": s.name, "css": s.css, "statuses": [str(x) for x in s.statuses]} for s in STAGES
    ]


def _sort_key(value: Any) -> tuple[int, float, str]:
    """Numbers before text, each in its own order (the front end compares the same way)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, "" if value is None else str(value))


class RecordTable(anywidget.AnyWidget):
    """Rows with sortable columns, selection by click or arrow keys, and controls above them.
    A column is ``[key, label]``, or ``[key, label, by, format]``: sorted as column ``by``, its
    numbers formatted in the front end (``table.js``). Tests and Python code drive it as the
    front end does: ``selected = i``, ``sort = [key, descending]``, ``press(name, value)``."""

    _esm = traitlets.Unicode(asset("table_loader.js")).tag(sync=True)
    _code = traitlets.Instance(TableCode).tag(sync=True, **widgets.widget_serialization)
    #: What anywidget's front end keys the widget by (``AnyWidget.__init__`` would add it per
    #: instance; every record table shares the one id).
    _anywidget_id = traitlets.Unicode("stat_widgets.RecordTable").tag(sync=True)

    columns = traitlets.List(
        [list(c) for c in COLUMNS], help="[key, label] of each column, in display order"
    ).tag(sync=True)
    rows = traitlets.List(
        help="one record per order: the texts of its cells, in the order of columns"
    ).tag(sync=True)
    selected = traitlets.Int(-1, help="index into rows of the selected row; -1 for none").tag(
        sync=True
    )
    sort = traitlets.List(
        ["created", True], help="[column key, descending]; the front end sorts the page shown"
    ).tag(sync=True)
    controls = traitlets.List(
        help="buttons and selects above the rows: {name, kind, label, choices, value, ...}"
    ).tag(sync=True)
    status = traitlets.Unicode("", help="the line beside the first row of controls").tag(sync=True)
    notes = traitlets.List(help="problem lines, each {text, kind, action, value, label}").tag(
        sync=True
    )
    stages = traitlets.List(help="status colours: {name, css, statuses}").tag(sync=True)
    busy = traitlets.Bool(False, help="loading: controls disabled, 'Loading…' shown").tag(sync=True)
    label = traitlets.Unicode("Orders", help="what the rows are, for screen readers").tag(sync=True)
    kind = traitlets.Unicode(
        "stat-order-table", help="CSS class of the table's element (what its rows are)"
    ).tag(sync=True)
    empty_text = traitlets.Unicode("No orders to show.", help="shown when there are no rows").tag(
        sync=True
    )
    timeline = traitlets.Dict(
        help="{start, end, at, length}: each row drawn as a mark across [start, end] (Unix "
        "seconds) from its columns at and length, clickable; {} for none"
    ).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        # ``AnyWidget.__init__`` adds ``_esm``, ``_css`` and ``_anywidget_id`` to each instance
        # with ``add_traits``, which makes a new class per instance: a millisecond, most of a
        # table's build, and a class kept per table. Here they are class traits (the code and
        # stylesheet travel once per kernel in ``_code``), so the ``DOMWidget``'s own
        # ``__init__`` is all that is left to do. docs/decisions.md says why.
        widgets.DOMWidget.__init__(self, **{"_code": table_code(), **kwargs})
        self._handlers: list[Callable[[str, Any], None]] = []
        self.on_msg(self._on_front_end_msg)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The rows as mappings of column key → value."""
        keys = [c[0] for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]

    # -- what the front end sends ----------------------------------------------------------------
    def on_control(self, handler: Callable[[str, Any], None]) -> None:
        """``handler(name, value)`` for a button press (value None), a select's new value, or
        ``"<name>:focus"`` the first time a select gets focus."""
        self._handlers.append(handler)

    def press(self, name: str, value: Any = None) -> None:
        """What the front end sends when control ``name`` is used."""
        for handler in list(self._handlers):
            handler(name, value)

    def _on_front_end_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and isinstance(content.get("control"), str):
            self.press(content["control"], content.get("value"))

    # -- what it shows ---------------------------------------------------------------------------
    def display_order(self) -> list[int]:
        """Indices of ``rows`` in the order shown: the front end's sort, done the same way
        (text comparison, ties in listing order)."""
        key, descending = [*self.sort, "", False][:2]
        indices = list(range(len(self.rows)))
        if not key:
            return indices
        keys = [c[0] for c in self.columns]
        if key not in keys:  # the front end compares empty texts: listing order
            return indices
        column = self.columns[keys.index(key)]
        by = column[2] if len(column) > 2 and column[2] in keys else key
        at = keys.index(by)
        values = [_sort_key(row[at]) for row in self.rows]
        # a stable sort keeps ties in listing order, reversed or not, as the front end does
        indices.sort(key=lambda i: values[i], reverse=bool(descending))
        return indices

    def move(self, key: str) -> None:
        """What the arrow keys do in the front end (``ArrowDown``, ``ArrowUp``, ``Home``,
        ``End``): move the selection in the order shown."""
        shown = self.display_order()
        if not shown:
            return
        step = {"ArrowDown": 1, "ArrowUp": -1, "Home": -len(shown), "End": len(shown)}[key]
        at = shown.index(self.selected) if self.selected in shown else -1
        to = 0 if at < 0 and abs(step) == 1 else at + step
        self.selected = shown[min(len(shown) - 1, max(0, to))]


class OrderTable(RecordTable):
    """Rows of orders, with the browser's controls above them and the status legend below."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{"stages": _stages(), **kwargs})
        self.orders: list[Order] = []

    # -- what it holds ---------------------------------------------------------------------------
    def set_orders(
        self,
        orders: Sequence[Order],
        providers: Sequence[str] | None = None,
        *,
        selected: int = -1,
    ) -> None:
        """Show ``orders`` (with a provider column when ``providers`` names each one's) and
        select row ``selected``, in one message to the front end."""
        self.orders = list(orders)
        names: Sequence[str | None] = providers if providers is not None else [None] * len(orders)
        columns = [list(PROVIDER_COLUMN)] if providers is not None else []
        with self.hold_sync():
            self.columns = columns + [list(c) for c in COLUMNS]
            self.rows = [order_row(o, p) for o, p in zip(self.orders, names, strict=True)]
            self.selected = selected if 0 <= selected < len(self.orders) else -1

    @property
    def selected_order(self) -> Order | None:
        return self.orders[self.selected] if 0 <= self.selected < len(self.orders) else None

    @property
    def row_ids(self) -> list[str]:
        """The order ids in the order shown."""
        records = self.records
        return [records[i]["id"] for i in self.display_order()]

    def row(self, order_id: str) -> dict[str, str]:
        """The record of ``order_id``'s row: column key → text."""
        for record in self.records:
            if record["id"] == order_id:
                return record
        raise KeyError(f"order {order_id!r} is not on this page")


__all__ = ["COLUMNS", "PROVIDER_COLUMN", "OrderTable", "RecordTable", "created_text", "order_row"]
