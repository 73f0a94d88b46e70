"""The STAT face's response documents: links, products and orders as the draft shapes them.
Stored rows become dicts directly, without re-validating them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import Request

from . import lifecycle
from .state import ServerState
from .store import StoredOrder

JSON = "application/json"


def base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def link(href: str, rel: str, title: str | None = None, type_: str = JSON) -> dict[str, Any]:
    out: dict[str, Any] = {"href": href, "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def product_url(base_url: str, product_id: str) -> str:
    return f"{base_url}/products/{quote(product_id, safe='')}"


def order_body(stored: StoredOrder, base_url: str, now_ms: int) -> dict[str, Any]:
    href = f"{base_url}/order/{stored.id}"
    step = lifecycle.current(stored.fate, stored.created_ms, now_ms, stored.window)
    return {
        "id": stored.id,
        "user": stored.owner,
        "status": step.status,
        "created": lifecycle.rfc3339(stored.created_ms),
        "links": [
            link(href, "self", "This order"),
            link(f"{href}/statuses", "monitor", "Status history"),
            link(f"{href}/statuses", "statuses", "Status history"),
            link(product_url(base_url, stored.product_id), "product", "Product"),
        ],
        "request": json.loads(stored.request),
        **({"footprint": json.loads(stored.footprint)} if stored.footprint else {}),
    }


def product_body(state: ServerState, product_id: str, base_url: str) -> dict[str, Any]:
    body = dict(state.product_bodies[product_id])
    # the seed's OpenAPI (stat.yaml) requires both; its README names neither
    body.setdefault("type", "Product")
    body.setdefault("license", "proprietary")
    own = [item for item in body.get("links", []) if item.get("rel") not in ("self", "root")]
    body["links"] = [
        link(product_url(base_url, product_id), "self", body.get("title") or None),
        link(f"{base_url}/", "root", "Landing page"),
        *own,
    ]
    return body
