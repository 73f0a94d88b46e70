"""One page of orders as a table whose rows can be selected.

A grid of widgets rather than one HTML table, because a click in an HTML widget never reaches
Python: the id cell is a button (its text is rendered as text, never markup) and every other
cell is an ``HTML`` widget filled through ``_html``. Row widgets are pooled and reused from page
to page, so paging through 100,000 orders creates no more widgets than the largest page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget_string import HTMLStyle

from stat_widgets.models import Order
from stat_widgets.widgets import _html
from stat_widgets.widgets.order_browser_status import status_badge

COLUMNS = ("id", "product", "status", "created", "user")
ID_CHARS = 14


def short_id(order_id: str) -> str:
    """Ids are often 32-character hashes; the start is enough to tell rows apart."""
    return order_id if len(order_id) <= ID_CHARS else order_id[: ID_CHARS - 1] + "…"


def created_text(order: Order) -> str:
    return order.created.strftime("%Y-%m-%d %H:%M:%S") + (
        " UTC" if order.created.utcoffset() is not None else ""
    )


class _Shared:
    """Layout and style models shared by every cell: each widget otherwise brings a Layout and
    a style model of its own, two thirds of what a page of rows sends to the browser."""

    def __init__(self) -> None:
        self.button_layout = widgets.Layout(width="auto")
        self.button_style = widgets.ButtonStyle()
        self.cell_layout = widgets.Layout()
        self.cell_style = HTMLStyle()

    def close(self) -> None:
        for model in (self.button_layout, self.button_style, self.cell_layout, self.cell_style):
            model.close()


class _Row:
    """The widgets of one table row, refilled for each page."""

    def __init__(self, on_click: Callable[[str | None], None], shared: _Shared) -> None:
        self.order_id: str | None = None
        self.button = widgets.Button(layout=shared.button_layout, style=shared.button_style)
        self.button.on_click(lambda _button: on_click(self.order_id))
        self.cells = [
            widgets.HTML(layout=shared.cell_layout, style=shared.cell_style) for _ in COLUMNS[1:]
        ]

    @property
    def widgets(self) -> list[widgets.Widget]:
        return [self.button, *self.cells]

    def fill(self, order: Order, selected: bool) -> None:
        self.order_id = order.id
        self.button.description = short_id(order.id)
        self.button.tooltip = f"Show order {order.id}"
        self.button.button_style = "info" if selected else ""
        product, status, created, user = self.cells
        product.value = _html.text(order.product_id or "")
        status.value = status_badge(order.status)
        created.value = _html.text(created_text(order))
        user.value = _html.text(order.user or "")

    def mark(self, selected: bool) -> None:
        self.button.button_style = "info" if selected else ""

    def close(self) -> None:
        for widget in self.widgets:
            widget.close()


class OrderTable(widgets.GridBox):
    """Rows for ``orders``; clicking a row's id sets ``selected_id``."""

    selected_id = traitlets.Unicode(None, allow_none=True)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault(
            "layout",
            widgets.Layout(
                grid_template_columns="minmax(120px, auto) 1.2fr auto 1.3fr 1fr",
                grid_gap="2px 8px",
                align_items="center",
                width="100%",
            ),
        )
        super().__init__(**kwargs)
        self.add_class("stat-order-table")
        self._header = [widgets.HTML(f"<b>{_html.escape(name)}</b>") for name in COLUMNS]
        self._empty = widgets.HTML(_html.muted("No orders to show."))
        self._shared = _Shared()
        self._rows: list[_Row] = []
        self._shown: list[_Row] = []
        self.orders: list[Order] = []
        self.set_orders([])

    def set_orders(self, orders: Sequence[Order]) -> None:
        """Show ``orders``, reusing the row widgets of the previous page."""
        self.orders = list(orders)
        while len(self._rows) < len(self.orders):
            self._rows.append(_Row(self._clicked, self._shared))
        self._shown = self._rows[: len(self.orders)]
        for row, order in zip(self._shown, self.orders, strict=True):
            row.fill(order, order.id == self.selected_id)
        cells: list[widgets.Widget] = list(self._header)
        for row in self._shown:
            cells.extend(row.widgets)
        if not self.orders:
            cells.append(self._empty)
        self.children = tuple(cells)

    @property
    def row_ids(self) -> list[str]:
        """The order ids in the order shown, for tests and for callers."""
        return [order.id for order in self.orders]

    def row_button(self, order_id: str) -> widgets.Button:
        """The button that selects ``order_id`` (what a user clicks)."""
        for row in self._shown:
            if row.order_id == order_id:
                return row.button
        raise KeyError(f"order {order_id!r} is not on this page")

    def _clicked(self, order_id: str | None) -> None:
        if order_id is not None:
            self.selected_id = order_id

    @traitlets.observe("selected_id")
    def _on_selected(self, change: traitlets.Bunch) -> None:
        for row in self._shown:
            row.mark(row.order_id == change.new)

    def close(self) -> None:
        for row in self._rows:
            row.close()
        for cell in [*self._header, self._empty]:
            cell.close()
        self._shared.close()
        super().close()


__all__ = ["COLUMNS", "OrderTable", "created_text", "short_id"]
