"""The reference server's second face: STAPI v0.1.0 at ``{url}/stapi``.

Built on stapi-fastapi's ``RootRouter`` and ``ProductRouter`` (routes, links, conformance,
``Prefer`` handling), with the server's own store, catalogue, clock and users behind them
(``backend.StapiBackend``). Two of the root router's handlers, listing orders and reading one,
are replaced: they serve orders made on either face, and stapi-pydantic's ``Order`` cannot
hold the STAT face's open intervals or JSON References (``shapes``).

The face is its own FastAPI app mounted under ``/stapi``, with its own OpenAPI document
(``/stapi/openapi.json``) and the server's error bodies.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from stapi_fastapi import RootRouter
from stapi_fastapi.models import Product as StapiProduct
from stapi_fastapi.routers.route_names import LIST_ORDERS
from stapi_pydantic import (
    OpportunityProperties,
    OrderParameters,
    Provider,
    ProviderRole,
    Queryables,
)

from stat_widgets.conformance import GEOJSON_SCHEMA, STAPI_FACE_CONFORMANCE
from stat_widgets.models import Product, validate_filter

from ..problems import Problem, install_error_handlers
from ..store import Filters
from . import shapes
from .backend import DEFAULT_LIMIT, StapiBackend, base_of, bounded_limit, off_loop_if_large

PREFIX = "/stapi"
NAME = "stapi"
PROVIDER = Provider(
    name="stat_widgets demo constellation",
    description="Made-up satellites on real orbits, for demonstrations and tests",
    roles=[ProviderRole.producer, ProviderRole.host],
    url="https://stat-widgets.dev",
)
#: Path parts of the routes that act for a user (the catalogue is public, as on the STAT face).
_PRIVATE = ("/orders", "/opportunities", "/searches")


class NoParameters(OrderParameters):
    """The demo products take no order parameters (``{}``)."""


def _queryables(product: Product) -> type[Queryables]:
    """stapi-fastapi serves a model class's JSON Schema; ours is the product's constraints."""
    schema = copy.deepcopy(product.constraints)

    class ProductQueryables(Queryables):
        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return copy.deepcopy(schema)

    ProductQueryables.__name__ = f"Queryables_{product.id}"
    return ProductQueryables


def _plain(method: Callable[..., Any]) -> Callable[..., Any]:
    """A backend method as a plain function: stapi-fastapi deep-copies products (with their
    callbacks) for every product response, and a bound method would drag the store along."""

    async def call(*args: Any) -> Any:
        return await method(*args)

    return call


def _conforms_to(product: Product) -> list[str]:
    """STAPI lists the geometry types a product takes; a product that names none takes any."""
    if product.geometry_types is not None:
        return list(product.conforms_to)
    kinds = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
    return [*product.conforms_to, *(GEOJSON_SCHEMA.format(type=kind) for kind in kinds)]


class _Root(RootRouter):
    """stapi-fastapi's root router with the order listing and order reading of our store."""

    def __init__(self, backend: StapiBackend, **kwargs: Any) -> None:
        self.backend = backend
        super().__init__(**kwargs)

    async def get_orders(  # type: ignore[override]
        self, request: Request, next: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> JSONResponse:
        backend = self.backend
        user = backend.user_of(request)
        limit = bounded_limit(limit)
        now_ms = backend.state.now_ms()
        page = backend.state.store.page(
            user, limit=limit, now_ms=now_ms, filters=Filters(), older_than=backend.decode(next)
        )
        base = base_of(request)
        href = str(request.url_for(f"{self.name}:{LIST_ORDERS}"))
        links = [shapes.link(href, "self", shapes.GEOJSON)]
        if page.has_older:
            query = f"?next={backend.encode(page.orders[-1].seq)}&limit={limit}"
            links.append(shapes.link(href + query, "next", shapes.GEOJSON))
        body = {
            "type": "FeatureCollection",
            "features": [shapes.order_feature(o, base, now_ms) for o in page.orders],
            "links": links,
            "numberMatched": page.total,
        }
        return JSONResponse(body, media_type=shapes.GEOJSON)

    async def get_order(self, order_id: str, request: Request) -> JSONResponse:  # type: ignore[override]
        backend = self.backend
        stored = backend.state.store.get(order_id, backend.user_of(request))
        if stored is None:
            raise Problem(404, f"no order {order_id[:80]!r}", field="order_id")
        feature = shapes.order_feature(stored, base_of(request), backend.state.now_ms())
        return JSONResponse(feature, media_type=shapes.GEOJSON)


async def _guard(request: Request) -> None:
    """Before stapi-pydantic parses a body: the user (401 before any work), and a filter
    checked by our bounded walk, because stapi-pydantic hands it to ``cql2.validate``, whose
    time grows steeply with nesting."""
    face: StapiBackend = request.app.state.stapi
    if any(part in request.url.path for part in _PRIVATE):
        face.user_of(request)
    if request.method == "POST":
        await off_loop_if_large(request, _check_filter, await request.body())


def _check_filter(raw: bytes) -> None:
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return  # FastAPI answers that one itself
    if isinstance(body, dict) and body.get("filter") not in (None, {}):
        validate_filter(body["filter"])


def create_face(state: Any, user_of: Callable[[Request], str]) -> FastAPI:
    """The STAPI face over one server's state; ``user_of`` maps a request to its user (the
    STAT face's bearer tokens)."""
    backend = StapiBackend(state, user_of)
    face = FastAPI(
        title="STAT reference server: STAPI v0.1.0 face",
        description="STAPI v0.1.0 over the reference server's store, catalogue and demo "
        "constellation (stat_widgets). Orders are shared with the STAT draft face at /.",
        version="0.1.0",
        servers=[{"url": PREFIX}],  # its paths are relative to the mount
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    face.state.stapi = backend
    install_error_handlers(face)
    root = _Root(
        backend,
        get_orders=None,  # type: ignore[arg-type]  (replaced above)
        get_order=None,  # type: ignore[arg-type]
        get_order_statuses=backend.get_order_statuses,
        get_opportunity_search_records=backend.get_opportunity_search_records,
        get_opportunity_search_record=backend.get_opportunity_search_record,
        get_opportunity_search_record_statuses=backend.get_opportunity_search_record_statuses,
        conformances=list(STAPI_FACE_CONFORMANCE),
        name=NAME,
        openapi_endpoint_name=f"{NAME}-openapi",
        docs_endpoint_name=f"{NAME}-docs",
        dependencies=[Depends(_guard)],
    )
    for product in state.products.values():
        searchable = product.id in backend.fleet
        root.add_product(
            StapiProduct(
                id=product.id,
                title=product.title,
                description=product.description,
                keywords=product.keywords,
                license="proprietary",
                conformsTo=_conforms_to(product),
                providers=[PROVIDER],
                links=[],
                create_order=_plain(backend.create_order),
                search_opportunities=_plain(backend.search_opportunities) if searchable else None,
                search_opportunities_async=(
                    _plain(backend.search_opportunities_async) if searchable else None
                ),
                get_opportunity_collection=(
                    _plain(backend.get_opportunity_collection) if searchable else None
                ),
                queryables=_queryables(product),
                opportunity_properties=OpportunityProperties,
                order_parameters=NoParameters,
            )
        )
    face.include_router(root)

    @face.get("/openapi.json", name=f"{NAME}-openapi", include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(face.openapi())

    @face.get("/docs", name=f"{NAME}-docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="openapi.json", title=face.title)

    return face


def mount_stapi(app: FastAPI, state: Any, user_of: Callable[[Request], str]) -> FastAPI:
    face = create_face(state, user_of)
    app.mount(PREFIX, face)
    return face


__all__ = ["PREFIX", "create_face", "mount_stapi"]
