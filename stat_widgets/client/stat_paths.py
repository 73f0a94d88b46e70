"""Where a STAT server takes and keeps orders: the two texts of the seed disagree.

Its README says ``POST /order`` and ``GET /order/{id}``; its OpenAPI (``stat.yaml``) posts to
``/orders``, and STAPI keeps orders at ``/orders/{id}``. The server's own links decide when it
gives them (the landing page's ``create-order`` link, an order's ``self`` link); otherwise the
README's paths, and ``other_spelling`` is the one retry a 404 or 405 allows.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from stat_widgets.models import Link, Order
from stat_widgets.models.links import check_link_records, links_of


def _segment(value: str) -> str:
    return quote(str(value), safe="")


class OrderPaths:
    """The create endpoint and the order URLs of one STAT server, as learnt so far."""

    def __init__(self, default_create: str, landing: dict | None, base: str) -> None:
        link = create_link(landing_links(landing, base))
        self.create_url = link.href if link is not None else default_create
        self._order_prefix: str | None = None

    @property
    def learnt(self) -> bool:
        """Whether an order's ``self`` link has said where orders live."""
        return self._order_prefix is not None

    def order_url(self, order_id: str) -> str:
        """An order's own URL: as the server's ``self`` links spell it, else below the create
        endpoint (the README's ``/order/{id}``)."""
        prefix = self._order_prefix or self.create_url.split("?")[0].rstrip("/") + "/"
        return prefix + _segment(order_id)

    def learn(self, order: Order) -> None:
        """Remember where orders live from an order's ``self`` link, when it ends in its id."""
        link = order.link("self")
        tail = "/" + _segment(order.id)
        href = link.href.split("?")[0] if link is not None else ""
        if href.endswith(tail):
            self._order_prefix = href[: -len(tail)] + "/"


def other_spelling(url: str) -> str:
    """``…/order…`` ↔ ``…/orders…`` at the last path segment that is either."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    for i in range(len(segments) - 1, -1, -1):
        if segments[i] in ("order", "orders"):
            segments[i] = "orders" if segments[i] == "order" else "order"
            return parts._replace(path="/".join(segments)).geturl()
    return url


def landing_links(landing: dict | None, base: str) -> list[Link]:
    """The landing page's links, for discovery only: malformed ones are passed over."""
    if not isinstance(landing, dict):
        return []
    try:
        return links_of(check_link_records(landing.get("links"), base))
    except ValueError:
        return []


def create_link(links: list[Link]) -> Link | None:
    """``create-order``, else a POST link named ``order``, ``orders`` or ``create``."""
    for link in links:
        if link.rel == "create-order":
            return link
    for link in links:
        if (link.method or "").upper() == "POST" and link.rel in ("order", "orders", "create"):
            return link
    return None


__all__ = ["OrderPaths", "create_link", "landing_links", "other_spelling"]
