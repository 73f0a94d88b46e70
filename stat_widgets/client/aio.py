"""``AsyncStatClient``: the same operations as ``StatClient`` over ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, TypeVar

import httpx

from stat_widgets._fetch import MAX_RESPONSE_BYTES, BodyError, asend, bound_client
from stat_widgets.errors import StatError
from stat_widgets.models import Link, Opportunity, Order, OrdersPage, Product, StatusRecord

from ._base import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, ClientBase
from ._http import NO_BODY, Call, Op, Resolve, RetryPolicy, Wait
from ._opportunities import DEFAULT_DEADLINE_S
from .dialects import PageTrail, RawPage

T = TypeVar("T")


class AsyncStatClient(ClientBase):
    """Async twin of ``StatClient``: same arguments, same errors, same retries.

    ``dialect`` is ``None`` until the first request (or ``await client.detect()``), because
    detecting it needs I/O that a property cannot await.
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
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
        self._http = httpx.AsyncClient(**self._httpx_options(transport))
        bound_client(self._http)

    # -- lifecycle ------------------------------------------------------------------------------
    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncStatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- API ------------------------------------------------------------------------------------
    @property
    def dialect(self) -> str | None:
        return self._core.dialect_name

    async def detect(self) -> str:
        """Detect (once) and return the dialect: ``"stat"`` or ``"stapi"``."""
        return (await self._run(self._core.dialect())).name

    async def landing(self) -> dict:
        return await self._run(self._core.landing())

    async def products(self) -> list[Product]:
        return await self._run(self._core.products())

    async def product(self, product_id: str) -> Product:
        return await self._run(self._core.product(product_id))

    async def create_order(
        self,
        request: Any,
        *,
        idempotency_key: str | None = None,
        order_parameters: dict | None = None,
    ) -> Order:
        return await self._run(
            self._core.create_order(
                request, idempotency_key=idempotency_key, order_parameters=order_parameters
            )
        )

    async def order(self, order_id: str) -> Order:
        return await self._run(self._core.order(order_id))

    async def opportunities(
        self,
        request: Any,
        *,
        limit: int | None = None,
        prefer: str | None = None,
        deadline: float = DEFAULT_DEADLINE_S,
        on_status: Callable[[str], None] | None = None,
    ) -> list[Opportunity]:
        """See ``StatClient.opportunities``; polling an asynchronous search awaits."""
        return await self._run(
            self._core.opportunities(
                request, limit=limit, prefer=prefer, deadline=deadline, on_status=on_status
            )
        )

    async def orders_page(
        self,
        link: Link | dict | str | None = None,
        *,
        limit: int | None = None,
        status: str | None = None,
        product_id: str | None = None,
    ) -> OrdersPage:
        raw = await self._run(
            self._core.orders_page(link, limit=limit, status=status, product_id=product_id)
        )
        return raw.page()

    async def filters_orders(self) -> bool:
        """True when the server filters orders by status and product itself."""
        return await self._run(self._core.filters_orders())

    async def pages(
        self,
        *,
        limit: int | None = None,
        status: str | None = None,
        product_id: str | None = None,
        start: Link | dict | str | None = None,
    ) -> AsyncIterator[OrdersPage]:
        async for raw in self._raw_pages(limit, status, product_id, start):
            yield raw.page()

    async def orders(
        self,
        *,
        limit: int | None = None,
        status: str | None = None,
        product_id: str | None = None,
    ) -> AsyncIterator[Order]:
        async for raw in self._raw_pages(limit, status, product_id, None):
            for order in raw.orders():
                yield order

    async def _raw_pages(
        self, limit: int | None, status: str | None, product_id: str | None, start: Any
    ) -> AsyncIterator[RawPage]:
        filters = {"limit": limit, "status": status, "product_id": product_id}
        trail, link = PageTrail(), start
        while True:
            page = await self._run(self._core.orders_page(link, trail=trail, **filters))
            yield page
            link = page.next
            if link is None:
                return

    async def offers_opportunities(self, product_id: str | None = None) -> bool:
        """Whether the server searches opportunities (for this product, or for any)."""
        return await self._run(self._core.offers_opportunities(product_id))

    async def order_statuses(self, order_id: str) -> list[StatusRecord]:
        return await self._run(self._core.order_statuses(order_id))

    # -- driver ---------------------------------------------------------------------------------
    async def _run(self, op: Op[T]) -> T:
        """The async twin of ``_http.run_sync``: same protocol, awaited sends."""
        try:
            step = next(op)
            while True:
                try:
                    if isinstance(step, Wait):
                        await asyncio.sleep(max(step.seconds, 0.0))
                        result = time.monotonic()
                    elif isinstance(step, Resolve):
                        result: Any = await asyncio.to_thread(
                            self._core.resolve_reference, step.reference
                        )
                    else:
                        result = await self._send(step)
                except StatError as exc:
                    step = op.throw(exc)
                else:
                    step = op.send(result)
        except StopIteration as stop:
            return stop.value
        finally:
            op.close()

    async def _send(self, call: Call) -> httpx.Response:
        protocol = self._core.protocol
        attempt = 0
        while True:
            attempt += 1
            budget = protocol.budget()
            try:
                response = await asend(
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
                await asyncio.sleep(wait)
                continue
            except BodyError as exc:
                raise protocol.body_error(call, exc) from None
            wait = protocol.retry_after_status(call, attempt, response.status_code)
            if wait is not None:
                await asyncio.sleep(wait)
                continue
            protocol.check(call, response)
            return response
