"""``OrderBrowser``: page through ``GET /orders``, follow statuses, see footprints.

Only the current page (an ``OrdersPage``) and the selected order's details are held, so browsing
100,000 orders costs what browsing 100 does. First / Previous / Next follow the page's own
links; the one request the browser composes itself is the first page (page size and filters).
A failed load leaves the page on screen and offers Retry, which repeats exactly what failed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.client import StatClient
from stat_widgets.errors import StatError
from stat_widgets.models import Link, Order, OrdersPage, OrderStatus, parse_status
from stat_widgets.widgets import _html
from stat_widgets.widgets.export import export_orders
from stat_widgets.widgets.footprint_map import FootprintMap
from stat_widgets.widgets.order_browser_export import ExportPanel
from stat_widgets.widgets.order_browser_refresh import Ticker
from stat_widgets.widgets.order_browser_source import OrderSource, as_client
from stat_widgets.widgets.order_details import OrderDetails
from stat_widgets.widgets.order_table import OrderTable

PAGE_SIZES = (10, 20, 50, 100)
MAX_PAGE_SIZE = 1000
AUTO_REFRESH_CHOICES = (
    ("off", 0.0),
    ("every 10 s", 10.0),
    ("every 30 s", 30.0),
    ("every 60 s", 60.0),
)
_ALL_STATUSES = "all statuses"
_ALL_PRODUCTS = "all products"


def describe_error(exc: BaseException) -> str:
    """A line a user can act on; the client's messages already name the URL and the cause."""
    status = getattr(exc, "status_code", None)
    if status in (401, 403):
        return f"Not authorised ({status}): check the token. {exc}"
    return str(exc) or type(exc).__name__


class OrderBrowser(widgets.VBox):
    """A table of one page of orders, a map of their footprints and the selected order's
    details. Every control has a Python path: ``next()``, ``previous()``, ``first()``,
    ``refresh()``, ``retry()``, ``select(id)``, and the traits below."""

    page_size = traitlets.Int(20)
    selected_id = traitlets.Unicode(None, allow_none=True)
    status_filter = traitlets.Unicode("")
    product_filter = traitlets.Unicode("")
    auto_refresh = traitlets.Float(0.0)  # seconds between refreshes; 0 is off
    loading = traitlets.Bool(False)
    error = traitlets.Unicode("")
    position = traitlets.Unicode("")

    def __init__(
        self,
        client_or_url: StatClient | str,
        *,
        page_size: int = 20,
        auto_refresh: float = 0.0,
        load: bool = True,
        **kwargs: Any,
    ) -> None:
        self._ready = False
        super().__init__(**kwargs)
        self._client, self._owns_client = as_client(client_or_url)
        self.source = OrderSource(self._client)
        self._lock = threading.RLock()
        self._page: OrdersPage | None = None
        self._link: Link | None = None  # what produced the current page; None = the first page
        self._offset = 0  # for the position label only; never sent to the server
        self._retry: Callable[[], bool] | None = None
        self._ticker: Ticker | None = None
        self._products_known = False
        self.selected_order: Order | None = None
        self.last_export: Any = None
        self.last_export_count = 0
        self._build()
        self.set_trait("page_size", page_size)
        self._ready = True
        if load:
            self.first()
        self.auto_refresh = auto_refresh

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.first_button = widgets.Button(description="First", icon="angle-double-left")
        self.prev_button = widgets.Button(description="Previous", icon="angle-left")
        self.next_button = widgets.Button(description="Next", icon="angle-right")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        for button in (self.first_button, self.prev_button, self.next_button):
            button.layout = widgets.Layout(width="auto")
        self.first_button.on_click(lambda _b: self.first())
        self.prev_button.on_click(lambda _b: self.previous())
        self.next_button.on_click(lambda _b: self.next())
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.position_label = widgets.HTML()
        self.page_size_picker = widgets.Dropdown(
            options=list(PAGE_SIZES),
            value=20,
            description="Per page",
            layout=widgets.Layout(width="160px"),
        )
        self.page_size_picker.observe(self._page_size_picked, "value")
        self.auto_refresh_picker = widgets.Dropdown(
            options=list(AUTO_REFRESH_CHOICES),
            value=0.0,
            description="Auto-refresh",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="200px"),
        )
        self.auto_refresh_picker.observe(self._auto_refresh_picked, "value")
        self.status_picker = widgets.Dropdown(
            options=[(_ALL_STATUSES, "")] + [(s.value, s.value) for s in OrderStatus],
            value="",
            description="Status",
            layout=widgets.Layout(width="220px"),
        )
        self.status_picker.observe(lambda c: setattr(self, "status_filter", c.new), "value")
        self.product_picker = widgets.Dropdown(
            options=[(_ALL_PRODUCTS, "")],
            value="",
            description="Product",
            layout=widgets.Layout(width="260px"),
        )
        self.product_picker.observe(lambda c: setattr(self, "product_filter", c.new), "value")
        self.loading_indicator = widgets.HTML(
            '<i class="fa fa-spinner fa-spin"></i> ' + _html.muted("Loading…")
        )
        self.loading_indicator.layout.display = "none"
        self.error_html = widgets.HTML()
        self.retry_button = widgets.Button(
            description="Retry", icon="repeat", button_style="warning"
        )
        self.retry_button.on_click(lambda _b: self.retry())
        self.error_box = widgets.HBox([self.error_html, self.retry_button])
        self.error_box.layout.display = "none"
        self.table = OrderTable()
        self.table.observe(self._row_selected, "selected")
        self.map = FootprintMap(layout=widgets.Layout(width="40%", min_width="280px"))
        self.map.observe(lambda c: setattr(self, "selected_id", c.new), "selected_id")
        self.details = OrderDetails()
        self.export_panel = ExportPanel(self)
        table_box = widgets.VBox(
            [self.table], layout=widgets.Layout(width="60%", overflow="auto", max_height="420px")
        )
        self.children = (
            widgets.HBox(
                [self.first_button, self.prev_button, self.next_button, self.position_label],
                layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
            ),
            widgets.HBox(
                [
                    self.status_picker,
                    self.product_picker,
                    self.page_size_picker,
                    self.refresh_button,
                    self.auto_refresh_picker,
                ],
                layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
            ),
            self.loading_indicator,
            self.error_box,
            widgets.HBox([table_box, self.map], layout=widgets.Layout(width="100%")),
            self.details,
            widgets.HTML("<b>Export</b>"),
            self.export_panel,
        )
        self.add_class("stat-order-browser")

    # -- public state -------------------------------------------------------------------------
    @property
    def client(self) -> StatClient:
        return self._client

    @property
    def page(self) -> OrdersPage | None:
        """The page on screen (the only page held)."""
        return self._page

    @property
    def orders(self) -> list[Order]:
        """The orders shown: the current page after the client-side filters."""
        return list(self.table.orders)

    @property
    def auto_refresh_running(self) -> bool:
        return self._ticker is not None and self._ticker.running

    # -- paging ---------------------------------------------------------------------------------
    def first(self) -> bool:
        """The first page: the page's ``first`` link when it has one, else the first request
        (page size and, where the client sends them, filters)."""
        link = self._page.first if self._page is not None else None
        if link is not None:
            return self._go(lambda: self.source.follow(link), link, "first")
        return self._go(self._fetch_first, None, "first")

    def next(self) -> bool:
        link = self._page.next if self._page is not None else None
        if link is None:
            return False
        return self._go(lambda: self.source.follow(link), link, "next")

    def previous(self) -> bool:
        link = self._page.prev if self._page is not None else None
        if link is None:
            return False
        return self._go(lambda: self.source.follow(link), link, "prev")

    def refresh(self) -> bool:
        """Reload the page on screen (and the selected order): new statuses appear."""
        link = self._link
        fetch = self._fetch_first if link is None else (lambda: self.source.follow(link))
        loaded = self._go(fetch, link, "refresh")
        if loaded and self.selected_id:
            self._load_details(self.selected_id)
        return loaded

    def retry(self) -> bool:
        """Repeat what failed last, exactly."""
        action = self._retry
        return action() if action is not None else False

    def _fetch_first(self) -> OrdersPage:
        return self.source.first_page(self.page_size, self.status_filter, self.product_filter)

    def _go(self, fetch: Callable[[], OrdersPage], link: Link | None, move: str) -> bool:
        def attempt() -> bool:
            return self._go(fetch, link, move)

        with self._lock:
            self.loading = True
            try:
                page = fetch()
            except StatError as exc:
                self._retry = attempt
                self.error = describe_error(exc)
                return False
            finally:
                self.loading = False
            self._retry = None
            self.error = ""
            self._place(page, link, move)
            return True

    def _place(self, page: OrdersPage, link: Link | None, move: str) -> None:
        previous = self._page
        if move == "first":
            self._offset = 0
        elif move == "next" and previous is not None:
            self._offset += len(previous.orders)
        elif move == "prev":
            self._offset = max(0, self._offset - len(page.orders))
        if page.prev is None:
            self._offset = 0
        elif page.next is None and page.number_matched is not None:
            self._offset = max(0, page.number_matched - len(page.orders))
        self._page, self._link = page, link
        self._learn_products(page)
        self._render()

    def _learn_products(self, page: OrdersPage) -> None:
        """Product filter choices: the server's catalogue (asked once) and any id on a page."""
        ids = {o.product_id for o in page.orders if o.product_id}
        if not self._products_known:
            self._products_known = True
            try:
                ids |= {p.id for p in self._client.products()}
            except StatError:
                pass  # the filter still offers what the pages show
        known = {value for _label, value in self.product_picker.options}
        if ids - known:
            values = sorted((known | ids) - {""})
            self.product_picker.options = [(_ALL_PRODUCTS, "")] + [(v, v) for v in values]

    # -- rendering ------------------------------------------------------------------------------
    def _client_filtering(self) -> bool:
        return not self.source.server_filters and bool(self.status_filter or self.product_filter)

    def _render(self) -> None:
        page = self._page
        orders = [] if page is None else page.orders
        if not self.source.server_filters:
            orders = [
                o
                for o in orders
                if o.matches(status=self.status_filter, product_id=self.product_filter)
            ]
        self.table.set_orders(orders, selected=self._index_of(orders, self.selected_id))
        self.map.set_orders(orders)
        self._update_buttons()
        self.position = self._position_text(len(orders))

    def _update_buttons(self) -> None:
        page = self._page
        self.first_button.disabled = page is None or page.prev is None
        self.prev_button.disabled = page is None or page.prev is None
        self.next_button.disabled = page is None or page.next is None
        self.refresh_button.disabled = False

    def _position_text(self, shown: int) -> str:
        page = self._page
        if page is None:
            return ""
        if not page.orders:
            total = page.number_matched
            return "no orders" if not total else f"no orders here (of {total:,})"
        start, end = self._offset + 1, self._offset + len(page.orders)
        text = f"orders {start:,}-{end:,}"
        if page.number_matched is not None:
            text += f" of {page.number_matched:,}"
        if self._client_filtering():
            text += f" ({shown} on this page match the filter)"
        return text

    @traitlets.observe("position")
    def _on_position(self, change: traitlets.Bunch) -> None:
        self.position_label.value = _html.text(change.new)

    @traitlets.observe("loading")
    def _on_loading(self, change: traitlets.Bunch) -> None:
        self.loading_indicator.layout.display = "" if change.new else "none"
        if change.new:
            for button in (self.first_button, self.prev_button, self.next_button):
                button.disabled = True
            self.refresh_button.disabled = True
        else:
            self._update_buttons()

    @traitlets.observe("error")
    def _on_error(self, change: traitlets.Bunch) -> None:
        self.error_html.value = _html.error(change.new)
        self.error_box.layout.display = "" if change.new else "none"

    # -- selection --------------------------------------------------------------------------------
    def select(self, order_id: str | None) -> None:
        """Show ``order_id`` (on this page or not); selecting it again reloads its details."""
        if order_id is not None and order_id == self.selected_id:
            self._load_details(order_id)
        else:
            self.selected_id = order_id

    @staticmethod
    def _index_of(orders: list[Order], order_id: str | None) -> int:
        return next((i for i, o in enumerate(orders) if o.id == order_id), -1)

    def _row_selected(self, change: traitlets.Bunch) -> None:
        order = self.table.selected_order
        if order is not None:
            self.selected_id = order.id

    @traitlets.observe("selected_id")
    def _on_selected(self, change: traitlets.Bunch) -> None:
        self.table.selected = self._index_of(self.table.orders, change.new)
        self.map.selected_id = change.new
        if change.new:
            self._load_details(change.new)
        else:
            self.selected_order = None
            self.details.clear()

    def _load_details(self, order_id: str) -> None:
        with self._lock:
            self.loading = True
            try:
                order = self.source.order(order_id)
                statuses, note = self.source.statuses(order_id)
            except StatError as exc:
                self.selected_order = None
                self.details.show_error(order_id, describe_error(exc))
                return
            finally:
                self.loading = False
            self.selected_order = order
            self.details.show(order, statuses, note)

    # -- filters and settings -------------------------------------------------------------------
    @traitlets.validate("page_size")
    def _valid_page_size(self, proposal: traitlets.Bunch) -> int:
        value = proposal.value
        if not 1 <= value <= MAX_PAGE_SIZE:
            raise traitlets.TraitError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, got {value}")
        return value

    @traitlets.observe("page_size")
    def _on_page_size(self, change: traitlets.Bunch) -> None:
        if change.new not in self.page_size_picker.options:
            self.page_size_picker.options = sorted({*self.page_size_picker.options, change.new})
        self.page_size_picker.value = change.new
        if self._ready:
            self._go(self._fetch_first, None, "first")

    def _page_size_picked(self, change: traitlets.Bunch) -> None:
        self.page_size = change.new

    @traitlets.validate("status_filter")
    def _valid_status(self, proposal: traitlets.Bunch) -> str:
        if not proposal.value:
            return ""
        status = parse_status(proposal.value)
        if not isinstance(status, OrderStatus):
            known = ", ".join(s.value for s in OrderStatus)
            raise traitlets.TraitError(
                f"status_filter: unknown status {proposal.value!r}; use one of {known}"
            )
        return status.value

    @traitlets.observe("status_filter")
    def _on_status_filter(self, change: traitlets.Bunch) -> None:
        self.status_picker.value = change.new
        self._filters_changed()

    @traitlets.observe("product_filter")
    def _on_product_filter(self, change: traitlets.Bunch) -> None:
        if change.new not in {value for _label, value in self.product_picker.options}:
            self.product_picker.options = [*self.product_picker.options, (change.new, change.new)]
        self.product_picker.value = change.new
        self._filters_changed()

    def _filters_changed(self) -> None:
        if not self._ready:
            return
        if self.source.server_filters:
            self._go(self._fetch_first, None, "first")
        else:
            self._render()

    @traitlets.validate("auto_refresh")
    def _valid_auto_refresh(self, proposal: traitlets.Bunch) -> float:
        if proposal.value < 0:
            raise traitlets.TraitError(
                f"auto_refresh must be 0 (off) or a number of seconds, got {proposal.value}"
            )
        return proposal.value

    @traitlets.observe("auto_refresh")
    def _on_auto_refresh(self, change: traitlets.Bunch) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if change.new > 0:
            self._ticker = Ticker(change.new, self.refresh)
        values = [value for _label, value in self.auto_refresh_picker.options]
        if change.new not in values:
            label = f"every {change.new:g} s"
            self.auto_refresh_picker.options = [
                *self.auto_refresh_picker.options,
                (label, change.new),
            ]
        self.auto_refresh_picker.value = change.new

    def _auto_refresh_picked(self, change: traitlets.Bunch) -> None:
        self.auto_refresh = change.new

    # -- export ---------------------------------------------------------------------------------
    def export_page(self, *, fmt: str = "geojson", path: str | Path | None = None) -> Any:
        """The orders shown (this page, after the filters)."""
        orders = self.orders
        result = export_orders(orders, fmt=fmt, path=path)
        self.last_export, self.last_export_count = result, len(orders)
        return result

    def export_all(
        self,
        *,
        status: str | None = None,
        product_id: str | None = None,
        path: str | Path | None = None,
        fmt: str = "geojson",
    ) -> Any:
        """Every order matching ``status``/``product_id`` (default: the browser's filters; pass
        ``""`` for any), read page by page with the progress bar moving."""
        status = self.status_filter if status is None else status
        product_id = self.product_filter if product_id is None else product_id
        counted = 0

        def counting() -> Any:
            nonlocal counted
            for order in self.source.matching(
                status or None, product_id or None, progress=self.export_panel.show_progress
            ):
                counted += 1
                yield order

        result = export_orders(counting(), fmt=fmt, path=path)
        self.last_export, self.last_export_count = result, counted
        return result

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop auto-refresh, close the client we created, and close every child widget."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if self._owns_client:
            self._client.close()
        for widget in (self.table, self.map, self.details, self.export_panel):
            widget.close()
        super().close()


__all__ = ["OrderBrowser", "describe_error"]
