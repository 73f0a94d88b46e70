"""The STAPI v0.1.0 wire shapes of what the store holds, as plain dicts.

Orders are built here rather than as stapi-pydantic models because an order placed on the STAT
face may have an open interval (``2025-06-01T00:00:00Z/..``) or a JSON Reference for its
geometry: the STAPI specification allows the first, the STAT draft the second, and
stapi-pydantic's ``Order`` can hold neither. Such a request is reported as it was made, under
``search_parameters``; the Feature's own geometry is then the footprint the reference resolved
to when the order was taken (an empty GeometryCollection for rows stored before that).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .. import lifecycle
from ..opportunities.search import Found
from ..store import StoredOrder

JSON = "application/json"
GEOJSON = "application/geo+json"
STAPI_VERSION = "0.1.0"
EMPTY_GEOMETRY = {"type": "GeometryCollection", "geometries": []}


def link(href: str, rel: str, type_: str = JSON, **extra: Any) -> dict[str, Any]:
    return {"href": href, "rel": rel, "type": type_, **extra}


def segment(value: str) -> str:
    return quote(value, safe="")


def status_body(at_ms: int, step: Any) -> dict[str, Any]:
    return {
        "timestamp": lifecycle.rfc3339(at_ms),
        "status_code": step.status,
        "reason_code": step.reason_code,
        "reason_text": step.reason_text,
        "links": [],
    }


def order_feature(stored: StoredOrder, base: str, now_ms: int) -> dict[str, Any]:
    """An order as a STAPI Feature; ``base`` is the STAPI face's root URL."""
    request = json.loads(stored.request)
    geometry = request.get("geometry")
    inline = isinstance(geometry, dict) and "$ref" not in geometry
    at, step = lifecycle.timeline(stored.fate, stored.created_ms, now_ms, stored.window)[-1]
    href = f"{base}/orders/{segment(stored.id)}"
    search: dict[str, Any] = {"datetime": request["datetime"], "geometry": geometry}
    if request.get("filter") is not None:
        search["filter"] = request["filter"]
    return {
        "type": "Feature",
        "stapi_type": "Order",
        "stapi_version": STAPI_VERSION,
        "id": stored.id,
        "geometry": geometry if inline else _footprint(stored),
        "properties": {
            "product_id": stored.product_id,
            "created": lifecycle.rfc3339(stored.created_ms),
            "status": status_body(at, step),
            "search_parameters": search,
            "opportunity_properties": json.loads(stored.opportunity) if stored.opportunity else {},
            "order_parameters": {},
            "user": stored.owner,
        },
        "links": [
            link(href, "self", GEOJSON),
            link(f"{href}/statuses", "monitor"),
            link(f"{base}/products/{segment(stored.product_id)}", "product"),
        ],
    }


def _footprint(stored: StoredOrder) -> dict[str, Any]:
    """A referenced geometry as the server resolved it, or the empty GeometryCollection."""
    return json.loads(stored.footprint) if stored.footprint else EMPTY_GEOMETRY


def opportunity_feature(
    offered: Found, product_id: str, base: str, search_filter: dict[str, Any] | None
) -> dict[str, Any]:
    """An opportunity Feature whose ``create-order`` link orders exactly it: its window and
    footprint, the search's filter, the product's (empty) order parameters."""
    body: dict[str, Any] = {"datetime": offered.interval, "geometry": offered.geometry}
    if search_filter is not None:
        body["filter"] = search_filter
    body["order_parameters"] = {}
    return {
        "type": "Feature",
        "id": offered.id,
        "geometry": offered.geometry,
        "properties": {
            "datetime": offered.interval,
            "product_id": product_id,
            **offered.properties,
        },
        "links": [
            link(
                f"{base}/products/{segment(product_id)}/orders",
                "create-order",
                method="POST",
                body=body,
                title="Order this opportunity",
            )
        ],
    }
