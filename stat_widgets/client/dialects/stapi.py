"""The STAPI v0.1.0 dialect (stapi-fastapi servers), mapped onto the same models."""

from __future__ import annotations

from typing import Any

import httpx

from stat_widgets.errors import NotFoundError, ValidationError
from stat_widgets.models import (
    Order,
    OrderRequest,
    Product,
    StatusRecord,
    validate_order_parameters,
)
from stat_widgets.models.links import BASE_URL, check_link_records

from .._http import Call, Op, Retry
from .base import Dialect, RawPage, follow_pages, segment, short_repr, status_record
from .detect import STAPI


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
        call = Call("GET", self.url("products", segment(product_id)), what="product")
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "a product"):
            product = self.read_product(response, data, f"product {short_repr(product_id)}")
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
        href = link.href if link else self.url("products", segment(product.id), rel)
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
            link.href if link else self.url("products", segment(product.id), "orders"),
            json=body,
            headers={"Idempotency-Key": key},
            retry=Retry.KEYED if self.honours_idempotency else Retry.UNSENT,
            what="order",
        )
        response, data = yield from self.get_json(call)
        with self.expecting(call, response, "an order Feature"):
            return self._order(str(response.url), data)

    def order(self, order_id: str) -> Op[Order]:
        call = Call("GET", self.url("orders", segment(order_id)), what="order")
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
                "footprint": feature.get("geometry"),
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
        call = Call("GET", self.url("orders", segment(order_id), "statuses"), what="status history")
        for response, data, page in (yield from follow_pages(self, call, "statuses")):
            with self.expecting(page, response, "a status history {statuses: [...]}"):
                records.extend(status_record(item) for item in data["statuses"])
        return records
