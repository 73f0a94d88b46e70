"""``StatClient``: the blocking client, one pooled ``httpx.Client`` per instance."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import httpx

from stat_widgets._fetch import MAX_RESPONSE_BYTES, BodyError, bound_client, send
from stat_widgets.models import Link, Opportunity, Order, OrdersPage, Product, StatusRecord

from ._base import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, ClientBase
from ._http import NO_BODY, Call, Op, RetryPolicy, run_sync
from ._opportunities import DEFAULT_DEADLINE_S
from .dialects import PageTrail, RawPage

T = TypeVar("T")


class StatClient(ClientBase):
    """A STAT draft or STAPI v0.1.0 server, answering with ``stat_widgets.models`` objects.

    The dialect is detected from the landing page on first use. Every failure is a
    ``stat_widgets.errors`` type. Reads are retried on connect errors and 502/503/504 with a
    bounded backoff (``retry=RetryPolicy(...)``); an order is submitted with an Idempotency-Key
    (generated when not given) and retried with the same key, so it is never created twice.
    On STAPI servers, which ignore the key, a submission is retried only when the connection
    could not be opened.

    Every answer is bounded: at most ``max_response_bytes`` of body after decompression
    (default 32 MiB; over it, ``InvalidResponseError``) and ``deadline`` seconds for a whole
    request, redirects and body included (default 60; over it, ``TimeoutError``), on top of
    the per-read ``timeout``. Credentials (``token``, ``auth``, ``user:password@`` in ``url``,
    every header in ``headers``) and cookies go to the API's own origin only.
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        dialect: str | None = None,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline: float | None = DEFAULT_DEADLINE,
    ) -> None:
        super().__init__(
            url,
            token=token,
            headers=headers,
            auth=auth,
            timeout=timeout,
            dialect=dialect,
            retry=retry,
            max_response_bytes=max_response_bytes,
            deadline=deadline,
        )
        self._http = httpx.Client(**self._httpx_options(transport))
        bound_client(self._http)

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> StatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- API ------------------------------------------------------------------------------------
    @property
    def dialect(self) -> str:
        """``"stat"`` or ``"stapi"`` (detected with one or two requests on first access)."""
        return self._run(self._core.dialect()).name

    def landing(self) -> dict:
        return self._run(self._core.landing())

    def products(self) -> list[Product]:
        return self._run(self._core.products())

    def product(self, product_id: str) -> Product:
        """One product, with its constraints (STAPI: queryables) as JSON Schema."""
        return self._run(self._core.product(product_id))

    def create_order(
        self,
        request: Any,
        *,
        idempotency_key: str | None = None,
        order_parameters: dict | None = None,
    ) -> Order:
        """Validate ``request`` (an ``OrderRequest``, a dict, or an ``Opportunity`` from
        :meth:`opportunities`, which orders exactly its window) against its product, then
        submit it once. ``order_parameters`` is for STAPI products (defaults come from the
        product's schema)."""
        return self._run(
            self._core.create_order(
                request, idempotency_key=idempotency_key, order_parameters=order_parameters
            )
        )

    def order(self, order_id: str) -> Order:
        return self._run(self._core.order(order_id))

    def opportunities(
        self,
        request: Any,
        *,
        limit: int | None = None,
        prefer: str | None = None,
        deadline: float = DEFAULT_DEADLINE_S,
        on_status: Callable[[str], None] | None = None,
    ) -> list[Opportunity]:
        """When the product's provider can image the request's area in its interval: every
        window the server offers (all pages; ``limit`` is the page size asked for).

        ``request`` is an ``OrderRequest``, an ``OpportunityRequest`` or a dict with its
        fields (the interval must end). The server may answer at once or start an
        asynchronous search (``prefer="respond-async"`` asks for that; the default asks to
        wait); a search record is polled with a growing pause for up to ``deadline``
        seconds; ``on_status`` is called with each status it reads (for a progress line).
        Raises ``NoOpportunitySearchError`` on a STAT draft server,
        ``OpportunitySearchError`` when the search fails, ``SearchDeadlineError`` when it
        runs past the deadline.
        """
        return self._run(
            self._core.opportunities(
                request, limit=limit, prefer=prefer, deadline=deadline, on_status=on_status
            )
        )

    def orders_page(
        self,
        link: Link | dict | str | None = None,
        *,
        limit: int | None = None,
        status: str | None = None,
        product_id: str | None = None,
    ) -> OrdersPage:
        """One page of orders (see ``filters_orders`` for where the filters apply)."""
        return self._run(
            self._core.orders_page(link, limit=limit, status=status, product_id=product_id)
        ).page()

    @property
    def filters_orders(self) -> bool:
        """True when the server filters orders by status and product itself, so that a
        filtered listing's pages are full and its links keep the filters."""
        return self._run(self._core.filters_orders())

    def pages(
        self,
        *,
        limit: int | None = None,
        status: str | None = None,
        product_id: str | None = None,
        start: Link | dict | str | None = None,
    ) -> Iterator[OrdersPage]:
        """Pages of orders (matching the filters), fetched lazily by following ``next``
        links: from the first page (``limit`` per page), or from the page ``start`` names."""
        for raw in self._raw_pages(limit, status, product_id, start):
            yield raw.page()

    def orders(
        self,
        *,
        limit: int | None = None,
        status: str | None = None,
        product_id: str | None = None,
    ) -> Iterator[Order]:
        """Every order (matching the filters), read one page at a time."""
        for raw in self._raw_pages(limit, status, product_id, None):
            yield from raw.orders()

    def _raw_pages(
        self, limit: int | None, status: str | None, product_id: str | None, start: Any
    ) -> Iterator[RawPage]:
        """The one loop that follows ``next`` links; a link back to a page already read
        stops it with an ``InvalidResponseError``."""
        filters = {"limit": limit, "status": status, "product_id": product_id}
        trail, link = PageTrail(), start
        while True:
            page = self._run(self._core.orders_page(link, trail=trail, **filters))
            yield page
            link = page.next
            if link is None:
                return

    def offers_opportunities(self, product_id: str | None = None) -> bool:
        """Whether the server searches opportunities (for this product, or for any): a form
        shows its opportunity section only then."""
        return self._run(self._core.offers_opportunities(product_id))

    def order_statuses(self, order_id: str) -> list[StatusRecord]:
        """The status history, oldest first as the server sends it."""
        return self._run(self._core.order_statuses(order_id))

    # -- driver ---------------------------------------------------------------------------------
    def _run(self, op: Op[T]) -> T:
        return run_sync(op, self._send, self._resolve)

    def _resolve(self, reference: Any) -> dict:
        return self._core.resolve_reference(reference)

    def _send(self, call: Call) -> httpx.Response:
        protocol = self._core.protocol
        attempt = 0
        while True:
            attempt += 1
            budget = protocol.budget()
            try:
                response = send(
                    self._http,
                    call.method,
                    call.url,
                    budget,
                    headers=call.headers,
                    json=None if call.json is NO_BODY else call.json,
                )
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                wait = protocol.retry_after_error(call, attempt, exc, budget)
                if wait is None:
                    raise protocol.transport_error(call, exc, budget) from exc
                time.sleep(wait)
                continue
            except BodyError as exc:
                raise protocol.body_error(call, exc) from None
            wait = protocol.retry_after_status(call, attempt, response.status_code)
            if wait is not None:
                time.sleep(wait)
                continue
            protocol.check(call, response)
            return response
