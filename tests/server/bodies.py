"""Request bodies for the server tests (plain dicts: the wire form, not models)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

#: Next year, so that an order's interval is always still to come for a server on the wall
#: clock (the server refuses intervals that have ended).
YEAR = datetime.now(UTC).year + 1
INTERVAL = f"{YEAR}-06-01T00:00:00Z/{YEAR}-06-08T00:00:00Z"


def square(lon: float = 10.0, lat: float = 50.0, size: float = 0.1) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def order_body(**overrides: Any) -> dict[str, Any]:
    """A valid ``POST /order`` body for ``optical-vhr`` (about 80 km²), fields overridable."""
    body: dict[str, Any] = {
        "datetime": INTERVAL,
        "product_id": "optical-vhr",
        "geometry": square(),
    }
    body.update(overrides)
    return body


def cloud_filter(limit: float = 20) -> dict[str, Any]:
    return {"op": "<=", "args": [{"property": "eo:cloud_cover"}, limit]}


def link(page: dict[str, Any], rel: str) -> str | None:
    return next((item["href"] for item in page["links"] if item["rel"] == rel), None)
