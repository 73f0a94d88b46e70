"""``OrderBrowser``: the orders of one or more providers in one table, newest first, with their
footprints on a map and the selected order's details.

The browser wires parts together: an ``OrderPager`` (plain Python) reads and merges the
listings; an ``OrderTable`` shows the page and the controls; a ``FootprintMap`` the
footprints; ``OrderDetails`` (made on first selection) the order in full; an ``ExportPanel``
(made on first use) exports. Only the page on screen and the selected order are held. A failed
load leaves the page on screen and offers Retry; a provider that fails is shown as such while
the others stay.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.client import StatClient
from stat_widgets.models import Order
from stat_widgets.widgets._clients import Provider, Providers, providers_of
from stat_widgets.widgets._lifecycle import close_tree
from stat_widgets.widgets.order_browser import controls
from stat_widgets.widgets.order_browser.details import OrderDetails
from stat_widgets.widgets.order_browser.export import export_counted
from stat_widgets.widgets.order_browser.export_panel import ExportPanel
from stat_widgets.widgets.order_browser.footprint_map import FootprintMap
from stat_widgets.widgets.order_browser.pager import Filters, OrderPager, Row, describe_error
from stat_widgets.widgets.order_browser.refresh import Ticker
from stat_widgets.widgets.order_browser.table import OrderTable


class OrderBrowser(widgets.GridBox):
    """The orders of ``providers`` (one client or URL, or ``{"Name": client_or_url, ...}``).
    Every control has a Python path: ``next()``, ``previous()``, ``first()``, ``refresh()``,
    ``retry()``, ``select(id)``, ``export_page()``, ``export_all()`` and the traits below."""

    page_size = traitlets.Int(20, help="orders per page (1 to 1000)")
    selected_id = traitlets.Unicode(None, allow_none=True, help="the selected order's id")
    selected_provider = traitlets.Unicode(
        None, allow_none=True, help="the name of the selected order's provider"
    )
    status_filter = traitlets.Unicode("", help="show only orders with this status")
    product_filter = traitlets.Unicode("", help="show only orders of this product")
    auto_refresh = traitlets.Float(0.0, help="seconds between refreshes; 0 is off")
    loading = traitlets.Bool(False, help="a page or an order is being read")
    error = traitlets.Unicode("", help="what went wrong last, as shown")
    position = traitlets.Unicode("", help="which orders the page shows")

    def __init__(
        self,
        providers: Providers,
        *,
        token: str | None = None,
        page_size: int = 20,
        auto_refresh: float = 0.0,
        load: bool = True,
        **kwargs: Any,
    ) -> None:
        self._ready = False
        # One layout model for the grid and both its cells, which may shrink below their
        # content's width (the table scrolls instead). The grid's columns come from the
        # table's stylesheet (``.stat-order-browser``), the map's height from ipyleaflet's
        # (400 px): each layout model is about 1 KB of state, and time, at every build.
        cell = widgets.Layout(min_width="0")
        super().__init__(**{"layout": cell, **kwargs})
        self.add_class("stat-order-browser")
        self.providers: list[Provider] = providers_of(providers, token=token)
        self._named = len(self.providers) > 1  # rows and problems name their provider
        self.pager = OrderPager(self.providers, page_size=page_size)
        self._lock = threading.RLock()
        self._ticker: Ticker | None = None
        self._products: set[str] = set()
        self._catalogues_read = False
        self._details: OrderDetails | None = None
        self._export_panel: ExportPanel | None = None
        self._setting_error = ""  # a control's value the browser refused
        self._choosing = False
        self.selected_order: Order | None = None
        self.last_export: Any = None
        self.last_export_count = 0
        self.table = OrderTable(layout=cell)
        self.map = FootprintMap(layout=cell)
        self.children = (self.table, self.map)
        self.table.on_control(self._on_control)
        self.table.observe(lambda c: self._row_chosen(c.new), "selected")
        self.map.observe(lambda c: self._row_chosen(c.new), "selected")
        self.set_trait("page_size", page_size)
        if load:
            self.first()
        else:
            self._render()
        self._ready = True
        self.auto_refresh = auto_refresh

    # -- public state ---------------------------------------------------------------------------
    @property
    def client(self) -> StatClient:
        """The client of the first (with one provider: the only) provider."""
        return self.providers[0].client

    @property
    def rows(self) -> list[Row]:
        """The page on screen, newest first: each order with its provider's name."""
        return [] if self.pager.view is None else self.pager.view.rows

    @property
    def orders(self) -> list[Order]:
        """The orders on screen, newest first."""
        return [row.order for row in self.rows]

    @property
    def problems(self) -> dict[str, str]:
        """Provider name → what went wrong reading its orders."""
        return dict(self.pager.problems)

    @property
    def auto_refresh_running(self) -> bool:
        return self._ticker is not None and self._ticker.running

    @property
    def details(self) -> OrderDetails:
        """The selected order in full (made on first need)."""
        if self._details is None:
            self._details = OrderDetails(layout=widgets.Layout(grid_column="1 / -1"))
            self.children = (*self.children, self._details)
        return self._details

    @property
    def export_panel(self) -> ExportPanel:
        """The export controls (made on first need, or by the Export… button)."""
        if self._export_panel is None:
            self._export_panel = ExportPanel(
                lambda fmt, path, _progress: self._export(self.rows, fmt, path),
                lambda fmt, path, progress: self._export(
                    self.pager.every_order(progress=progress), fmt, path
                ),
                layout=widgets.Layout(grid_column="1 / -1"),
            )
            self.children = (*self.children, self._export_panel)
        return self._export_panel

    # -- paging ---------------------------------------------------------------------------------
    def first(self) -> bool:
        """The first page (of the filtered listing)."""
        return self._load(self.pager.first)

    def next(self) -> bool:
        return self._load(self.pager.next)

    def previous(self) -> bool:
        return self._load(self.pager.previous)

    def refresh(self) -> bool:
        """Read the page on screen (and the selected order) again: new statuses appear."""
        loaded = self._load(self.pager.refresh)
        if loaded and self.selected_id:
            self._load_details()
        return loaded

    def retry(self, provider: str | None = None) -> bool:
        """Repeat what failed (for ``provider`` only, when given)."""
        return self._load(lambda: self.pager.retry(provider))

    def _load(self, move: Callable[[], bool]) -> bool:
        with self._lock:
            self._busy(True)
            try:
                moved = move()
            finally:
                self._busy(False)
            self.error = "; ".join(controls.lines(self.pager.problems, named=self._named))
            if moved:
                self._learn_products(self.orders)
            self._render()
            return moved

    def _busy(self, busy: bool) -> None:
        self.loading = busy
        if self._ready:  # shown as it happens; not while the widget is being built
            self.table.busy = busy

    # -- rendering ------------------------------------------------------------------------------
    def _render(self) -> None:
        rows, index = self.rows, self._selected_index()
        with self.table.hold_sync():
            self.table.set_orders(
                [r.order for r in rows],
                [r.provider for r in rows] if self._named else None,
                selected=index,
            )
            self._render_controls()
        self.map.set_orders([r.order for r in rows], selected=index)

    def _render_controls(self) -> None:
        view = self.pager.view
        self.position = (
            "" if view is None else controls.position_text(view.offset, len(view.rows), view.total)
        )
        state = controls.State(
            can_go_back=view is not None and view.has_previous,
            can_go_on=view is not None and view.has_next,
            status=self.status_filter,
            product=self.product_filter,
            products=self._products,
            page_size=self.page_size,
            auto_refresh=self.auto_refresh,
            exporting=self._export_panel is not None
            and self._export_panel.layout.display != "none",
        )
        with self.table.hold_sync():
            self.table.controls = controls.controls(state)
            self.table.status = self.position
            self.table.notes = controls.notes(
                self.pager.problems,
                {} if view is None else view.notes,
                named=self._named,
                error=self._setting_error,
            )

    def _learn_products(self, orders: list[Order]) -> None:
        self._products.update(o.product_id for o in orders if o.product_id)

    def learn_products(self) -> None:
        """Add every product of every provider's catalogue to the product filter's choices
        (read once, when the filter is first opened; a provider that fails is skipped)."""
        if not self._catalogues_read:
            self._catalogues_read = True
            self._products.update(self.pager.product_ids())
            self._render_controls()

    # -- selection ------------------------------------------------------------------------------
    def select(self, order_id: str | None, provider: str | None = None) -> None:
        """Show ``order_id`` of ``provider`` (by default the provider whose row it is on this
        page, else the first), on this page or not; selecting it again reloads its details."""
        if order_id is None:
            self._choose(None, None)
            return
        view = self.pager.view
        provider = provider or (view and view.provider_of(order_id)) or self.providers[0].name
        if (provider, order_id) == (self.selected_provider, self.selected_id):
            self._load_details()
        else:
            self._choose(provider, order_id)

    def _selected_index(self) -> int:
        """The selected order's row on this page; -1 when it is not on it."""
        view = self.pager.view
        return -1 if view is None else view.index_of(self.selected_provider, self.selected_id)

    def _row_chosen(self, index: int) -> None:
        """A row picked in the table (click, arrow keys) or on the map."""
        rows = self.rows
        if 0 <= index < len(rows) and index != self._selected_index():
            self._choose(rows[index].provider, rows[index].order.id)

    @traitlets.observe("selected_id")
    def _on_selected_id(self, change: traitlets.Bunch) -> None:
        if not self._choosing:  # set from outside: the same as select()
            self.select(change.new)

    def _choose(self, provider: str | None, order_id: str | None) -> None:
        self._choosing = True
        try:
            self.selected_provider, self.selected_id = provider, order_id
        finally:
            self._choosing = False
        self.table.selected = self.map.selected = self._selected_index()
        if order_id is None:
            self.selected_order = None
            if self._details is not None:
                self._details.clear()
        else:
            self._load_details()

    def _load_details(self) -> None:
        name, order_id = self.selected_provider, self.selected_id
        provider = next((p for p in self.providers if p.name == name), self.providers[0])
        if order_id is not None:
            with self._lock:
                self._busy(True)
                try:
                    self.selected_order = self.details.load(provider.client, order_id)
                finally:
                    self._busy(False)

    # -- filters and settings -------------------------------------------------------------------
    def _on_control(self, name: str, value: Any) -> None:
        """What the table's front end sends: a button press or a select's new value."""
        moves: dict[str, Callable[[], Any]] = {
            "first": self.first,
            "previous": self.previous,
            "next": self.next,
            "refresh": self.refresh,
            "retry": lambda: self.retry(value),
            "export": self.toggle_export,
            "product:focus": self.learn_products,
        }
        settings = {
            "status": "status_filter",
            "product": "product_filter",
            "page_size": "page_size",
            "auto_refresh": "auto_refresh",
        }
        if name in moves:
            moves[name]()
        elif name in settings:
            try:
                setattr(self, settings[name], value)
                self._setting_error = ""
            except traitlets.TraitError as exc:
                self._setting_error = str(exc)
            self._render_controls()

    def toggle_export(self) -> None:
        """Show the export controls (made on first use), or hide them again."""
        if self._export_panel is None:
            self.export_panel  # noqa: B018 (made, and shown)
        else:
            layout = self._export_panel.layout
            layout.display = "none" if layout.display != "none" else ""
        self._render_controls()

    @traitlets.validate("page_size", "status_filter", "auto_refresh")
    def _valid_setting(self, proposal: traitlets.Bunch) -> Any:
        try:
            return controls.checked(proposal.trait.name, proposal.value)
        except ValueError as exc:
            raise traitlets.TraitError(str(exc)) from None

    @traitlets.observe("page_size", "status_filter", "product_filter")
    def _on_listing_changed(self, _change: traitlets.Bunch) -> None:
        self.pager.page_size = self.page_size
        self.pager.filters = Filters(self.status_filter, self.product_filter)
        if self._ready:
            self.first()

    @traitlets.observe("auto_refresh")
    def _on_auto_refresh(self, change: traitlets.Bunch) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if change.new > 0:
            self._ticker = Ticker(change.new, self.refresh)
        if self._ready:
            self._render_controls()

    # -- export ---------------------------------------------------------------------------------
    def _items(self, rows: Iterable[Row]) -> Iterator[Any]:
        """Rows to export: with several providers each order keeps its provider's name."""
        return (row if self._named else row.order for row in rows)

    def _export(self, rows: Iterable[Row], fmt: str, path: str | Path | None) -> tuple[Any, int]:
        result, count = export_counted(self._items(rows), fmt=fmt, path=path)
        self.last_export, self.last_export_count = result, count
        return result, count

    def export_page(self, *, path: str | Path | None = None, fmt: str = "geojson") -> Any:
        """The orders on screen (see ``export.export_orders`` for the formats)."""
        return self._export(self.rows, fmt, path)[0]

    def export_all(
        self,
        *,
        status: str | None = None,
        product_id: str | None = None,
        path: str | Path | None = None,
        fmt: str = "geojson",
    ) -> Any:
        """Every order matching ``status``/``product_id`` (default: the browser's filters; pass
        ``""`` for any) of every provider, newest first, read page by page."""
        filters = Filters(
            self.status_filter if status is None else status,
            self.product_filter if product_id is None else product_id,
        )
        progress = self._export_panel.show_progress if self._export_panel else None
        return self._export(self.pager.every_order(filters, progress=progress), fmt, path)[0]

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop auto-refresh, close the clients made here, and close every widget model the
        browser made (table, map with its layers and controls, details, export panel)."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        for provider in self.providers:
            provider.close()
        close_tree(self)


__all__ = ["OrderBrowser", "describe_error"]
