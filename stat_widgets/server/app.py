"""The reference STAT server: ``create_app`` wires the catalogue, the store, the clock and the
optional bearer tokens into a FastAPI app.

Validation is delegated entirely to ``OrderRequest.from_input`` (the same code the widgets and
the client run); the server only adds what needs its state: unknown products, idempotency, users.
Stored rows are turned into response dicts directly, without re-validating them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from stat_widgets.models import OrderRequest, OrderStatus, Product

from . import lifecycle
from .catalog import demo_products
from .clock import Clock, SystemClock
from .conformance import STAT_CONFORMANCE
from .intake import canonical, idempotency_key
from .paging import BadPageToken, PageToken, PageTokenCodec
from .prefix import PathPrefix
from .problems import Problem, install_error_handlers
from .stapi import mount_stapi
from .store import Filters, IdempotencyConflict, OrderStore, StoredOrder

JSON = "application/json"
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
MAX_BODY_BYTES = 5 * 1024 * 1024
ANONYMOUS = "anonymous"
REPLAY_HEADER = "Idempotent-Replayed"
KNOWN_STATUSES = frozenset(s.value for s in OrderStatus)


class _State:
    """Everything a request handler needs; one per app, so several apps can share a process."""

    def __init__(
        self,
        store: OrderStore,
        clock: Clock,
        tokens: Mapping[str, str] | None,
        products: list[Product],
    ) -> None:
        self.store = store
        self.clock = clock
        self.tokens = dict(tokens) if tokens else None
        self.products = {p.id: p for p in products}
        self.product_bodies = {
            p.id: p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in products
        }
        self.pages = PageTokenCodec(store.page_key)

    def now_ms(self) -> int:
        return lifecycle.to_ms(self.clock.now())


def _load_products(products: Iterable[Product | Mapping[str, Any]] | None) -> list[Product]:
    items = demo_products() if products is None else list(products)
    loaded = [p if isinstance(p, Product) else Product.model_validate(p) for p in items]
    ids = [p.id for p in loaded]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate product ids in the catalogue: {ids}")
    return loaded


def create_app(
    *,
    db_path: str | Path,
    tokens: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    products: Iterable[Product | Mapping[str, Any]] | None = None,
    root_path: str = "",
    trust_forwarded_prefix: bool = True,
) -> FastAPI:
    """The app. ``tokens`` maps bearer tokens to user names (``None``: no auth, every order
    belongs to ``anonymous``); ``products`` replaces the demo catalogue. Links carry
    ``root_path``, or the prefix a proxy names in ``X-Forwarded-Prefix`` (``server/prefix.py``:
    how Binder's ``/proxy/<port>/`` reaches the embedded server)."""
    if str(db_path) == ":memory:" or not str(db_path):
        raise ValueError("db_path must be a file: each worker thread opens its own connection")
    state = _State(OrderStore(db_path), clock or SystemClock(), tokens, _load_products(products))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.store.close()

    app = FastAPI(
        title="STAT reference server",
        description="Reference implementation of the STAT Order API draft (stat_widgets).",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.stat = state
    install_error_handlers(app)
    _add_routes(app, state)
    app.state.stapi = mount_stapi(app, state, lambda request: _user(state, request))
    app.add_middleware(PathPrefix, root_path=root_path, trust_forwarded=trust_forwarded_prefix)
    return app


# -- helpers -------------------------------------------------------------------------------------


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _link(href: str, rel: str, title: str | None = None, type_: str = JSON) -> dict[str, Any]:
    link: dict[str, Any] = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


def _user(state: _State, request: Request) -> str:
    """The user a request acts for; 401 with ``WWW-Authenticate: Bearer`` when auth is on and the
    token is missing or unknown."""
    if state.tokens is None:
        return ANONYMOUS
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "a bearer token is required", field="Authorization", headers=challenge)
    user = state.tokens.get(token.strip())
    if user is None:
        raise Problem(
            401, "the bearer token is not valid", field="Authorization", headers=challenge
        )
    return user


def _order_body(stored: StoredOrder, base: str, now_ms: int) -> dict[str, Any]:
    href = f"{base}/order/{stored.id}"
    step = lifecycle.current(stored.fate, stored.created_ms, now_ms, stored.window)
    return {
        "id": stored.id,
        "user": stored.owner,
        "status": step.status,
        "created": lifecycle.rfc3339(stored.created_ms),
        "links": [
            _link(href, "self", "This order"),
            _link(f"{href}/statuses", "monitor", "Status history"),
            _link(f"{href}/statuses", "statuses", "Status history"),
            _link(f"{base}/products/{quote(stored.product_id, safe='')}", "product", "Product"),
        ],
        "request": json.loads(stored.request),
    }


def _product_body(state: _State, product_id: str, base: str) -> dict[str, Any]:
    body = dict(state.product_bodies[product_id])
    # the seed's OpenAPI (stat.yaml) requires both; its README names neither
    body.setdefault("type", "Product")
    body.setdefault("license", "proprietary")
    own = [link for link in body.get("links", []) if link.get("rel") not in ("self", "root")]
    body["links"] = [
        _link(f"{base}/products/{quote(product_id, safe='')}", "self", body.get("title") or None),
        _link(f"{base}/", "root", "Landing page"),
        *own,
    ]
    return body


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    message = f"limit must be a whole number from 1 to {MAX_LIMIT}, got {raw[:40]!r}"
    try:
        limit = int(raw)
    except ValueError:
        raise Problem(400, message, field="limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem(400, message, field="limit")
    return limit


def _list_param(request: Request, name: str) -> tuple[str, ...]:
    values = []
    for raw in request.query_params.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return tuple(dict.fromkeys(values))


def _filters(request: Request) -> Filters:
    statuses = _list_param(request, "status")
    unknown = [s for s in statuses if s not in KNOWN_STATUSES]
    if unknown:
        raise Problem(
            400,
            f"unknown status {unknown[0][:40]!r}; use one of {', '.join(sorted(KNOWN_STATUSES))}",
            field="status",
        )
    return Filters(statuses=statuses, product_ids=_list_param(request, "product_id"))


async def _read_body(request: Request) -> bytes:
    """The body, but never more than ``MAX_BODY_BYTES`` of it in memory. An oversized body is
    drained rather than cut off, so the client reliably reads the 413 instead of a reset."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
    if size > MAX_BODY_BYTES:
        raise Problem(413, f"the request body is larger than {MAX_BODY_BYTES // 1024**2} MB")
    return b"".join(chunks)


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
    return body


def _validate(state: _State, body: dict[str, Any]) -> OrderRequest:
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


# -- routes --------------------------------------------------------------------------------------


def _add_routes(app: FastAPI, state: _State) -> None:
    @app.get("/", summary="Landing page")
    def landing(request: Request) -> JSONResponse:
        base = _base(request)
        return JSONResponse(
            {
                "id": "stat-widgets-reference",
                "title": "STAT reference server",
                "description": "Reference implementation of the STAT Order API draft "
                "(April 2024) for stat_widgets: products, orders and their statuses.",
                "conformsTo": list(STAT_CONFORMANCE),
                "links": [
                    _link(f"{base}/", "self", "Landing page"),
                    _link(f"{base}/", "root", "Landing page"),
                    _link(
                        f"{base}/openapi.json",
                        "service-desc",
                        "OpenAPI definition",
                        "application/vnd.oai.openapi+json;version=3.0",
                    ),
                    _link(f"{base}/docs", "service-doc", "Interactive API docs", "text/html"),
                    _link(f"{base}/conformance", "conformance", "Conformance classes"),
                    _link(f"{base}/products", "products", "Products"),
                    _link(f"{base}/orders", "orders", "Orders"),
                    {**_link(f"{base}/order", "create-order", "Create an order"), "method": "POST"},
                ],
            }
        )

    @app.get("/conformance", summary="Conformance classes")
    def conformance() -> JSONResponse:
        return JSONResponse({"conformsTo": list(STAT_CONFORMANCE)})

    @app.get("/products", summary="Products that can be ordered")
    def products(request: Request) -> JSONResponse:
        base = _base(request)
        return JSONResponse(
            {
                "products": [_product_body(state, pid, base) for pid in state.products],
                "links": [
                    _link(f"{base}/products", "self", "Products"),
                    _link(f"{base}/", "root", "Landing page"),
                ],
            }
        )

    @app.get("/products/{product_id}", summary="One product with its constraints")
    def product(product_id: str, request: Request) -> JSONResponse:
        if product_id not in state.products:
            raise Problem(404, f"unknown product {product_id[:80]!r}", field="product_id")
        return JSONResponse(_product_body(state, product_id, _base(request)))

    def create(raw: bytes, user: str, key: str | None, base: str) -> JSONResponse:
        body = _parse_body(raw)
        if "filters" in body and "filter" not in body:  # stat.yaml's spelling of the field
            body["filter"] = body.pop("filters")
        order_request = _validate(state, body)
        try:
            stored, created = state.store.insert(
                order_id=uuid.uuid4().hex,
                owner=user,
                product_id=order_request.product_id,
                created_ms=state.now_ms(),
                request=canonical(order_request),
                idempotency_key=key,
            )
        except IdempotencyConflict:
            raise Problem(
                409,
                f"the key {key!r} was already used for a different order request; "
                "use a new key for a new request",
                field="Idempotency-Key",
            ) from None
        body = _order_body(stored, base, state.now_ms())
        headers = {"Location": f"{base}/order/{stored.id}"}
        if not created:
            headers[REPLAY_HEADER] = "true"
        return JSONResponse(body, 201, headers)

    @app.post(
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
        user = _user(state, request)
        key = idempotency_key(request)
        raw = await _read_body(request)
        # Inline, not in the thread pool: validation and one WAL insert take well under a
        # millisecond, less than the hop to a worker thread and back.
        return create(raw, user, key, _base(request))

    # The seed's OpenAPI (stat.yaml) posts to /orders; its README to /order. Both create.
    app.post(
        "/orders",
        status_code=201,
        summary="Create an order (the seed OpenAPI's path; the same as POST /order)",
        openapi_extra=_order_request_openapi(),
    )(create_order)

    @app.get("/orders", summary="The user's orders, newest first")
    def list_orders(request: Request) -> JSONResponse:
        user = _user(state, request)
        limit = _limit(request)
        filters = _filters(request)
        token_text = request.query_params.get("page")
        token = None
        if token_text is not None:
            try:
                token = state.pages.decode(token_text)
            except BadPageToken as exc:
                raise Problem(400, str(exc), field="page") from None
        now_ms = state.now_ms()
        page = state.store.page(
            user,
            limit=limit,
            now_ms=now_ms,
            filters=filters,
            older_than=token.seq if token and token.direction == "next" else None,
            newer_than=token.seq if token and token.direction == "prev" else None,
        )
        base = _base(request)
        params: list[tuple[str, str]] = [("limit", str(limit))]
        if filters.statuses:
            params.append(("status", ",".join(filters.statuses)))
        if filters.product_ids:
            params.append(("product_id", ",".join(filters.product_ids)))

        def href(page_token: PageToken | None) -> str:
            query = list(params)
            if page_token is not None:
                query.append(("page", state.pages.encode(page_token)))
            return f"{base}/orders?{urlencode(query)}"

        links = [_link(href(token), "self", "This page"), _link(href(None), "first", "Newest")]
        if page.has_older:
            if page.orders:
                bottom = page.orders[-1].seq
            elif token is not None and token.direction == "prev":
                bottom = token.seq + 1
            else:  # pragma: no cover - an empty page without a cursor has nothing older
                bottom = 0
            links.append(_link(href(PageToken(bottom, "next")), "next", "Older orders"))
        if page.has_newer:
            top = page.orders[0].seq if page.orders else (token.seq - 1 if token else 0)
            links.append(_link(href(PageToken(top, "prev")), "prev", "Newer orders"))
        links.append(_link(f"{base}/", "root", "Landing page"))
        return JSONResponse(
            {
                "orders": [_order_body(o, base, now_ms) for o in page.orders],
                "links": links,
                "numberMatched": page.total,
            }
        )

    def owned(order_id: str, request: Request) -> StoredOrder:
        user = _user(state, request)
        stored = state.store.get(order_id, user)
        if stored is None:
            raise Problem(404, f"no order {order_id[:80]!r}", field="id")
        return stored

    @app.get("/order/{order_id}", summary="One order")
    def get_order(order_id: str, request: Request) -> JSONResponse:
        stored = owned(order_id, request)
        return JSONResponse(_order_body(stored, _base(request), state.now_ms()))

    @app.get("/order/{order_id}/statuses", summary="An order's status history, newest last")
    def get_statuses(order_id: str, request: Request) -> JSONResponse:
        stored = owned(order_id, request)
        base = _base(request)
        href = f"{base}/order/{stored.id}"
        steps = lifecycle.timeline(stored.fate, stored.created_ms, state.now_ms(), stored.window)
        return JSONResponse(
            {
                "statuses": [
                    {
                        "timestamp": lifecycle.rfc3339(at),
                        "status": step.status,
                        "reason_code": step.reason_code,
                        "reason_text": step.reason_text,
                        "links": [],
                    }
                    for at, step in steps
                ],
                "links": [
                    _link(f"{href}/statuses", "self", "Status history"),
                    _link(href, "order", "The order"),
                ],
            }
        )
