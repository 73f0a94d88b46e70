"""The reference server's store and demo constellation behind stapi-fastapi's routers.

stapi-fastapi calls these with its parsed payloads; validation is still ours
(``OrderRequest.from_input`` with the product), so both faces accept exactly the same
requests. Errors are raised as the server's ``Problem``/``ValidationError`` rather than
returned as ``Failure``: stapi-fastapi turns every failure but ``QueryablesError`` into a bare
500, and ours name the field at fault.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request
from returns.maybe import Maybe, Nothing, Some
from returns.result import ResultE, Success
from stapi_pydantic import (
    Opportunity,
    OpportunityCollection,
    OpportunityPayload,
    OpportunitySearchRecord,
    OpportunitySearchStatus,
    Order,
    OrderPayload,
    OrderStatus,
)
from starlette.concurrency import run_in_threadpool

from stat_widgets.models import OpportunityRequest, OrderRequest, Product, filter_matcher

from .. import lifecycle
from ..intake import canonical, file_order, idempotency_key, refuse_past
from ..opportunities.fleet import DEMO_FLEET, Flight
from ..opportunities.search import Found, search
from ..paging import BadPageToken, PageToken
from ..problems import Problem
from ..store import Offer, offer_key
from . import shapes
from .records import SearchRecord, SearchStore

DEFAULT_LIMIT = 10  # stapi-fastapi's
MAX_LIMIT = 1000
MAX_SEARCH_DAYS = 366
MAX_ASYNC_RESULTS = 5000


ROOT_ROUTE = "stapi:root"  # the face's landing page (``face.NAME``:root)


def base_of(request: Request) -> str:
    """The STAPI face's root URL, the mount's prefix included (``request.base_url`` is the
    outer app's)."""
    return str(request.url_for(ROOT_ROUTE)).rstrip("/")


async def off_loop_if_large(request: Request, work: Callable[..., Any], *args: Any) -> Any:
    """``work(*args)`` inline for a usual body, in the thread pool for a large one (its
    validation can take seconds, which must not stall the loop that serves everyone)."""
    size = request.headers.get("content-length", "")
    inline = request.app.state.stapi.state.limits.inline_body_bytes
    if size.isdigit() and int(size) > inline:
        return await run_in_threadpool(work, *args)
    return work(*args)


def bounded_limit(limit: Any) -> int:
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise Problem(400, f"limit must be a whole number from 1 to {MAX_LIMIT}", field="limit")
    return limit


class StapiBackend:
    """Backend callables over one server's state (store, clock, catalogue, users)."""

    def __init__(
        self,
        state: Any,
        user_of: Callable[[Request], str],
        fleet: dict[str, Flight] | None = None,
    ) -> None:
        self.state = state
        self.user_of = user_of
        self.fleet = DEMO_FLEET if fleet is None else fleet
        self.searches = SearchStore(state.store)

    # -- shared ---------------------------------------------------------------------------------
    def product(self, product_id: str) -> Product:
        return self.state.products[product_id]

    def decode(self, token: str | None) -> int | None:
        if token is None:
            return None
        try:
            return self.state.pages.decode(token).seq
        except BadPageToken as exc:
            raise Problem(400, str(exc), field="next") from None

    def encode(self, position: int) -> str:
        return self.state.pages.encode(PageToken(position, "next"))

    # -- orders ---------------------------------------------------------------------------------
    async def create_order(
        self, router: Any, payload: OrderPayload, request: Request
    ) -> ResultE[Order]:
        user = self.user_of(request)
        key = idempotency_key(request)
        product = self.product(router.product.id)
        wire = {
            "datetime": _interval(payload.datetime),
            "product_id": product.id,
            "geometry": payload.geometry.model_dump(mode="json", exclude_none=True),
            "filter": payload.filter,
        }
        validate = functools.partial(OrderRequest.from_input, wire, product=product)
        validated = await off_loop_if_large(request, validate)
        refuse_past(validated, self.state.clock.now())
        stored, _ = file_order(self.state, canonical(validated), product.id, owner=user, key=key)
        feature = shapes.order_feature(stored, base_of(request), self.state.now_ms())
        feature["links"] = []  # the router adds its own
        return Success(Order.model_validate(feature))

    async def get_order_statuses(
        self, order_id: str, next: str | None, limit: int, request: Request
    ) -> ResultE[Maybe[tuple[list[OrderStatus], Maybe[str]]]]:
        user = self.user_of(request)
        stored = self.state.store.get(order_id, user)
        if stored is None:
            raise Problem(404, f"no order {order_id[:80]!r}", field="order_id")
        steps = lifecycle.timeline(
            stored.fate, stored.created_ms, self.state.now_ms(), stored.window
        )
        start = self.decode(next) or 0
        limit = bounded_limit(limit)
        page = steps[start : start + limit]
        token: Maybe[str] = (
            Some(self.encode(start + limit)) if start + limit < len(steps) else Nothing
        )
        statuses = [OrderStatus.model_validate(shapes.status_body(at, step)) for at, step in page]
        return Success(Some((statuses, token)))

    # -- opportunities --------------------------------------------------------------------------
    def search_request(self, product_id: str, payload: OpportunityPayload) -> OpportunityRequest:
        wire = {
            "datetime": _interval(payload.datetime),
            "product_id": product_id,
            "geometry": payload.geometry.model_dump(mode="json", exclude_none=True),
            "filter": payload.filter or None,
        }
        request = OpportunityRequest.from_input(wire, product=self.product(product_id))
        duration = request.datetime.duration
        if duration is not None and duration.total_seconds() > MAX_SEARCH_DAYS * 86400:
            raise Problem(400, f"search at most {MAX_SEARCH_DAYS} days at once", field="datetime")
        return request

    def find(self, product_id: str, request: OpportunityRequest) -> list[Found]:
        """Every window of the product over the request's area and interval that its filter
        does not exclude, soonest first."""
        assert request.datetime.start is not None and request.datetime.end is not None
        assert isinstance(request.geometry, dict)  # stapi-pydantic took an inline geometry
        found = search(
            self.fleet[product_id],
            request.geometry,
            request.datetime.start.timestamp(),
            request.datetime.end.timestamp(),
            now=self.state.clock.now().timestamp(),
        )
        keeps = filter_matcher(request.filter)
        return [item for item in found if keeps(item.properties)]

    def offer(self, product_id: str, shown: list[Found]) -> None:
        """Remember what a client was shown, so that an order of it follows its window."""
        self.state.store.offer(
            [
                Offer(
                    offer_key(
                        {"product_id": product_id, "datetime": f.interval, "geometry": f.geometry}
                    ),
                    f.start * 1000,
                    f.end * 1000,
                    json.dumps({"id": f.id, **f.properties}, separators=(",", ":")),
                )
                for f in shown
            ]
        )

    def features(
        self, product_id: str, shown: list[Found], request: Request, flt: dict | None
    ) -> list[dict[str, Any]]:
        base = base_of(request)
        return [shapes.opportunity_feature(f, product_id, base, flt) for f in shown]

    async def search_opportunities(
        self,
        router: Any,
        payload: OpportunityPayload,
        next: str | None,
        limit: int,
        request: Request,
    ) -> ResultE[tuple[list[Opportunity], Maybe[str]]]:
        self.user_of(request)
        product_id = router.product.id
        limit = bounded_limit(limit)
        after = self.decode(next)
        searched = self.search_request(product_id, payload)
        found = self.find(product_id, searched)
        if after is not None:
            found = [f for f in found if f.cursor > after]
        page = found[:limit]
        self.offer(product_id, page)
        token: Maybe[str] = Some(self.encode(page[-1].cursor)) if len(found) > limit else Nothing
        features = self.features(product_id, page, request, searched.filter)
        return Success(([Opportunity.model_validate(f) for f in features], token))

    async def search_opportunities_async(
        self, router: Any, payload: OpportunityPayload, request: Request
    ) -> ResultE[OpportunitySearchRecord]:
        user = self.user_of(request)
        product_id = router.product.id
        searched = self.search_request(product_id, payload)
        found = self.find(product_id, searched)
        failure = None
        if len(found) > MAX_ASYNC_RESULTS:
            failure = (
                f"{len(found)} windows match, more than the {MAX_ASYNC_RESULTS} one search "
                "returns; narrow the interval or the filter"
            )
            found = []
        self.offer(product_id, found)
        record = SearchRecord(
            seq=0,
            id=uuid.uuid4().hex,
            owner=user,
            product_id=product_id,
            created_ms=self.state.now_ms(),
            request=payload.model_dump(mode="json"),
            failure=failure,
            results_json=json.dumps(
                self.features(product_id, found, request, searched.filter),
                separators=(",", ":"),
            ),
        )
        self.searches.insert(record)
        return Success(self.record_model(record, request))

    def record_model(self, record: SearchRecord, request: Request) -> OpportunitySearchRecord:
        at, step = record.steps(self.state.now_ms())[-1]
        links = []
        if step.status == "completed":
            href = (
                f"{base_of(request)}/products/{shapes.segment(record.product_id)}"
                f"/opportunities/{shapes.segment(record.id)}"
            )
            links.append(shapes.link(href, "opportunities", shapes.GEOJSON))
        return OpportunitySearchRecord.model_validate(
            {
                "id": record.id,
                "product_id": record.product_id,
                "opportunity_request": record.request,
                "status": shapes.status_body(at, step),
                "links": links,
            }
        )

    def owned_search(self, search_id: str, request: Request) -> SearchRecord:
        record = self.searches.get(search_id, self.user_of(request))
        if record is None:
            raise Problem(404, f"no opportunity search {search_id[:80]!r}", field="id")
        return record

    async def get_opportunity_collection(
        self, router: Any, collection_id: str, request: Request
    ) -> ResultE[Maybe[OpportunityCollection]]:
        record = self.owned_search(collection_id, request)
        if record.product_id != router.product.id:
            raise Problem(404, f"no opportunity search {collection_id[:80]!r}", field="id")
        _, step = record.steps(self.state.now_ms())[-1]
        if step.status != "completed":
            raise Problem(
                404,
                f"the search is {step.status.replace('_', ' ')}: "
                + (step.reason_text if step.status == "failed" else "follow its status"),
                field="id",
            )
        collection = OpportunityCollection.model_validate(
            {"type": "FeatureCollection", "id": record.id, "features": record.results}
        )
        return Success(Some(collection))

    async def get_opportunity_search_records(
        self, next: str | None, limit: int, request: Request
    ) -> ResultE[tuple[list[OpportunitySearchRecord], Maybe[str]]]:
        user = self.user_of(request)
        limit = bounded_limit(limit)
        records, more = self.searches.page(user, limit=limit, after=self.decode(next))
        token: Maybe[str] = Some(self.encode(records[-1].seq)) if more else Nothing
        return Success(([self.record_model(r, request) for r in records], token))

    async def get_opportunity_search_record(
        self, search_record_id: str, request: Request
    ) -> ResultE[Maybe[OpportunitySearchRecord]]:
        record = self.owned_search(search_record_id, request)
        return Success(Some(self.record_model(record, request)))

    async def get_opportunity_search_record_statuses(
        self, search_record_id: str, request: Request
    ) -> ResultE[Maybe[list[OpportunitySearchStatus]]]:
        record = self.owned_search(search_record_id, request)
        return Success(
            Some(
                [
                    OpportunitySearchStatus.model_validate(shapes.status_body(at, step))
                    for at, step in record.steps(self.state.now_ms())
                ]
            )
        )


def _interval(value: Any) -> str:
    start, end = value
    return f"{start.isoformat()}/{end.isoformat()}"
