"""``OrderApp``: the whole tool in one widget — connection, "New order" and "My orders".

Given one server (a client or URL), the app shows its connection settings; the token is typed
into a password field and cleared the moment it has been handed to the client, so it never
stays in widget state (which Jupyter saves into the notebook file). Given several providers
(``{"Name": client_or_url, ...}``), "New order" has a provider picker and "My orders" shows
every provider's orders in one table. Clients live in plain attributes, never in traits, for
the same reason as the token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.client import StatClient
from stat_widgets.errors import StatError
from stat_widgets.models import Order
from stat_widgets.widgets import _html
from stat_widgets.widgets._clients import Provider, Providers, providers_of
from stat_widgets.widgets._lifecycle import close_tree
from stat_widgets.widgets._repr import BriefRepr
from stat_widgets.widgets.order_browser import OrderBrowser
from stat_widgets.widgets.order_browser.pager import describe_error
from stat_widgets.widgets.order_form import OrderForm

NEW_ORDER, MY_ORDERS = "New order", "My orders"


def title_html(landing: dict[str, Any], url: str) -> str:
    title = landing.get("title") or landing.get("id") or "Tasking API"
    return f"<h3 style='margin: 4px 0;'>{_html.escape(title)}</h3>{_html.muted(url)}"


class OrderApp(BriefRepr, widgets.VBox):
    """The server's title (or the providers') on top; tabs with the ``OrderForm`` and the
    ``OrderBrowser`` below. After a submission the browser goes back to its first page (where
    the newest order is) and selects the new order."""

    _brief = (("url", "client.url"), ("connected", "connected"))  # repr (_repr.py)
    connected = traitlets.Bool(False, help="the (picked) server answered")
    title = traitlets.Unicode("", help="the server's title, as text")

    def __init__(
        self,
        providers: Providers,
        *,
        page_size: int = 20,
        basemap: bool = True,
        draft: str | None = "order-app",
        **kwargs: Any,
    ) -> None:
        """``draft``: the name under which "New order" keeps its input across kernel restarts
        (``OrderForm(..., draft=...)``; one draft per provider when there are several);
        ``None`` keeps nothing."""
        super().__init__(**kwargs)
        self._draft = draft
        self._page_size = page_size
        self._basemap = basemap
        self._providers: list[Provider] = []
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
        self.connection = widgets.HBox(
            [self.url_text, self.token_text, self.connect_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        self.provider_picker = widgets.Dropdown(description="Provider")
        self.provider_picker.layout.display = "none"
        self.provider_picker.observe(self._provider_picked, "value")
        self.new_order = widgets.VBox([self.provider_picker])
        self.title_html = widgets.HTML()
        self.connection_error = widgets.HTML()
        self.tabs = widgets.Tab()
        self.children = (self.title_html, self.connection, self.connection_error, self.tabs)
        self.add_class("stat-order-app")
        if isinstance(providers, Mapping):
            self.connection.layout.display = "none"
            self._use(providers_of(providers))
        elif isinstance(providers, StatClient):
            self.url_text.value = providers.url
            self._use(providers_of(providers))
        else:
            self.url_text.value = str(providers or "")
            self.connect()

    @property
    def client(self) -> StatClient | None:
        """The client of the provider that "New order" orders from."""
        provider = self._picked()
        return provider.client if provider else None

    @property
    def providers(self) -> list[Provider]:
        return list(self._providers)

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
            providers = providers_of(url, token=token.strip() or None)
        except ValueError as exc:
            self.connection_error.value = _html.error(f"Server: {exc}")
            return False
        return self._use(providers)

    def _use(self, providers: list[Provider]) -> bool:
        self._drop()
        self._providers = providers
        self.provider_picker.options = [p.name for p in providers]
        self.provider_picker.value = providers[0].name
        self.provider_picker.layout.display = "" if len(providers) > 1 else "none"
        self.browser = OrderBrowser(
            {p.name: p.client for p in providers} if len(providers) > 1 else providers[0].client,
            page_size=self._page_size,
        )
        self._show_provider(providers[0])
        self.tabs.children = (self.new_order, self.browser)
        self.tabs.titles = (NEW_ORDER, MY_ORDERS)
        return self.connected

    def _picked(self) -> Provider | None:
        name = self.provider_picker.value
        return next((p for p in self._providers if p.name == name), None)

    def _provider_picked(self, _change: traitlets.Bunch) -> None:
        provider = self._picked()
        if provider is not None and self.browser is not None:  # not while _use builds
            self._show_provider(provider)

    def _show_provider(self, provider: Provider) -> None:
        """Title and "New order" for ``provider``."""
        try:
            landing = provider.client.landing()
        except StatError as exc:
            self.connection_error.value = _html.error(
                f"Could not reach {provider.client.url}: {describe_error(exc)}"
            )
            landing = {}
            self.connected = False
        else:
            self.connection_error.value = ""
            self.connected = True
        self.title = str(landing.get("title") or landing.get("id") or "")
        if len(self._providers) > 1:
            names = ", ".join(p.name for p in self._providers)
            self.title_html.value = (
                f"<h3 style='margin: 4px 0;'>{len(self._providers)} providers</h3>"
                + _html.muted(names)
            )
        else:
            self.title_html.value = title_html(landing, provider.client.url)
        if self.form is not None:
            self.form.close()
        self.form = OrderForm(
            provider.client, basemap=self._basemap, draft=self._draft_name(provider)
        )
        self.form.observe(self._on_new_order, "last_order")
        self.new_order.children = (self.provider_picker, self.form)

    def _draft_name(self, provider: Provider) -> str | None:
        if self._draft is None or len(self._providers) <= 1:
            return self._draft
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", provider.name).strip("-.")[:40] or "provider"
        return f"{self._draft}-{slug}"

    def _on_new_order(self, change: traitlets.Bunch) -> None:
        order: Order | None = change.new
        provider = self._picked()
        if order is None or self.browser is None or provider is None:
            return
        if self.form is not None and self.form.opportunity is not None:
            # "My orders" shows the window even where the server does not echo it
            self.browser.details.windows[order.id] = self.form.opportunity
        self.browser.first()
        self.browser.select(order.id, provider.name)

    def _drop(self) -> None:
        """Close the tabs and the clients of a previous connection."""
        for widget in (self.form, self.browser):
            if widget is not None:
                widget.close()
        self.form = self.browser = None
        for provider in self._providers:
            provider.close()
        self._providers = []

    def close(self) -> None:
        """Close the tabs, the clients made here and every widget model of the app."""
        self._drop()
        close_tree(self)


__all__ = ["MY_ORDERS", "NEW_ORDER", "OrderApp", "title_html"]
