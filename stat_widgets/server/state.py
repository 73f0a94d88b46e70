"""What every request handler of one server needs (store, clock, users, catalogue, page
tokens), kept on ``app.state.stat`` so several apps can share a process; the routes reach it
through the dependencies in ``deps``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stat_widgets.models import Product

from . import lifecycle
from .catalog import demo_products
from .clock import Clock
from .hosts import AllowedHosts
from .limits import DEFAULT_LIMITS, Limits
from .paging import PageTokenCodec
from .references import References
from .store import OrderStore


class ServerState:
    """One server's state; ``tokens`` maps bearer tokens to user names (``None``: no users);
    ``references`` resolves ``$ref`` geometries (public hosts only unless it names others)."""

    def __init__(
        self,
        store: OrderStore,
        clock: Clock,
        tokens: Mapping[str, str] | None,
        products: list[Product],
        *,
        references: References | None = None,
        hosts: AllowedHosts | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.store = store
        self.clock = clock
        self.tokens = dict(tokens) if tokens else None
        self.products = {p.id: p for p in products}
        self.product_bodies = {
            p.id: p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in products
        }
        self.pages = PageTokenCodec(store.page_key)
        self.references = references or References()  # the hosts a $ref may be fetched from
        self.hosts = hosts or AllowedHosts()
        self.limits = limits

    def now_ms(self) -> int:
        return lifecycle.to_ms(self.clock.now())


def load_products(products: Iterable[Product | Mapping[str, Any]] | None) -> list[Product]:
    """The catalogue: the demo products, or the given ones validated; ids must be unique."""
    items = demo_products() if products is None else list(products)
    loaded = [p if isinstance(p, Product) else Product.model_validate(p) for p in items]
    ids = [p.id for p in loaded]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate product ids in the catalogue: {ids}")
    return loaded
