"""Conformance classes: the URIs a server lists in ``conformsTo`` and what a client reads from
them, in one place for both sides.

The reference server claims these lists (the STAT draft face at ``/``, the STAPI face at
``/stapi``); the client's dialect detection asks :func:`speaks_stapi` and
:func:`honours_idempotency`. The client reads liberally: a provider's STAPI core class may sit
under another host, and providers spell an idempotency class in their own namespace. This
module imports nothing, so the client, the server and tests can use it without FastAPI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# -- the STAT Order API draft (April 2024), under our own namespace ------------------------------
STAT_BASE = "https://stat-widgets.dev/spec/stat-order-api/draft-2024-04"
STAT_CORE = f"{STAT_BASE}/core"
STAT_ORDER_STATUSES = f"{STAT_BASE}/order-statuses"
STAT_IDEMPOTENCY = f"{STAT_BASE}/idempotency-key"
STAT_PAGINATION = f"{STAT_BASE}/keyset-pagination"

#: What the reference server's STAT face claims (never the STAPI core class).
STAT_CONFORMANCE: tuple[str, ...] = (
    STAT_CORE,
    STAT_ORDER_STATUSES,
    STAT_IDEMPOTENCY,
    STAT_PAGINATION,
)

# -- STAPI v0.1.0: the same strings as stapi-fastapi's ``conformance`` module (a test checks) ----
STAPI_BASE = "https://stapi.example.com/v0.1.0"
STAPI_CORE = f"{STAPI_BASE}/core"
STAPI_ORDER_STATUSES = f"{STAPI_BASE}/order-statuses"
STAPI_SEARCHES_OPPORTUNITY = f"{STAPI_BASE}/searches-opportunity"
STAPI_SEARCHES_OPPORTUNITY_STATUSES = f"{STAPI_BASE}/searches-opportunity-statuses"
STAPI_OPPORTUNITIES = f"{STAPI_BASE}/opportunities"
STAPI_OPPORTUNITIES_ASYNC = f"{STAPI_BASE}/opportunities-async"

#: What the reference server's STAPI face claims; orders are de-duplicated by Idempotency-Key
#: there too, so it lists our idempotency class as well.
STAPI_FACE_CONFORMANCE: tuple[str, ...] = (
    STAPI_CORE,
    STAPI_ORDER_STATUSES,
    STAPI_SEARCHES_OPPORTUNITY,
    STAPI_SEARCHES_OPPORTUNITY_STATUSES,
    STAT_IDEMPOTENCY,
)

#: A product's ``conformsTo`` names the geometry types it takes with these schema URIs.
GEOJSON_SCHEMA = "https://geojson.org/schema/{type}.json"

# Any host, any ``stapi`` path, version 0.1 or 0.1.x, the core class.
_STAPI_CORE = re.compile(r"stapi.*/v0\.1(\.\d+)?/core/?$", re.IGNORECASE)


def speaks_stapi(conforms_to: Iterable[object]) -> bool:
    """Whether a server claims the STAPI v0.1 core class (under whichever host it names)."""
    return any(_STAPI_CORE.search(str(uri)) for uri in conforms_to)


def honours_idempotency(conforms_to: Iterable[object]) -> bool:
    """Whether a server claims to de-duplicate POSTs by ``Idempotency-Key``: our class or any
    provider's class whose URI names idempotency."""
    return any("idempotency" in str(uri).lower() for uri in conforms_to)


__all__ = [
    "GEOJSON_SCHEMA",
    "STAPI_BASE",
    "STAPI_CORE",
    "STAPI_FACE_CONFORMANCE",
    "STAPI_OPPORTUNITIES",
    "STAPI_OPPORTUNITIES_ASYNC",
    "STAPI_ORDER_STATUSES",
    "STAPI_SEARCHES_OPPORTUNITY",
    "STAPI_SEARCHES_OPPORTUNITY_STATUSES",
    "STAT_BASE",
    "STAT_CONFORMANCE",
    "STAT_CORE",
    "STAT_IDEMPOTENCY",
    "STAT_ORDER_STATUSES",
    "STAT_PAGINATION",
    "honours_idempotency",
    "speaks_stapi",
]
