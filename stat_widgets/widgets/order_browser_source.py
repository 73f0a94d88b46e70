"""Where the browser's orders come from: a client, used only through its documented calls.

Paging follows the links of each page exactly as the server gave them; the only page the
browser asks for by itself is the first. Filters go to the server when the client can send
them (``orders_page(..., status=, product_id=)``) and are otherwise applied to each page here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from stat_widgets.client import StatClient
from stat_widgets.errors import InvalidResponseError, NotFoundError, StatError
from stat_widgets.models import Link, Order, OrdersPage, StatusRecord

# The client's page size for exports: few requests, and still one page in memory at a time.
EXPORT_PAGE_SIZE = 200


def as_client(client_or_url: StatClient | str) -> tuple[StatClient, bool]:
    """A client and whether we made it (and so must close it)."""
    if isinstance(client_or_url, StatClient):
        return client_or_url, False
    if isinstance(client_or_url, str) and client_or_url.strip():
        return StatClient(client_or_url.strip()), True
    raise TypeError(
        f"client_or_url must be a StatClient or the API's URL, got {type(client_or_url).__name__}"
    )


class OrderSource:
    """Pages, orders and histories from one client."""

    def __init__(self, client: StatClient) -> None:
        self.client = client
        self._server_filters: bool | None = None

    @property
    def server_filters(self) -> bool:
        """Whether the server filters (asked once, on first need: it may take a request)."""
        if self._server_filters is None:
            try:
                self._server_filters = self.client.filters_orders
            except StatError:
                return False  # unknown while the server is unreachable; ask again later
        return self._server_filters

    def first_page(
        self, limit: int, status: str | None = None, product_id: str | None = None
    ) -> OrdersPage:
        kwargs: dict[str, Any] = {"limit": limit}
        if self.server_filters:
            kwargs.update(status=status or None, product_id=product_id or None)
        return self.client.orders_page(None, **kwargs)

    def follow(self, link: Link) -> OrdersPage:
        return self.client.orders_page(link)

    def order(self, order_id: str) -> Order:
        return self.client.order(order_id)

    def statuses(self, order_id: str) -> tuple[list[StatusRecord] | None, str]:
        """The history, or ``None`` and why when the server keeps none for this order."""
        try:
            return self.client.order_statuses(order_id), ""
        except (NotFoundError, InvalidResponseError) as exc:
            return None, f"No status history from this server ({exc})."

    def matching(
        self,
        status: str | None = None,
        product_id: str | None = None,
        *,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> Iterator[Order]:
        """Every order matching the filters, one page in memory at a time.

        ``progress(seen, total)`` is called after each page; ``total`` is the server's
        ``numberMatched`` when it sends one (for the filtered listing when filters go to the
        server, else for all orders).
        """
        page = self.first_page(EXPORT_PAGE_SIZE, status, product_id)
        seen_links: set[tuple[str, str, str]] = set()
        seen = 0
        while True:
            seen += len(page.orders)
            if progress is not None:
                progress(seen, page.number_matched)
            yield from (
                order
                for order in page.orders
                if order.matches(status=status, product_id=product_id)
            )
            link = page.next
            if link is None:
                return
            key = (link.method, link.href, repr(link.body))
            if key in seen_links:
                raise InvalidResponseError(
                    "the next link points back to a page already read; stopping the export",
                    url=link.href,
                )
            seen_links.add(key)
            page = self.follow(link)


__all__ = ["EXPORT_PAGE_SIZE", "OrderSource", "as_client"]
