"""A real STAPI v0.1.0 server for the client tests: stapi-fastapi 0.8.0 with a small in-memory
backend (two products, orders in a dict, paging with ``next`` tokens, status history), and
opportunity search of its own: ``optical`` searches synchronously (known windows, paged, no
order links), ``radar`` asynchronously (search records that complete, fail or never finish as
the test says; results that link their own ``create-order`` action).

It also serves ``/files/aoi.geojson`` so that JSON References can be resolved on 127.0.0.1.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from fastapi import FastAPI, Request
from pydantic import Field
from returns.maybe import Maybe, Nothing, Some
from returns.result import Failure, ResultE, Success
from stapi_fastapi import ProductRouter, RootRouter
from stapi_fastapi.conformance import API, PRODUCT
from stapi_fastapi.models import Product
from stapi_pydantic import (
    Opportunity,
    OpportunityCollection,
    OpportunityPayload,
    OpportunityProperties,
    OpportunitySearchRecord,
    OpportunitySearchStatus,
    OpportunitySearchStatusCode,
    Order,
    OrderParameters,
    OrderPayload,
    OrderProperties,
    OrderSearchParameters,
    OrderStatus,
    OrderStatusCode,
    Provider,
    ProviderRole,
    Queryables,
)

from ._serving import serve

AOI = {
    "type": "Polygon",
    "coordinates": [[[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]],
}


class OpticalQueryables(Queryables):
    off_nadir: float = Field(default=20, ge=0, le=45, description="degrees from nadir")
    cloud_cover: int = Field(default=20, ge=0, le=100, description="percent")


class OpticalParameters(OrderParameters):
    delivery: Literal["standard", "express"] = "standard"


class RadarQueryables(Queryables):
    polarisation: Literal["HH", "VV", "HV", "VH"] = "VV"


class RadarParameters(OrderParameters):
    """No parameters: the schema has no properties, so the client sends ``{}``."""


class BriefParameters(OrderParameters):
    """A required parameter without a default: the client cannot invent it."""

    contact: str


def known_windows(count: int, start: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """Windows this server offers for any search: 10:00 to 10:03 UTC on consecutive days."""
    first = (start or datetime(2025, 6, 1, tzinfo=UTC)).replace(hour=10, minute=0, second=0)
    return [(first + timedelta(days=k), first + timedelta(days=k, minutes=3)) for k in range(count)]


@dataclass
class Backend:
    """Orders in insertion order, each with its status history (oldest first)."""

    orders: dict[str, Order] = field(default_factory=dict)
    history: dict[str, list[OrderStatus]] = field(default_factory=dict)
    created_posts: int = 0
    post_headers: list[dict[str, str]] = field(default_factory=list)  # of each order POST
    windows: list[tuple[datetime, datetime]] = field(default_factory=lambda: known_windows(7))
    searches: dict[str, OpportunitySearchRecord] = field(default_factory=dict)
    polls: dict[str, int] = field(default_factory=dict)
    #: How an asynchronous search ends: "complete" (after two polls), "fail" or "never".
    outcome: str = "complete"
    search_posts: list[dict] = field(default_factory=list)

    # -- opportunities --------------------------------------------------------------------------
    def _features(self, product_id: str, search: OpportunityPayload, links: str = "") -> list:
        """``links``: the server's root URL, to link each opportunity's order action."""
        geometry = search.geometry.model_dump(mode="json", exclude_none=True)
        features = []
        for k, (start, end) in enumerate(self.windows):
            if not search.datetime[0] <= start < search.datetime[1]:
                continue
            feature = {
                "type": "Feature",
                "id": f"{product_id}-{k}",
                "geometry": geometry,
                "properties": {
                    "datetime": f"{start.isoformat()}/{end.isoformat()}",
                    "product_id": product_id,
                    "off_nadir": 5.0 + k,
                    "satellite": f"test-{k % 2}",
                },
                "links": [],
            }
            if links:
                feature["links"] = [
                    {
                        "href": f"{links}/products/{product_id}/orders",
                        "rel": "create-order",
                        "method": "POST",
                        "body": {
                            "datetime": feature["properties"]["datetime"],
                            "geometry": geometry,
                        },
                    }
                ]
            features.append(feature)
        return features

    async def search_opportunities(
        self,
        router: ProductRouter,
        search: OpportunityPayload,
        next: str | None,
        limit: int,
        request: Request,
    ) -> ResultE[tuple[list[Opportunity], Maybe[str]]]:
        self.search_posts.append(search.model_dump(mode="json"))
        features = self._features(router.product.id, search)
        start = int(next) if next else 0
        end = start + limit
        page = [Opportunity.model_validate(f) for f in features[start:end]]
        return Success((page, Some(str(end)) if end < len(features) else Nothing))

    async def search_opportunities_async(
        self, router: ProductRouter, search: OpportunityPayload, request: Request
    ) -> ResultE[OpportunitySearchRecord]:
        self.search_posts.append(search.model_dump(mode="json"))
        record = OpportunitySearchRecord(
            id=str(uuid.uuid4()),
            product_id=router.product.id,
            opportunity_request=search,
            status=OpportunitySearchStatus(
                timestamp=datetime.now(UTC), status_code=OpportunitySearchStatusCode.received
            ),
        )
        self.searches[record.id] = record
        self.polls[record.id] = 0
        return Success(record.model_copy(update={"links": []}))

    async def get_opportunity_search_record(
        self, search_record_id: str, request: Request
    ) -> ResultE[Maybe[OpportunitySearchRecord]]:
        record = self.searches.get(search_record_id)
        if record is None:
            return Success(Nothing)
        self.polls[record.id] += 1
        code, reason = OpportunitySearchStatusCode.in_progress, None
        if self.polls[record.id] >= 2 and self.outcome == "complete":
            code = OpportunitySearchStatusCode.completed
        elif self.polls[record.id] >= 2 and self.outcome == "fail":
            code, reason = OpportunitySearchStatusCode.failed, "the tasking desk is closed"
        record.status = OpportunitySearchStatus(
            timestamp=datetime.now(UTC), status_code=code, reason_text=reason
        )
        return Success(Some(record.model_copy(update={"links": []})))

    async def get_opportunity_search_records(
        self, next: str | None, limit: int, request: Request
    ) -> ResultE[tuple[list[OpportunitySearchRecord], Maybe[str]]]:
        records = [r.model_copy(update={"links": []}) for r in self.searches.values()]
        return Success((records[:limit], Nothing))

    async def get_opportunity_collection(
        self, router: ProductRouter, collection_id: str, request: Request
    ) -> ResultE[Maybe[OpportunityCollection]]:
        record = self.searches.get(collection_id)
        if record is None or record.status.status_code != OpportunitySearchStatusCode.completed:
            return Success(Nothing)
        root = str(request.base_url).rstrip("/")
        features = self._features(router.product.id, record.opportunity_request, links=root)
        return Success(Some(OpportunityCollection.model_validate({"features": features})))

    # -- stapi-fastapi callbacks ----------------------------------------------------------------
    async def create_order(
        self, router: ProductRouter, payload: OrderPayload, request: Request
    ) -> ResultE[Order]:
        self.created_posts += 1
        self.post_headers.append(dict(request.headers))
        return Success(
            self.add(
                router.product.id,
                payload.datetime,
                payload.geometry.model_dump(mode="json"),
                payload.filter,
                payload.order_parameters.model_dump(mode="json"),
            )
        )

    async def get_orders(
        self, next: str | None, limit: int, request: Request
    ) -> ResultE[tuple[list[Order], Maybe[str], Maybe[int]]]:
        ids = list(self.orders)
        try:
            start = int(next) if next else 0
        except ValueError as exc:
            return Failure(exc)
        end = start + limit
        page = [self._copy(self.orders[i]) for i in ids[start:end]]
        token: Maybe[str] = Some(str(end)) if end < len(ids) else Nothing
        return Success((page, token, Some(len(ids))))

    async def get_order(self, order_id: str, request: Request) -> ResultE[Maybe[Order]]:
        order = self.orders.get(order_id)
        return Success(Some(self._copy(order)) if order else Nothing)

    async def get_order_statuses(
        self, order_id: str, next: str | None, limit: int, request: Request
    ) -> ResultE[Maybe[tuple[list[OrderStatus], Maybe[str]]]]:
        if order_id not in self.history:
            return Success(Nothing)
        statuses = self.history[order_id]
        start = int(next) if next else 0
        end = start + limit
        token: Maybe[str] = Some(str(end)) if end < len(statuses) else Nothing
        return Success(Some((statuses[start:end], token)))

    # -- test helpers ---------------------------------------------------------------------------
    def add(
        self,
        product_id: str,
        interval: tuple[datetime, datetime],
        geometry: dict,
        filter_: dict | None = None,
        parameters: dict | None = None,
        created: datetime | None = None,
    ) -> Order:
        now = created or datetime.now(UTC)
        status = OrderStatus(timestamp=now, status_code=OrderStatusCode.received)
        order = Order(
            id=str(uuid.uuid4()),
            geometry=geometry,
            properties=OrderProperties(
                product_id=product_id,
                created=now,
                status=status,
                search_parameters=OrderSearchParameters(
                    datetime=interval, geometry=geometry, filter=filter_
                ),
                opportunity_properties={},
                order_parameters=parameters or {},
            ),
        )
        self.orders[order.id] = order
        self.history[order.id] = [status]
        return order

    def add_many(self, count: int, product_id: str = "optical") -> list[str]:
        start = datetime(2025, 6, 1, tzinfo=UTC)
        interval = (start, start + timedelta(days=7))
        return [
            self.add(product_id, interval, AOI, created=start + timedelta(seconds=i)).id
            for i in range(count)
        ]

    def set_status(self, order_id: str, code: str, reason: str | None = None) -> None:
        """Append a status; ``code`` may be a legacy spelling (``canceled``), which is stored
        unvalidated, as an older server would send it."""
        now = datetime.now(UTC)
        if code in OrderStatusCode.__members__.values():
            status = OrderStatus(
                timestamp=now, status_code=OrderStatusCode(code), reason_text=reason
            )
        else:
            status = OrderStatus.model_construct(
                timestamp=now, status_code=code, reason_code=None, reason_text=reason, links=[]
            )
        self.history[order_id].append(status)
        self.orders[order_id].properties.status = status

    @staticmethod
    def _copy(order: Order) -> Order:
        """The router appends links to what it is given; hand it a copy."""
        return order.model_copy(update={"links": []})


def _product(
    backend: Backend,
    product_id: str,
    title: str,
    geometry: list[str],
    queryables: type[Queryables],
    parameters: type[OrderParameters],
    **searching: Any,
) -> Product:
    return Product(
        id=product_id,
        title=title,
        description=f"{title} (test product)",
        license="CC-BY-4.0",
        keywords=["test", product_id],
        conformsTo=geometry,
        providers=[Provider(name="Test", roles=[ProviderRole.producer], url="https://example.com")],
        links=[],
        create_order=backend.create_order,
        queryables=queryables,
        opportunity_properties=OpportunityProperties,
        order_parameters=parameters,
        **searching,
    )


def create_app(backend: Backend, *, cookie: str | None = None) -> FastAPI:
    """``cookie``: every answer sets ``session=<cookie>``, as a provider with sessions would."""
    root = RootRouter(
        get_orders=backend.get_orders,
        get_order=backend.get_order,
        get_order_statuses=backend.get_order_statuses,
        get_opportunity_search_records=backend.get_opportunity_search_records,
        get_opportunity_search_record=backend.get_opportunity_search_record,
        conformances=[API.core, API.order_statuses],
    )
    polygons = [PRODUCT.geojson_polygon, PRODUCT.geojson_multi_polygon]
    root.add_product(
        _product(
            backend,
            "optical",
            "Optical 50 cm",
            polygons,
            OpticalQueryables,
            OpticalParameters,
            search_opportunities=backend.search_opportunities,
        )
    )
    root.add_product(
        _product(
            backend,
            "radar",
            "Radar spotlight",
            [PRODUCT.geojson_point, *polygons],
            RadarQueryables,
            RadarParameters,
            search_opportunities_async=backend.search_opportunities_async,
            get_opportunity_collection=backend.get_opportunity_collection,
        )
    )
    root.add_product(
        _product(backend, "brief", "Briefed tasking", polygons, OpticalQueryables, BriefParameters)
    )
    app = FastAPI()
    app.include_router(root)
    if cookie is not None:

        @app.middleware("http")
        async def session_cookie(request: Request, call_next: Any) -> Any:
            response = await call_next(request)
            response.set_cookie("session", cookie)
            return response

    @app.get("/files/aoi.geojson")
    def aoi_file() -> dict[str, Any]:
        return {"type": "Feature", "properties": {"name": "test AOI"}, "geometry": AOI}

    return app


@contextmanager
def run_stapi_server(
    backend: Backend | None = None, *, cookie: str | None = None
) -> Iterator[tuple[str, Backend]]:
    backend = backend or Backend()
    with serve(create_app(backend, cookie=cookie)) as url:
        yield url, backend
