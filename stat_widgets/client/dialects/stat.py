"""The STAT draft dialect, as the reference server speaks it (docs/interfaces.md)."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

import httpx

from stat_widgets.errors import APIError, ValidationError
from stat_widgets.models import Order, OrderRequest, Product, StatusRecord
from stat_widgets.models.links import BASE_URL, check_link_records

from .._http import Call, Op, Retry
from ..stat_paths import OrderPaths, other_spelling
from .base import Dialect, RawPage, segment, short_repr, status_record
from .detect import STAT


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
        call = Call("GET", self.url("products", segment(product_id)), what="product")
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "a product"):
            return self.read_product(response, data, f"product {short_repr(product_id)}")

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
            return [status_record(item) for item in items]
