"""``GET /products`` and ``GET /products/{product_id}``: the catalogue is public (no user)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..deps import State
from ..documents import base, link, product_body
from ..problems import Problem

router = APIRouter()


@router.get("/products", summary="Products that can be ordered")
def products(request: Request, state: State) -> JSONResponse:
    root = base(request)
    return JSONResponse(
        {
            "products": [product_body(state, pid, root) for pid in state.products],
            "links": [
                link(f"{root}/products", "self", "Products"),
                link(f"{root}/", "root", "Landing page"),
            ],
        }
    )


@router.get("/products/{product_id}", summary="One product with its constraints")
def product(product_id: str, request: Request, state: State) -> JSONResponse:
    if product_id not in state.products:
        raise Problem(404, f"unknown product {product_id[:80]!r}", field="product_id")
    return JSONResponse(product_body(state, product_id, base(request)))
