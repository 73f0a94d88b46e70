"""Orders: ``POST /order`` (and ``POST /orders``, the seed OpenAPI's path), ``GET /orders``
(the user's orders, newest first, in keyset pages) and ``GET /order/{order_id}``.

Validation is delegated entirely to ``OrderRequest.from_input`` (the same code the widgets and
the client run); the routes only add what needs the server's state: unknown products,
idempotency, users.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from stat_widgets.errors import ValidationError
from stat_widgets.models import OrderRequest

from ..deps import Limit, OrderFilters, Page, State, User, owned_order, user_of
from ..documents import base, link, order_body
from ..intake import canonical, file_order, idempotency_key, refuse_past
from ..paging import PageToken
from ..problems import Problem, error_body
from ..references import footprint_text
from ..state import ServerState
from ..store import Filters
from ..store import Page as StorePage

REPLAY_HEADER = "Idempotent-Replayed"

router = APIRouter()


# -- creating ------------------------------------------------------------------------------------


def _parse_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise Problem(400, f"the request body is not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(body, dict):
        raise Problem(
            400,
            f"the request body must be a JSON object with datetime, product_id and geometry, "
            f"not {type(body).__name__}",
        )
    if "filters" in body and "filter" not in body:  # stat.yaml's spelling of the field
        body["filter"] = body.pop("filters")
    return body


def _validate(state: ServerState, body: dict[str, Any]) -> OrderRequest:
    product_id = body.get("product_id")
    product = None
    if isinstance(product_id, str) and product_id.strip():
        product = state.products.get(product_id.strip())
        if product is None:
            known = ", ".join(sorted(state.products))
            raise Problem(
                404, f"unknown product {product_id[:80]!r}; known: {known}", field="product_id"
            )
    try:
        return OrderRequest.from_input(body, product=product)
    except RecursionError:
        raise Problem(422, "the request is nested too deeply") from None


def _create(state: ServerState, raw: bytes, user: str, key: str | None, root: str) -> JSONResponse:
    order_request = _validate(state, _parse_body(raw))
    refuse_past(order_request, state.clock.now())
    request_text = canonical(order_request)
    footprint = state.references.footprint(
        order_request,
        state.products.get(order_request.product_id),
        replay=lambda: state.store.replays(user, key, request_text),
    )
    stored, created = file_order(
        state,
        request_text,
        order_request.product_id,
        owner=user,
        key=key,
        footprint=footprint_text(footprint),
    )
    headers = {"Location": f"{root}/order/{stored.id}"}
    if not created:
        headers[REPLAY_HEADER] = "true"
    return JSONResponse(order_body(stored, root, state.now_ms()), 201, headers)


def _order_request_openapi() -> dict[str, Any]:
    """The POST /order body for the OpenAPI document (the body is read by hand so that a bad one
    gets our error shape, so FastAPI cannot infer it)."""
    example = {
        "datetime": "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z",
        "product_id": "optical-vhr",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1], [10, 50]]],
        },
        "filter": {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]},
    }
    try:
        schema = OrderRequest.model_json_schema()
    except Exception:  # pragma: no cover - the document is a convenience, never a failure
        schema = {"type": "object"}
    if "$defs" in schema:  # pragma: no cover - OpenAPI wants components, keep it simple
        schema = {"type": "object"}
    media = {"schema": schema, "example": example}
    return {"requestBody": {"required": True, "content": {"application/json": media}}}


@router.post(
    "/order",
    status_code=201,
    summary="Create an order",
    description="Body: {datetime, product_id, geometry, filter?}. Answers 201 with a "
    "Location header. With an Idempotency-Key header, repeating the same request answers "
    f"201 again with the same order (and `{REPLAY_HEADER}: true`); a different request "
    "with the same key answers 409.",
    openapi_extra=_order_request_openapi(),
)
async def create_order(request: Request) -> JSONResponse:
    # The state and the user without ``Depends``: this is the route under load, and FastAPI's
    # resolution of two dependencies cost more than the gate and routing together
    # (benchmarks/server_load.py). The same two functions the dependencies call.
    state: ServerState = request.app.state.stat
    user = user_of(state, request)
    key = idempotency_key(request)
    raw = await request.body()  # read (and bounded) by the gate
    root = base(request)
    if state.references.named_in(raw):  # fetching a $ref waits on another server
        return await state.references.run(_create_or_refuse, state, raw, user, key, root)
    if len(raw) <= state.limits.inline_body_bytes:
        # Inline: validating a usual order and one WAL insert take well under a millisecond,
        # less than the hop to a worker thread and back.
        return _create(state, raw, user, key, root)
    # A large body can take seconds to validate: never on the loop that serves everyone.
    return await run_in_threadpool(_create_or_refuse, state, raw, user, key, root)


def _create_or_refuse(
    state: ServerState, raw: bytes, user: str, key: str | None, root: str
) -> JSONResponse:
    """``_create`` with its refusal built here, in the worker thread: a huge body can fail with
    hundreds of thousands of errors, and even dropping them takes the loop a while."""
    try:
        return _create(state, raw, user, key, root)
    except ValidationError as exc:
        return JSONResponse(error_body(exc.errors, 422), 422)


# The seed's OpenAPI (stat.yaml) posts to /orders; its README to /order. Both create.
router.post(
    "/orders",
    status_code=201,
    summary="Create an order (the seed OpenAPI's path; the same as POST /order)",
    openapi_extra=_order_request_openapi(),
)(create_order)


# -- reading -------------------------------------------------------------------------------------


def _page_links(
    state: ServerState,
    root: str,
    limit: int,
    filters: Filters,
    token: PageToken | None,
    page: StorePage,
) -> list[dict[str, Any]]:
    params: list[tuple[str, str]] = [("limit", str(limit))]
    if filters.statuses:
        params.append(("status", ",".join(filters.statuses)))
    if filters.product_ids:
        params.append(("product_id", ",".join(filters.product_ids)))

    def href(page_token: PageToken | None) -> str:
        query = list(params)
        if page_token is not None:
            query.append(("page", state.pages.encode(page_token)))
        return f"{root}/orders?{urlencode(query)}"

    links = [link(href(token), "self", "This page"), link(href(None), "first", "Newest")]
    if page.has_older:
        if page.orders:
            bottom = page.orders[-1].seq
        elif token is not None and token.direction == "prev":
            bottom = token.seq + 1
        else:  # pragma: no cover - an empty page without a cursor has nothing older
            bottom = 0
        links.append(link(href(PageToken(bottom, "next")), "next", "Older orders"))
    if page.has_newer:
        top = page.orders[0].seq if page.orders else (token.seq - 1 if token else 0)
        links.append(link(href(PageToken(top, "prev")), "prev", "Newer orders"))
    links.append(link(f"{root}/", "root", "Landing page"))
    return links


@router.get("/orders", summary="The user's orders, newest first")
def list_orders(
    request: Request, user: User, limit: Limit, filters: OrderFilters, token: Page, state: State
) -> JSONResponse:
    now_ms = state.now_ms()
    page = state.store.page(
        user,
        limit=limit,
        now_ms=now_ms,
        filters=filters,
        older_than=token.seq if token and token.direction == "next" else None,
        newer_than=token.seq if token and token.direction == "prev" else None,
    )
    root = base(request)
    return JSONResponse(
        {
            "orders": [order_body(o, root, now_ms) for o in page.orders],
            "links": _page_links(state, root, limit, filters, token, page),
            "numberMatched": page.total,
        }
    )


@router.get("/order/{order_id}", summary="One order")
def get_order(order_id: str, request: Request, user: User, state: State) -> JSONResponse:
    stored = owned_order(state, order_id, user)
    return JSONResponse(order_body(stored, base(request), state.now_ms()))
