"""``OrderApp``: the whole tool in one widget — connection, "New order" and "My orders".

The token is typed into a password field and cleared the moment it has been handed to the
client, so it never stays in widget state (which Jupyter saves into the notebook file). The
client lives in a plain attribute, never in a trait, for the same reason.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.client import StatClient
from stat_widgets.errors import StatError
from stat_widgets.models import Order
from stat_widgets.widgets import _html
from stat_widgets.widgets.order_browser import OrderBrowser, describe_error
from stat_widgets.widgets.order_form import OrderForm

NEW_ORDER, MY_ORDERS = "New order", "My orders"


def title_html(landing: dict[str, Any], url: str) -> str:
    title = landing.get("title") or landing.get("id") or "Tasking API"
    return f"<h3 style='margin: 4px 0;'>{_html.escape(title)}</h3>{_html.muted(url)}"


class OrderApp(widgets.VBox):
    """Connection settings and the server's title on top; tabs with the ``OrderForm`` and the
    ``OrderBrowser`` below. After a submission the browser goes back to its first page (where
    the newest order is) and selects the new order."""

    connected = traitlets.Bool(False)
    title = traitlets.Unicode("")  # the server's title, as text

    def __init__(
        self,
        client_or_url: StatClient | str,
        *,
        page_size: int = 20,
        basemap: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._page_size = page_size
        self._basemap = basemap
        self._client: StatClient | None = None
        self._owns_client = False
        self.form: OrderForm | None = None
        self.browser: OrderBrowser | None = None
        self.url_text = widgets.Text(
            description="Server",
            placeholder="https://tasking.example.com/api",
            layout=widgets.Layout(width="420px"),
        )
        self.token_text = widgets.Password(
            description="Token",
            placeholder="bearer token (optional; never saved)",
            layout=widgets.Layout(width="320px"),
        )
        self.connect_button = widgets.Button(description="Connect", icon="plug")
        self.connect_button.on_click(lambda _b: self.connect())
        self.title_html = widgets.HTML()
        self.connection_error = widgets.HTML()
        self.tabs = widgets.Tab()
        self.children = (
            self.title_html,
            widgets.HBox(
                [self.url_text, self.token_text, self.connect_button],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            self.connection_error,
            self.tabs,
        )
        self.add_class("stat-order-app")
        if isinstance(client_or_url, StatClient):
            self.url_text.value = client_or_url.url
            self._use(client_or_url, owned=False)
        else:
            self.url_text.value = str(client_or_url or "")
            self.connect()

    @property
    def client(self) -> StatClient | None:
        return self._client

    def connect(self) -> bool:
        """Make a client from the URL and token fields (clearing the token field at once), read
        the server's title, and rebuild both tabs for it."""
        url = self.url_text.value.strip()
        token = self.token_text.value
        self.token_text.value = ""  # read once, never kept in widget state
        if not url:
            self.connection_error.value = _html.error("Enter the server's URL.")
            return False
        try:
            client = StatClient(url, token=token.strip() or None)
        except ValueError as exc:
            self.connection_error.value = _html.error(f"Server: {exc}")
            return False
        return self._use(client, owned=True)

    def _use(self, client: StatClient, *, owned: bool) -> bool:
        self._drop()
        self._client, self._owns_client = client, owned
        try:
            landing = client.landing()
        except StatError as exc:
            self.connection_error.value = _html.error(
                f"Could not reach {client.url}: {describe_error(exc)}"
            )
            landing = {}
            self.connected = False
        else:
            self.connection_error.value = ""
            self.connected = True
        self.title = str(landing.get("title") or landing.get("id") or "")
        self.title_html.value = title_html(landing, client.url)
        self.form = OrderForm(client, basemap=self._basemap)
        self.form.observe(self._on_new_order, "last_order")
        self.browser = OrderBrowser(client, page_size=self._page_size)
        self.tabs.children = (self.form, self.browser)
        self.tabs.titles = (NEW_ORDER, MY_ORDERS)
        return self.connected

    def _on_new_order(self, change: traitlets.Bunch) -> None:
        order: Order | None = change.new
        if order is None or self.browser is None:
            return
        self.browser.first()
        self.browser.select(order.id)

    def _drop(self) -> None:
        """Close the tabs and the client of a previous connection."""
        for widget in (self.form, self.browser):
            if widget is not None:
                widget.close()
        self.form = self.browser = None
        if self._client is not None and self._owns_client:
            self._client.close()
        self._client = None

    def close(self) -> None:
        self._drop()
        super().close()


__all__ = ["MY_ORDERS", "NEW_ORDER", "OrderApp", "title_html"]
