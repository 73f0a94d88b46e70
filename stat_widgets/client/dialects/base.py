"""What both wire dialects share: fetching JSON, following links and pages, and turning bad
shapes into errors that name the field.

Each method of a dialect is a protocol operation (see ``_http.Op``): it yields the requests it
needs and turns the answers into models, so the sync and async clients share every line of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx
import pydantic

from stat_widgets.errors import InvalidResponseError, ValidationError
from stat_widgets.models import (
    Link,
    Order,
    OrderRequest,
    OrdersPage,
    Product,
    StatusRecord,
)
from stat_widgets.models.links import LinkRecord, check_link_records, links_of

from .._http import NO_BODY, Call, Op, Protocol, Retry
from .detect import honours_idempotency

_MALFORMED = (
    pydantic.ValidationError,
    ValidationError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    AttributeError,
)


def segment(value: str) -> str:
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
        if honours_idempotency(conforms_to):
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
            named = f"{where} (id {short_repr(ident)})" if isinstance(ident, str) else where
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
                named = f"order {short_repr(ident)}" if isinstance(ident, str) else "order"
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


def short_repr(text: object, limit: int = 80) -> str:
    value = str(text)
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _rel(record: LinkRecord | Link) -> str:
    return record.rel if isinstance(record, Link) else record["rel"]


def status_record(item: dict) -> StatusRecord:
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
