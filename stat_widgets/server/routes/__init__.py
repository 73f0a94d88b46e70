"""The STAT face, one ``APIRouter`` per resource: the landing page and conformance, products,
orders, and their status histories. ``create_app`` includes ``ROUTERS`` in this order: orders
first, since a request is matched against each router in turn and ``POST /order`` is the one
under load (no two routers share a path, so the order changes nothing else)."""

from __future__ import annotations

from . import landing, orders, products, statuses

ROUTERS = (orders.router, landing.router, products.router, statuses.router)

__all__ = ["ROUTERS", "landing", "orders", "products", "statuses"]
