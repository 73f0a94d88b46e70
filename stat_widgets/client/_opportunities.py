"""Opportunity search and ordering an opportunity, as protocol operations (see ``_http.Op``).

One search, however the server answers it: a FeatureCollection at once (synchronous search,
paged by ``next`` links that carry their body), or ``201`` with a search record (the
``opportunities-async`` class), which is polled with a growing pause until it completes, fails
or the deadline passes, and whose results collection is then read (following its ``next``
links too). Everything read is bounded: the number of opportunities, the pages (a next link
that leads back is an error), the time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from stat_widgets.errors import (
    InvalidResponseError,
    NoOpportunitySearchError,
    NotFoundError,
    OpportunitySearchError,
    SearchDeadlineError,
)
from stat_widgets.models import (
    Link,
    Opportunity,
    OpportunityRequest,
    OrderRequest,
    Product,
    validate_order_parameters,
)
from stat_widgets.models.links import absolute_links

from ._http import Call, Op, Retry, Wait
from .dialects import Dialect, PageTrail, link_call
from .dialects.base import segment

MAX_OPPORTUNITIES = 10_000
DEFAULT_DEADLINE_S = 120.0
FIRST_PAUSE_S = 0.25
LONGEST_PAUSE_S = 4.0
#: Where servers link a completed search's results, in the order we look.
RESULT_RELS = ("opportunities", "results", "collection", "items")
#: A product says it can search in ``conformsTo`` (STAPI classes) or with this link.
_SEARCH_CLASSES = ("/opportunities", "/opportunities-async")


def searches(product: Product) -> bool:
    """Whether a STAPI product advertises opportunity search."""
    return any(link.rel == "opportunities" for link in product.links) or any(
        str(uri).rstrip("/").endswith(_SEARCH_CLASSES) for uri in product.conforms_to
    )


def search(
    dialect: Dialect,
    request: OpportunityRequest,
    product: Product,
    *,
    limit: int | None,
    prefer: str | None,
    deadline_s: float,
    on_status: Callable[[str], None] | None = None,
) -> Op[list[Opportunity]]:
    """Every opportunity the server offers for ``request`` (synchronous or asynchronous);
    ``on_status`` hears each status of an asynchronous search as it is read."""
    if not searches(product):
        raise NoOpportunitySearchError(
            f"the product {product.id!r} offers no opportunity search on this server"
        )
    link = next((item for item in product.links if item.rel == "opportunities"), None)
    url = link.href if link else dialect.url("products", segment(product.id), "opportunities")
    body = request.search_body()
    if limit is not None:
        body["limit"] = limit
    call = Call(
        "POST",
        url,
        json=body,
        headers={"Prefer": prefer or "wait"},
        retry=Retry.SAFE,  # a search changes nothing a repeat could double
        what="opportunity search",
    )
    started = yield Wait(0)
    try:
        response, data = yield from dialect.get_json(call)
    except NotFoundError:
        raise NoOpportunitySearchError(
            f"this server has no opportunity search for {product.id!r} (404 at {url})"
        ) from None
    if _is_collection(data):
        found = yield from _collect(dialect, call, response, data, product, request)
        return found
    if not isinstance(data, dict) or "id" not in data or "status" not in data:
        raise dialect.protocol.invalid(
            call, response, "expected a FeatureCollection of opportunities or a search record"
        )
    record_url = _record_url(dialect, response, data)
    collection = yield from _await(dialect, record_url, data, started + deadline_s, on_status)
    results = _results_call(dialect, record_url, collection, product)
    response, data = yield from dialect.get_json(results)
    if not _is_collection(data):
        raise dialect.protocol.invalid(results, response, "expected a FeatureCollection")
    return (yield from _collect(dialect, results, response, data, product, request))


def _is_collection(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("features"), list)


def _collect(
    dialect: Dialect,
    call: Call,
    response: httpx.Response,
    data: dict,
    product: Product,
    request: OpportunityRequest,
) -> Op[list[Opportunity]]:
    """The opportunities of this page and of every page its next links lead to."""
    trail = PageTrail()
    trail.visit(call, dialect.protocol)
    found: list[Opportunity] = []
    while True:
        what = "a FeatureCollection of opportunities"
        with dialect.expecting(call, response, what):
            base = str(response.url)
            for feature in data["features"]:
                found.append(
                    Opportunity.from_feature(
                        feature, product_id=product.id, base_url=base, search_filter=request.filter
                    )
                )
            links = [Link.model_validate(item) for item in absolute_links(base, data.get("links"))]
        if len(found) > MAX_OPPORTUNITIES:
            raise InvalidResponseError(
                f"the search returned more than {MAX_OPPORTUNITIES} opportunities; narrow the "
                "interval or the filter",
                url=dialect.protocol.redact(str(response.url)),
            )
        following = next((item for item in links if item.rel == "next"), None)
        if following is None:
            return found
        # the link's own headers win, but a page of a search must stay a page: stapi-fastapi's
        # next links carry no Prefer header, and without one it starts an asynchronous search
        followed = link_call(following, "opportunities page")
        call = Call(
            followed.method,
            followed.url,
            json=followed.json,
            headers={**_kept(call.headers), **followed.headers},
            retry=followed.retry,
            what=followed.what,
        )
        trail.visit(call, dialect.protocol)
        response, data = yield from dialect.get_json(call)
        if not _is_collection(data):
            raise dialect.protocol.invalid(call, response, "expected a FeatureCollection")


def _kept(headers: Any) -> dict[str, str]:
    return {k: v for k, v in dict(headers).items() if k.lower() == "prefer"}


def _record_url(dialect: Dialect, response: httpx.Response, record: dict) -> str:
    location = response.headers.get("location")
    if location:
        return str(response.url.join(location))
    for item in absolute_links(str(response.url), record.get("links")):
        if isinstance(item, dict) and item.get("rel") == "self" and item.get("href"):
            return str(item["href"])
    return dialect.url("searches", "opportunities", segment(str(record["id"])))


def _status_of(record: dict) -> tuple[str, str]:
    status = record.get("status")
    if isinstance(status, dict):
        code, reason = status.get("status_code"), status.get("reason_text")
    else:
        code, reason = status, None
    return str(code or "").strip().lower(), str(reason or "")


def _await(
    dialect: Dialect,
    url: str,
    record: dict,
    deadline: float,
    on_status: Callable[[str], None] | None,
) -> Op[dict]:
    """Poll the search record until it is completed; raise when it fails or runs late."""
    pause = FIRST_PAUSE_S
    call = Call("GET", url, what="opportunity search record")
    while True:
        code, reason = _status_of(record)
        if on_status is not None:
            on_status(code)
        if code == "completed":
            return record
        if code in ("failed", "cancelled", "canceled", "rejected"):
            raise OpportunitySearchError(
                dialect.protocol.redact(
                    f"the opportunity search {code}" + (f": {reason}" if reason else "")
                ),
                url=dialect.protocol.redact(url),
            )
        now = yield Wait(0)
        if now + pause > deadline:
            raise SearchDeadlineError(
                dialect.protocol.redact(
                    f"the opportunity search was still {code or 'running'} at the deadline; "
                    f"its record is {url}"
                ),
                url=dialect.protocol.redact(url),
            )
        yield Wait(pause)
        pause = min(pause * 2, LONGEST_PAUSE_S)
        response, data = yield from dialect.get_json(call)
        if not isinstance(data, dict) or "status" not in data:
            raise dialect.protocol.invalid(call, response, "expected a search record")
        record = data


def _results_call(dialect: Dialect, url: str, record: dict, product: Product) -> Call:
    links = absolute_links(url, record.get("links"))
    for rel in RESULT_RELS:
        for item in links:
            if isinstance(item, dict) and item.get("rel") == rel and item.get("href"):
                return link_call(Link.model_validate(item), "opportunity collection")
    # stapi-fastapi's convention: the collection shares the record's id
    search_link = next((item for item in product.links if item.rel == "opportunities"), None)
    base = (
        search_link.href
        if search_link
        else dialect.url("products", segment(product.id), "opportunities")
    )
    return Call("GET", f"{base.rstrip('/')}/{segment(str(record['id']))}", what="collection")


def order_call(
    opportunity: Opportunity,
    product: Product,
    key: str,
    order_parameters: dict | None,
    *,
    honours_key: bool,
) -> Call | None:
    """The opportunity's own ``create-order`` link, followed as given (its method, headers,
    body), with the product's order parameters added when the body has none; None when the
    opportunity links no order action with a body. What it would order is checked by our
    models first, as any order is."""
    link = opportunity.link("create-order")
    if link is None or not isinstance(link.body, dict):
        return None
    body = dict(link.body)
    given = {**(body.get("order_parameters") or {}), **(order_parameters or {})}
    body["order_parameters"] = validate_order_parameters(given, product.order_parameters or {})
    OrderRequest.from_input(
        {
            "datetime": body.get("datetime"),
            "product_id": product.id,
            "geometry": body.get("geometry"),
            "filter": body.get("filter"),
        },
        product=product,
    )
    call = link_call(link, "order")
    return Call(
        call.method,
        call.url,
        json=body,
        headers={**call.headers, "Idempotency-Key": key},
        retry=Retry.KEYED if honours_key else Retry.UNSENT,
        what="order",
    )
