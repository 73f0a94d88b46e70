"""The conformance classes the reference server claims, re-exported from
:mod:`stat_widgets.conformance` (where the client's dialect detection reads them too) under the
names the server and its tests have always used. Import-free of FastAPI."""

from __future__ import annotations

from stat_widgets.conformance import (
    GEOJSON_SCHEMA,
    STAPI_BASE,
    STAPI_CORE,
    STAPI_FACE_CONFORMANCE,
    STAPI_OPPORTUNITIES,
    STAPI_OPPORTUNITIES_ASYNC,
    STAPI_ORDER_STATUSES,
    STAPI_SEARCHES_OPPORTUNITY,
    STAPI_SEARCHES_OPPORTUNITY_STATUSES,
    STAT_BASE,
    STAT_CONFORMANCE,
    STAT_CORE,
    STAT_IDEMPOTENCY,
    STAT_ORDER_STATUSES,
    STAT_PAGINATION,
)

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
]
