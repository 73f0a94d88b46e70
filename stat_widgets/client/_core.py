"""The client's operations, written once as protocol generators and run by both drivers.

``ClientCore`` holds what a client instance knows (base URL, dialect, cached products) and
never performs I/O itself: ``StatClient`` and ``AsyncStatClient`` send what it yields.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from stat_widgets.errors import (
    FieldError,
    NoOpportunitySearchError,
    NotFoundError,
    ValidationError,
)
from stat_widgets.models import (
    Link,
    Opportunity,
    OpportunityRequest,
    Order,
    OrderRequest,
    Product,
    StatusRecord,
)
from stat_widgets.models.reference import JSONReference

from . import _opportunities
from ._http import Call, Op, Protocol, Resolve
from .dialects import (
    STAPI,
    STAT,
    Dialect,
    PageTrail,
    RawPage,
    StapiDialect,
    StatDialect,
    dialect_of,
    link_call,
)

DIALECTS: dict[str, type[Dialect]] = {STAT: StatDialect, STAPI: StapiDialect}
FALLBACK_REFERENCE_DEADLINE = 60.0  # for a client made with deadline=None: references stay bounded


def base_url(url: str) -> httpx.URL:
    """The API root with a trailing slash, so relative paths join below it."""
    parsed = httpx.URL(str(url))
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"the API URL must be http(s)://host[:port][/path], got {url!r}")
    path = parsed.path if parsed.path.endswith("/") else parsed.path + "/"
    return parsed.copy_with(path=path, query=None, fragment=None)


class ClientCore:
    """Per-client state and the operations over it, shared by the sync and async clients.

    Products are cached by id once fetched, because every order submission validates against
    its product and a form submits many orders for one product.
    """

    def __init__(
        self,
        url: str,
        protocol: Protocol,
        *,
        dialect: str | None = None,
        reference_headers: dict[str, str] | None = None,
    ) -> None:
        self.base_url = base_url(url)
        self.protocol = protocol
        self.reference_headers = reference_headers or {}
        self._landing: dict | None = None
        self._dialect: Dialect | None = None
        self._products: dict[str, Product] = {}
        if dialect is not None:
            if dialect not in DIALECTS:
                raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}")
            self._dialect = DIALECTS[dialect](self.base_url, protocol)

    @property
    def dialect_name(self) -> str | None:
        return self._dialect.name if self._dialect else None

    # -- discovery ------------------------------------------------------------------------------
    def landing(self) -> Op[dict]:
        if self._landing is None:
            call = Call("GET", str(self.base_url), what="landing page")
            response, data = yield from Dialect(self.base_url, self.protocol).get_json(call)
            if not isinstance(data, dict):
                raise self.protocol.invalid(call, response, "expected a landing page object")
            self._landing = data
        return self._landing

    def dialect(self) -> Op[Dialect]:
        """Detected once per client from ``conformsTo`` on the landing page, else from
        ``/conformance``."""
        if self._dialect is None:
            try:
                landing = yield from self.landing()
            except NotFoundError:  # the STAT draft defines no landing page
                landing = {}
            conforms = landing.get("conformsTo")
            if not isinstance(conforms, list):
                conforms = yield from self._conformance()
            name = dialect_of(conforms)
            self._dialect = DIALECTS[name](self.base_url, self.protocol, conforms, landing)
        return self._dialect

    def _conformance(self) -> Op[list[str]]:
        call = Call("GET", str(self.base_url.join("conformance")), what="conformance list")
        base = Dialect(self.base_url, self.protocol)
        try:
            response, data = yield from base.get_json(call)
        except NotFoundError:
            return []  # the STAT draft defines no discovery at all
        conforms = data.get("conformsTo") if isinstance(data, dict) else None
        if not isinstance(conforms, list):
            raise self.protocol.invalid(call, response, "expected {conformsTo: [...]}")
        return conforms

    # -- products -------------------------------------------------------------------------------
    def products(self) -> Op[list[Product]]:
        dialect = yield from self.dialect()
        products = yield from dialect.products()
        self._products.update((p.id, p) for p in products)
        return products

    def product(self, product_id: str, *, cached: bool = False) -> Op[Product]:
        if cached and product_id in self._products:
            return self._products[product_id]
        dialect = yield from self.dialect()
        product = yield from dialect.product(product_id)
        self._products[product_id] = product
        return product

    # -- orders ---------------------------------------------------------------------------------
    def create_order(
        self,
        request: Any,
        *,
        idempotency_key: str | None = None,
        order_parameters: dict | None = None,
    ) -> Op[Order]:
        """Validate with the models (against the product's constraints), then submit once.

        The idempotency key is fixed before the first attempt, so every retry repeats the same
        submission and the server can recognise it. An ``Opportunity`` orders exactly its
        window: through its own ``create-order`` link when it has one, else as the order
        request of its product, window, footprint and search filter.
        """
        dialect = yield from self.dialect()
        if isinstance(request, Opportunity):
            ordered = yield from self._order_opportunity(
                dialect, request, idempotency_key, order_parameters
            )
            if ordered is not None:
                return ordered
            request = request.order_request()
        if isinstance(request, dict) and "order_parameters" in request:
            request = dict(request)
            order_parameters = {**request.pop("order_parameters"), **(order_parameters or {})}
        validated = OrderRequest.from_input(request)
        product = yield from self._product_for(validated.product_id)
        validated = OrderRequest.from_input(validated, product=product)
        if isinstance(validated.geometry, JSONReference) and dialect.name == STAPI:
            geometry = yield Resolve(validated.geometry)
            data = validated.model_dump(mode="json")
            data["geometry"] = geometry
            validated = OrderRequest.from_input(data, product=product)
        key = idempotency_key or str(uuid.uuid4())
        return (yield from dialect.submit(validated, product, key, order_parameters))

    def _order_opportunity(
        self,
        dialect: Dialect,
        opportunity: Opportunity,
        idempotency_key: str | None,
        order_parameters: dict | None,
    ) -> Op[Order | None]:
        if dialect.name != STAPI:
            return None
        product = yield from self._product_for(opportunity.product_id)
        call = _opportunities.order_call(
            opportunity,
            product,
            idempotency_key or str(uuid.uuid4()),
            order_parameters,
            honours_key=dialect.honours_idempotency,
        )
        if call is None:
            return None
        response, data = yield from dialect.get_json(call)
        with dialect.expecting(call, response, "an order Feature"):
            return dialect._order(str(response.url), data)

    # -- opportunities --------------------------------------------------------------------------
    def opportunities(
        self,
        request: Any,
        *,
        limit: int | None = None,
        prefer: str | None = None,
        deadline: float = _opportunities.DEFAULT_DEADLINE_S,
        on_status: Any = None,
    ) -> Op[list[Opportunity]]:
        """Validate the search with the models (the product's constraints included), then
        search: synchronously or asynchronously as the server answers, every page read."""
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        if prefer not in (None, "wait", "respond-async"):
            raise ValueError(f"prefer must be 'wait' or 'respond-async', got {prefer!r}")
        dialect = yield from self.dialect()
        if dialect.name != STAPI:
            raise NoOpportunitySearchError(
                "this server speaks the STAT Order API draft, which has no opportunity "
                "search; order without one, or connect to a STAPI server"
            )
        validated = OpportunityRequest.from_input(request)
        product = yield from self._product_for(validated.product_id)
        validated = OpportunityRequest.from_input(validated, product=product)
        if isinstance(validated.geometry, JSONReference):
            geometry = yield Resolve(validated.geometry)
            data = validated.model_dump(mode="json")
            data["geometry"] = geometry
            validated = OpportunityRequest.from_input(data, product=product)
        return (
            yield from _opportunities.search(
                dialect,
                validated,
                product,
                limit=limit,
                prefer=prefer,
                deadline_s=deadline,
                on_status=on_status,
            )
        )

    def offers_opportunities(self, product_id: str | None = None) -> Op[bool]:
        """Whether the server searches opportunities (for this product, or for any)."""
        dialect = yield from self.dialect()
        if dialect.name != STAPI:
            return False
        if product_id is not None:
            product = yield from self._product_for(product_id)
            return _opportunities.searches(product)
        products = yield from self.products()
        return any(_opportunities.searches(p) for p in products)

    def _product_for(self, product_id: str) -> Op[Product]:
        try:
            return (yield from self.product(product_id, cached=True))
        except NotFoundError:
            raise ValidationError(
                [FieldError("product_id", f"this server has no product {product_id!r}")]
            ) from None

    def order(self, order_id: str) -> Op[Order]:
        dialect = yield from self.dialect()
        return (yield from dialect.order(order_id))

    def orders_page(
        self,
        link: Link | dict | str | None = None,
        *,
        limit: int | None = None,
        status: str | None = None,
        product_id: str | None = None,
        trail: PageTrail | None = None,
    ) -> Op[RawPage]:
        """One page: the first (``limit`` per page) when ``link`` is None, else the page the
        link names, requested exactly as the link says (its own limit applies). Its orders are
        read as they are iterated (``RawPage.orders()``) or all at once (``.page()``).

        ``status``/``product_id`` go to a server that filters (STAT: on the first page, and
        its links carry them on); on one that does not (STAPI) they filter each page here,
        so pass them with every link as well, and expect short pages.
        """
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        dialect = yield from self.dialect()
        if link is None:
            call = dialect.orders_call(limit, status or None, product_id or None)
        else:
            if isinstance(link, str):
                link = Link(href=link, rel="next")
            elif isinstance(link, dict):
                link = Link.model_validate(link)
            if not link.href.lower().startswith(("http://", "https://")):
                link = link.model_copy(update={"href": str(self.base_url.join(link.href))})
            call = link_call(link, "orders page")
        if trail is not None:
            trail.visit(call, self.protocol)
        page = yield from dialect.orders_page(call)
        if (status or product_id) and not dialect.filters_orders:
            page.keep = lambda order: order.matches(status=status, product_id=product_id)
        return page

    def filters_orders(self) -> Op[bool]:
        dialect = yield from self.dialect()
        return dialect.filters_orders

    def order_statuses(self, order_id: str) -> Op[list[StatusRecord]]:
        dialect = yield from self.dialect()
        return (yield from dialect.order_statuses(order_id))

    def resolve_reference(self, reference: JSONReference) -> dict:
        """Blocking: fetch a referenced geometry within this client's bounds, with our
        credentials only for our origin, and to a loopback, link-local or private address
        only when the API itself is on one (``resolve_reference`` in the models)."""
        return reference.resolve(
            timeout=self.protocol.deadline or FALLBACK_REFERENCE_DEADLINE,
            api_url=str(self.base_url),
            headers=self.reference_headers,
            max_bytes=self.protocol.max_response_bytes,
        )


__all__ = ["ClientCore", "base_url"]
