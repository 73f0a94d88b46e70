"""Conformance class URIs of the STAT draft as served by the reference server.

A client reads ``conformsTo`` to tell the STAT draft dialect from STAPI: the STAT classes live
under our own namespace and the list never contains the STAPI core class. Kept free of imports
so that the client can use these constants without importing FastAPI.
"""

from __future__ import annotations

STAT_BASE = "https://stat-widgets.dev/spec/stat-order-api/draft-2024-04"
STAT_CORE = f"{STAT_BASE}/core"
STAT_ORDER_STATUSES = f"{STAT_BASE}/order-statuses"
STAT_IDEMPOTENCY = f"{STAT_BASE}/idempotency-key"
STAT_PAGINATION = f"{STAT_BASE}/keyset-pagination"

STAT_CONFORMANCE: tuple[str, ...] = (
    STAT_CORE,
    STAT_ORDER_STATUSES,
    STAT_IDEMPOTENCY,
    STAT_PAGINATION,
)

# The STAPI v0.1.0 core class: listed here only so tests can assert we never claim it.
STAPI_CORE = "https://stapi.example.com/v0.1.0/core"

GEOJSON_SCHEMA = "https://geojson.org/schema/{type}.json"

# STAPI v0.1.0 classes the reference server's STAPI face (``/stapi``) serves; the same strings
# as stapi-fastapi's ``conformance`` module (a test checks), kept here import-free.
STAPI_BASE = "https://stapi.example.com/v0.1.0"
STAPI_ORDER_STATUSES = f"{STAPI_BASE}/order-statuses"
STAPI_SEARCHES_OPPORTUNITY = f"{STAPI_BASE}/searches-opportunity"
STAPI_SEARCHES_OPPORTUNITY_STATUSES = f"{STAPI_BASE}/searches-opportunity-statuses"
STAPI_OPPORTUNITIES = f"{STAPI_BASE}/opportunities"
STAPI_OPPORTUNITIES_ASYNC = f"{STAPI_BASE}/opportunities-async"
