"""``GET /`` (the landing page with the API's links) and ``GET /conformance``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from stat_widgets.conformance import STAT_CONFORMANCE

from ..documents import base, link

router = APIRouter()


@router.get("/", summary="Landing page")
def landing(request: Request) -> JSONResponse:
    root = base(request)
    return JSONResponse(
        {
            "id": "stat-widgets-reference",
            "title": "STAT reference server",
            "description": "Reference implementation of the STAT Order API draft "
            "(April 2024) for stat_widgets: products, orders and their statuses.",
            "conformsTo": list(STAT_CONFORMANCE),
            "links": [
                link(f"{root}/", "self", "Landing page"),
                link(f"{root}/", "root", "Landing page"),
                link(
                    f"{root}/openapi.json",
                    "service-desc",
                    "OpenAPI definition",
                    "application/vnd.oai.openapi+json;version=3.0",
                ),
                link(f"{root}/docs", "service-doc", "Interactive API docs", "text/html"),
                link(f"{root}/conformance", "conformance", "Conformance classes"),
                link(f"{root}/products", "products", "Products"),
                link(f"{root}/orders", "orders", "Orders"),
                {**link(f"{root}/order", "create-order", "Create an order"), "method": "POST"},
            ],
        }
    )


@router.get("/conformance", summary="Conformance classes")
def conformance() -> JSONResponse:
    return JSONResponse({"conformsTo": list(STAT_CONFORMANCE)})
