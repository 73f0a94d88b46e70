"""One page of orders as a table whose rows can be selected.

A click in an HTML widget never reaches Python, so each row is a button (the order id, its text
rendered as text, never markup) followed by one ``HTML`` widget holding the other cells, filled
through ``_html``. The cells of every row and of the header line up because each row's HTML is
a grid with the same fixed column template. Two widgets per row instead of one per cell cut what
a page of 100 orders sends to the browser by more than half. Row widgets are pooled and reused
from page to page, so paging through 100,000 orders creates no more widgets than the largest
page.
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
#: The columns after the id, the same in every row and in the header so that they line up:
#: product and user share what is left; status and created have room for their longest text.
#: Sent once, with the header, rather than inline in each of the page's rows.
_CELLS_CSS = (
    "<style>.stat-order-cells {display: grid; grid-template-columns: minmax(0, 1.2fr) 8.5em"
    " 14em minmax(0, 1fr); column-gap: 8px; align-items: center; width: 100%;}"
    " .stat-order-cells > span {overflow: hidden; text-overflow: ellipsis;"
    " white-space: nowrap;}</style>"
)


def short_id(order_id: str) -> str:
    """Ids are often 32-character hashes; the start is enough to tell rows apart."""
    return order_id if len(order_id) <= ID_CHARS else order_id[: ID_CHARS - 1] + "…"


def created_text(order: Order) -> str:
    return order.created.strftime("%Y-%m-%d %H:%M:%S") + (
        " UTC" if order.created.utcoffset() is not None else ""
    )


def cells_html(cells: Sequence[str]) -> str:
    """The cells after the id (each already safe HTML) as one grid row."""
    spans = "".join(f"<span>{cell}</span>" for cell in cells)
    return f'<div class="stat-order-cells">{spans}</div>'


def order_cells(order: Order) -> str:
    return cells_html(
        [
            _html.text(order.product_id or ""),
            status_badge(order.status),
            _html.text(created_text(order)),
            _html.text(order.user or ""),
        ]
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

    def __init__(
        self,
        on_click: Callable[[str | None], None],
        shared: _Shared,
        order: Order,
        selected: bool,
    ) -> None:
        # Created with the order's values, so that the widgets' first messages carry them
        # (filling them in afterwards sent four more messages per row).
        self.order_id: str | None = order.id
        self.button = widgets.Button(
            layout=shared.button_layout,
            style=shared.button_style,
            **self._button_state(order, selected),
        )
        self.button.on_click(lambda _button: on_click(self.order_id))
        self.cells = widgets.HTML(
            order_cells(order), layout=shared.cell_layout, style=shared.cell_style
        )

    @staticmethod
    def _button_state(order: Order, selected: bool) -> dict[str, str]:
        return {
            "description": short_id(order.id),
            "tooltip": f"Show order {order.id}",
            "button_style": "info" if selected else "",
        }

    @property
    def widgets(self) -> list[widgets.Widget]:
        return [self.button, self.cells]

    def fill(self, order: Order, selected: bool) -> None:
        self.order_id = order.id
        with self.button.hold_sync():
            for name, value in self._button_state(order, selected).items():
                setattr(self.button, name, value)
        self.cells.value = order_cells(order)

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
                grid_template_columns="minmax(120px, auto) 1fr",
                grid_gap="2px 8px",
                align_items="center",
                width="100%",
            ),
        )
        super().__init__(**kwargs)
        self.add_class("stat-order-table")
        self._header = [
            widgets.HTML(f"<b>{_html.escape(COLUMNS[0])}</b>"),
            widgets.HTML(
                _CELLS_CSS + cells_html([f"<b>{_html.escape(name)}</b>" for name in COLUMNS[1:]])
            ),
        ]
        self._empty = widgets.HTML(_html.muted("No orders to show."))
        self._shared = _Shared()
        self._rows: list[_Row] = []
        self._shown: list[_Row] = []
        self.orders: list[Order] = []
        self.set_orders([])

    def set_orders(self, orders: Sequence[Order]) -> None:
        """Show ``orders``, reusing the row widgets of the previous page."""
        self.orders = list(orders)
        for index, order in enumerate(self.orders):
            selected = order.id == self.selected_id
            if index < len(self._rows):
                self._rows[index].fill(order, selected)
            else:
                self._rows.append(_Row(self._clicked, self._shared, order, selected))
        self._shown = self._rows[: len(self.orders)]
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

    def row_html(self, order_id: str) -> str:
        """The HTML of ``order_id``'s cells after the id, as the browser shows them."""
        return self._row(order_id).cells.value

    def row_button(self, order_id: str) -> widgets.Button:
        """The button that selects ``order_id`` (what a user clicks)."""
        return self._row(order_id).button

    def _row(self, order_id: str) -> _Row:
        for row in self._shown:
            if row.order_id == order_id:
                return row
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


__all__ = ["COLUMNS", "OrderTable", "cells_html", "created_text", "order_cells", "short_id"]
