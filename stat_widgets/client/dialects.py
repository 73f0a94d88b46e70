"""The two wire dialects, STAT draft and STAPI v0.1.0, mapped onto the same models.

Each method is a protocol operation (see ``_http.Op``): it yields the requests it needs and
turns the answers into models, so the sync and async clients share every line of it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx
import pydantic

from stat_widgets.conformance import honours_idempotency, speaks_stapi
from stat_widgets.errors import (
    APIError,
    InvalidResponseError,
    NotFoundError,
    ValidationError,
)
from stat_widgets.models import (
    Link,
    Order,
    OrderRequest,
    OrdersPage,
    Product,
    StatusRecord,
    validate_order_parameters,
)
from stat_widgets.models.links import (
    BASE_URL,
    LinkRecord,
    check_link_records,
    links_of,
)

from ._http import NO_BODY, Call, Op, Protocol, Retry
from .stat_paths import OrderPaths, other_spelling

STAT = "stat"
STAPI = "stapi"

_MALFORMED = (
    pydantic.ValidationError,
    ValidationError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    AttributeError,
)


def dialect_of(conforms_to: list[str]) -> str:
    """STAPI when the server claims the STAPI v0.1 core class; the STAT draft otherwise (it
    defines no discovery, so a server that does not claim STAPI is taken at its seed word)."""
    return STAPI if speaks_stapi(conforms_to) else STAT


def _segment(value: str) -> str:
    return quote(str(value), safe="")


def link_call(link: Link, what: str) -> Call:
    """A link followed exactly as given: its method, headers and body."""
    method = (link.method or "GET").upper()
    return Call(
        method,
        link.href,
        json=NO_BODY if link.body is None else link.body,
        headers=dict(link.headers or {}),
        retry=Retry.SAFE if method in ("GET", "HEAD") else Retry.UNSENT,
        what=what,
    )


class PageTrail:
    """The pages one listing has requested, so a next link that leads back stops with an
    error instead of looping forever. Holds one key per page, never the orders."""

    def __init__(self) -> None:
        self._seen: set[tuple[str, str, str]] = set()

    def visit(self, call: Call, protocol: Protocol) -> None:
        # the same page however its query is ordered; urllib, not httpx.URL: a third of a
        # millisecond less per page, which paging through 10,000 orders notices
        parts = urlsplit(call.url)
        query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        body = "" if call.json is NO_BODY else json.dumps(call.json, sort_keys=True, default=str)
        key = (call.method, parts._replace(query=query, fragment="").geturl(), body)
        if key in self._seen:
            url_text = protocol.redact(call.url)
            raise InvalidResponseError(
                protocol.redact(
                    f"{call.method} {url_text}: the next link points back to a page already "
                    "seen; stopping instead of looping"
                ),
                url=url_text,
            )
        self._seen.add(key)


@dataclass
class RawPage:
    """One page of orders as received: links read, orders not yet.

    ``orders()`` turns them into models one at a time, so that iterating a listing keeps a
    single order alive at once (building the whole page first cost a third more time, mostly
    in the garbage collector); ``page()`` builds the ``OrdersPage`` model.
    """

    items: list[Any]
    link_records: list[LinkRecord | Link]  # checked, absolute; models only when asked for
    next: Link | None
    number_matched: int | None
    convert: Callable[[Any], Order]
    keep: Callable[[Order], bool] | None = None

    @property
    def links(self) -> list[Link]:
        return links_of(self.link_records)

    def orders(self) -> Iterator[Order]:
        for item in self.items:
            order = self.convert(item)
            if self.keep is None or self.keep(order):
                yield order

    def page(self) -> OrdersPage:
        matched = self.number_matched if self.keep is None else None
        return OrdersPage(orders=list(self.orders()), links=self.links, number_matched=matched)


class Dialect:
    """What both dialects share: fetching JSON and turning bad shapes into clear errors."""

    name = ""
    #: Whether the server de-duplicates POSTs by Idempotency-Key; only then may a submission
    #: whose answer was lost be repeated.
    honours_idempotency = False

    def __init__(
        self,
        base_url: httpx.URL,
        protocol: Protocol,
        conforms_to: list[str] | None = None,
        landing: dict | None = None,
    ) -> None:
        self.base_url = base_url
        self.protocol = protocol
        if honours_idempotency(conforms_to or []):
            self.honours_idempotency = True
        self.landing = landing

    def url(self, *segments: str, **params: Any) -> str:
        url = self.base_url.join("/".join(segments))
        query = {k: v for k, v in params.items() if v is not None}
        return str(url.copy_merge_params(query) if query else url)

    def get_json(self, call: Call) -> Op[tuple[httpx.Response, Any]]:
        response = yield call
        return response, self.protocol.read_json(call, response)

    @contextmanager
    def expecting(self, call: Call, response: httpx.Response, what: str) -> Iterator[None]:
        """Any surprise while reading an answer means the server is not speaking the API."""
        try:
            yield
        except _MALFORMED as exc:
            raise self.malformed(call, response, what, exc) from None

    def malformed(
        self, call: Call, response: httpx.Response, what: str, exc: BaseException
    ) -> InvalidResponseError:
        return self.protocol.invalid(
            call, response, f"expected {what} ({_first_line(exc)}); the body was"
        )

    def links(self, response: httpx.Response, raw: Any) -> list[Link]:
        """Links (a list or a map) as models, hrefs made absolute against their page."""
        return [Link.model_validate(item) for item in check_link_records(raw, str(response.url))]

    def read_product(self, response: httpx.Response, data: Any, where: str) -> Product:
        """One product of a document; any fault names the product (``where`` and its id)."""
        try:
            return self._product(response, data)
        except _MALFORMED as exc:
            ident = data.get("id") if isinstance(data, dict) else None
            named = f"{where} (id {_short(ident)})" if isinstance(ident, str) else where
            raise ValueError(f"{named}: {_first_line(exc)}") from None

    def _product(self, response: httpx.Response, data: Any) -> Product:
        raise NotImplementedError

    # -- operations every dialect provides ----------------------------------------------------
    def products(self) -> Op[list[Product]]:
        raise NotImplementedError

    def product(self, product_id: str) -> Op[Product]:
        raise NotImplementedError

    def submit(
        self, request: OrderRequest, product: Product, key: str, order_parameters: dict | None
    ) -> Op[Order]:
        raise NotImplementedError

    def order(self, order_id: str) -> Op[Order]:
        raise NotImplementedError

    #: Whether ``GET /orders`` filters by ``status`` and ``product_id`` itself (then the
    #: filters travel in the server's links); otherwise the client filters each page.
    filters_orders = False

    def orders_call(
        self, limit: int | None, status: str | None = None, product_id: str | None = None
    ) -> Call:
        raise NotImplementedError

    def orders_page(self, call: Call) -> Op[RawPage]:
        raise NotImplementedError

    def _raw_page(
        self,
        call: Call,
        response: httpx.Response,
        what: str,
        items: list[Any],
        links: Any,
        number_matched: Any,
    ) -> RawPage:
        base = str(response.url)
        order_of = self._order

        def convert(item: Any) -> Order:
            try:  # not ``expecting()``: a context manager per order costs more than the order
                return order_of(base, item)
            except _MALFORMED as exc:
                index = next((i for i, x in enumerate(items) if x is item), None)
                ident = item.get("id") if isinstance(item, dict) else None
                named = f"order {_short(ident)}" if isinstance(ident, str) else "order"
                problem = ValueError(f"{named} (orders[{index}]): {_first_line(exc)}")
                raise self.malformed(call, response, what, problem) from None

        if not isinstance(items, list):
            raise TypeError("the orders are not a list")
        # Only the next link becomes a model now: a page's links are otherwise not read
        # while paging, and not building them keeps paging under one young-generation
        # garbage collection per page of 100 orders (two before).
        records = check_link_records(links, base)
        found = next((r for r in records if _rel(r) == "next"), None)
        follow = Link.model_validate(found) if isinstance(found, dict) else found
        return RawPage(items, records, follow, number_matched, convert)

    def _order(self, base: str, data: Any) -> Order:
        raise NotImplementedError

    def order_statuses(self, order_id: str) -> Op[list[StatusRecord]]:
        raise NotImplementedError


def follow_pages(
    dialect: Dialect, call: Call | None, what: str
) -> Op[list[tuple[httpx.Response, Any, Call]]]:
    """Every page of a small paged collection (products, statuses), following ``next``."""
    trail = PageTrail()
    pages = []
    while call is not None:
        trail.visit(call, dialect.protocol)
        response, data = yield from dialect.get_json(call)
        pages.append((response, data, call))
        raw_links = data.get("links") if isinstance(data, dict) else None
        try:
            links = dialect.links(response, raw_links)
        except Exception as exc:  # a malformed link list is a malformed answer
            raise dialect.protocol.invalid(
                call, response, f"malformed links in the {what}"
            ) from exc
        nxt = next((link for link in links if link.rel == "next"), None)
        call = link_call(nxt, what) if nxt else None
    return pages


class StatDialect(Dialect):
    """The STAT draft as the reference server speaks it (docs/interfaces.md).

    ``POST /order`` carries an Idempotency-Key that the reference server honours, so a
    submission whose answer was lost is repeated with the same key.
    """

    name = STAT
    honours_idempotency = True

    def products(self) -> Op[list[Product]]:
        call = Call("GET", self.url("products"), what="product list")
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "a product list {products: [...]}"):
            items = data["products"] if isinstance(data, dict) else data
            if not isinstance(items, list):
                raise TypeError("products is not a list")
            return [self.read_product(response, p, f"products[{i}]") for i, p in enumerate(items)]

    def product(self, product_id: str) -> Op[Product]:
        call = Call("GET", self.url("products", _segment(product_id)), what="product")
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "a product"):
            return self.read_product(response, data, f"product {_short(product_id)}")

    def _product(self, response: httpx.Response, data: dict) -> Product:
        links = check_link_records(data.get("links"), str(response.url))
        return Product.model_validate({**data, "links": links})

    def submit(
        self, request: OrderRequest, product: Product, key: str, order_parameters: dict | None
    ) -> Op[Order]:
        if order_parameters:
            raise ValidationError(
                "order parameters are a STAPI feature; this STAT server takes none",
                field="order_parameters",
            )
        call = Call(
            "POST",
            self.paths.create_url,
            json=request.model_dump(mode="json"),
            headers={"Idempotency-Key": key},
            retry=Retry.KEYED if self.honours_idempotency else Retry.UNSENT,
            what="order",
        )
        try:
            response, data = yield from self.get_json(call)
        except APIError as exc:
            # the other spelling of the draft, once, and only where nothing can have been
            # created: the path is not there (404) or takes no POST (405)
            if exc.status_code not in (404, 405):
                raise
            call = replace(call, url=other_spelling(call.url))
            response, data = yield from self._instead(call, exc)
            self.paths.create_url = call.url
        with self.expecting(call, response, "an order"):
            order = self._order(str(response.url), data)
        self.paths.learn(order)
        return order

    def order(self, order_id: str) -> Op[Order]:
        call = Call("GET", self.paths.order_url(order_id), what="order")
        try:
            response, data = yield from self.get_json(call)
        except APIError as exc:
            if exc.status_code not in (404, 405) or self.paths.learnt:
                raise
            call = replace(call, url=other_spelling(call.url))
            response, data = yield from self._instead(call, exc)
        with self.expecting(call, response, "an order"):
            order = self._order(str(response.url), data)
        self.paths.learn(order)
        return order

    def _instead(self, call: Call, first: APIError) -> Op[tuple[httpx.Response, Any]]:
        """``call`` in place of one that found no such path; if this one finds none either,
        the first answer is the error to report."""
        try:
            return (yield from self.get_json(call))
        except APIError as exc:
            if exc.status_code in (404, 405):
                raise first from None
            raise

    @functools.cached_property
    def paths(self) -> OrderPaths:
        """Where this server takes and keeps orders (``stat_paths``)."""
        return OrderPaths(self.url("order"), self.landing, str(self.base_url))

    def _order(self, base: str, data: dict) -> Order:
        return Order.model_validate(data, context={BASE_URL: base})

    filters_orders = True

    def orders_call(
        self, limit: int | None, status: str | None = None, product_id: str | None = None
    ) -> Call:
        url = self.url("orders", limit=limit, status=status, product_id=product_id)
        return Call("GET", url, what="orders page")

    def orders_page(self, call: Call) -> Op[RawPage]:
        response, data = yield from self.get_json(call)
        what = "an orders page {orders: [...], links: [...]}"
        with self.expecting(call, response, what):
            return self._raw_page(
                call, response, what, data["orders"], data.get("links"), data.get("numberMatched")
            )

    def order_statuses(self, order_id: str) -> Op[list[StatusRecord]]:
        call = Call("GET", self.paths.order_url(order_id) + "/statuses", what="status history")
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "a status history {statuses: [...]}"):
            items = data["statuses"] if isinstance(data, dict) else data
            return [_status_record(item) for item in items]


class StapiDialect(Dialect):
    """STAPI v0.1.0 (stapi-fastapi servers).

    Differences handled here: products are paged and carry their queryables and order
    parameters at separate URLs; orders are GeoJSON Features posted per product with
    ``order_parameters``; geometry must be inline (JSON References were removed) and intervals
    closed. stapi-fastapi ignores ``Idempotency-Key``: the key is still sent, but unless the
    server lists an idempotency conformance class a POST is repeated only when the connection
    could not be opened, so it can never run twice.
    """

    name = STAPI

    def products(self) -> Op[list[Product]]:
        products: list[Product] = []
        call: Call | None = Call("GET", self.url("products"), what="product list")
        for response, data, page in (yield from follow_pages(self, call, "products")):
            with self.expecting(page, response, "a product collection {products: [...]}"):
                for i, item in enumerate(data["products"]):
                    products.append(self.read_product(response, item, f"products[{i}]"))
        complete = []
        for product in products:
            complete.append((yield from self._with_schemas(product)))
        return complete

    def product(self, product_id: str) -> Op[Product]:
        call = Call("GET", self.url("products", _segment(product_id)), what="product")
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "a product"):
            product = self.read_product(response, data, f"product {_short(product_id)}")
        return (yield from self._with_schemas(product))

    def _product(self, response: httpx.Response, data: dict) -> Product:
        product = Product.model_validate(
            {
                "id": data["id"],
                "title": data.get("title") or "",
                "description": data.get("description") or "",
                "keywords": data.get("keywords") or [],
                "conformsTo": data.get("conformsTo") or [],
                "license": data.get("license"),
                "providers": data.get("providers") or [],
                "links": check_link_records(data.get("links"), str(response.url)),
            }
        )
        return product

    def _with_schemas(self, product: Product) -> Op[Product]:
        """Queryables become the constraints; order parameters are kept for submission."""
        queryables = yield from self._schema(product, "queryables")
        parameters = yield from self._schema(product, "order-parameters")
        if queryables is not None:
            product.constraints = queryables
        product.order_parameters = parameters if parameters is not None else {}
        return product

    def _schema(self, product: Product, rel: str) -> Op[dict | None]:
        link = next((item for item in product.links if item.rel == rel), None)
        href = link.href if link else self.url("products", _segment(product.id), rel)
        call = Call("GET", href, what=f"{rel} JSON Schema")
        try:
            response, data = yield from self.get_json(call)
        except NotFoundError:
            return None
        if not isinstance(data, dict):
            raise self.protocol.invalid(call, response, f"expected a {rel} JSON Schema object")
        return data

    def submit(
        self, request: OrderRequest, product: Product, key: str, order_parameters: dict | None
    ) -> Op[Order]:
        if not isinstance(request.geometry, dict):
            raise ValidationError(
                "STAPI servers take an inline geometry; resolve the JSON Reference first",
                field="geometry",
            )
        if request.datetime.start is None or request.datetime.end is None:
            raise ValidationError(
                "STAPI servers need a closed interval (a start and an end); "
                f"{request.datetime} is open",
                field="datetime",
            )
        wire = request.model_dump(mode="json")
        body: dict[str, Any] = {"datetime": wire["datetime"], "geometry": wire["geometry"]}
        if "filter" in wire:
            body["filter"] = wire["filter"]
        body["order_parameters"] = validate_order_parameters(
            order_parameters or {}, product.order_parameters or {}
        )
        link = next((item for item in product.links if item.rel == "create-order"), None)
        call = Call(
            "POST",
            link.href if link else self.url("products", _segment(product.id), "orders"),
            json=body,
            headers={"Idempotency-Key": key},
            retry=Retry.KEYED if self.honours_idempotency else Retry.UNSENT,
            what="order",
        )
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "an order Feature"):
            return self._order(str(response.url), data)

    def order(self, order_id: str) -> Op[Order]:
        call = Call("GET", self.url("orders", _segment(order_id)), what="order")
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "an order Feature"):
            return self._order(str(response.url), data)

    def _order(self, base: str, feature: dict) -> Order:
        properties = feature["properties"]
        search = properties.get("search_parameters") or {}
        status = properties["status"]
        request = None
        if search:
            request = {
                "datetime": search.get("datetime"),
                "product_id": properties.get("product_id"),
                "geometry": search.get("geometry") or feature.get("geometry"),
                "filter": search.get("filter"),
            }
        order = Order.model_validate(
            {
                "id": feature["id"],
                "user": properties.get("user"),
                "status": status["status_code"] if isinstance(status, dict) else status,
                "created": properties["created"],
                "request": request,
                "product_id": properties.get("product_id"),
                "order_parameters": properties.get("order_parameters") or {},
                "status_detail": status if isinstance(status, dict) else None,
                "links": feature.get("links"),
            },
            context={BASE_URL: base},
        )
        return order

    def orders_call(
        self, limit: int | None, status: str | None = None, product_id: str | None = None
    ) -> Call:
        return Call("GET", self.url("orders", limit=limit), what="order collection")

    def orders_page(self, call: Call) -> Op[RawPage]:
        response, data = yield from self.get_json(call)
        what = "a FeatureCollection of orders"
        with self.expecting(call, response, what):
            if data.get("type") != "FeatureCollection":
                raise TypeError("type is not FeatureCollection")
            return self._raw_page(
                call, response, what, data["features"], data.get("links"), data.get("numberMatched")
            )

    def order_statuses(self, order_id: str) -> Op[list[StatusRecord]]:
        records: list[StatusRecord] = []
        call = Call(
            "GET", self.url("orders", _segment(order_id), "statuses"), what="status history"
        )
        for response, data, page in (yield from follow_pages(self, call, "statuses")):
            with self.expecting(page, response, "a status history {statuses: [...]}"):
                records.extend(_status_record(item) for item in data["statuses"])
        return records


def _short(text: object, limit: int = 80) -> str:
    value = str(text)
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _rel(record: LinkRecord | Link) -> str:
    return record.rel if isinstance(record, Link) else record["rel"]


def _status_record(item: dict) -> StatusRecord:
    data = dict(item)
    if "status" not in data or isinstance(data.get("status"), dict):
        data["status"] = data.pop("status_code", None) or (data.get("status") or {}).get(
            "status_code"
        )
    else:
        data.pop("status_code", None)
    return StatusRecord.model_validate(data)


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}"
    if isinstance(exc, pydantic.ValidationError):
        errors = exc.errors()
        if errors:
            first = errors[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            text = str(first.get("msg", "")).removeprefix("Value error, ")
            return f"{where}: {text}" if where else text
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
