"""The STAT face, one ``APIRouter`` per resource: the landing page and conformance, products,
orders, and their status histories. ``create_app`` includes ``ROUTERS`` in this order."""

from __future__ import annotations

from . import landing, orders, products, statuses

ROUTERS = (landing.router, products.router, orders.router, statuses.router)

__all__ = ["ROUTERS", "landing", "orders", "products", "statuses"]
