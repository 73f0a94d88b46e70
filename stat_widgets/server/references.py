"""``$ref`` geometries resolved as a provider would: fetched, bounded, checked like an inline
geometry, and kept beside the order as its footprint.

The STAT draft lets an order name its area by reference (``{"$ref": "https://..."}``). Storing
the reference unread would take orders for areas nobody has seen (too large, invalid, not
there at all) and leave the order browser nothing to draw. So the server fetches it with the
client's own ``resolve_reference``: the same bounds (size after decompression, total deadline,
10 redirects) and address rules. The server is a provider, not a client beside an API: every
hop must go to a public address unless the host is named with ``--allow-ref-host``, so an order
cannot make the server probe loopback, link-local (cloud metadata) or private addresses.

Resolving waits on another server, up to the deadline, so it never runs on the event loop: the
order is taken in a thread of a pool of its own (``MAX_CONCURRENT``), which keeps slow
references from taking every worker thread that listings and reads need. The deadline runs
from the order's arrival, the wait for a thread included; an order whose time went in waiting
is told to try again (503), so every answer comes within the deadline.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models import JSONReference, OrderRequest, Product, resolve_reference
from stat_widgets.models.reference import REFERENCE_DEADLINE, REFERENCE_FIELD

from .problems import Problem

MAX_REFERENCE_BYTES = 5 * 1024 * 1024
"""The largest referenced document read (after decompression): what an inline geometry may
take in a request body, so a reference gets no more room than the geometry it stands for."""
MAX_CONCURRENT = 16
"""References resolved at once; further orders with one wait their turn."""
MIN_LEFT = 0.5
"""Seconds a fetch needs at least; an order with less left after waiting gets a 503."""
RETRY_AFTER = "5"

T = TypeVar("T")
_ARRIVED: ContextVar[float | None] = ContextVar("stat_reference_arrived", default=None)


class References:
    """How one server resolves ``$ref`` geometries: which non-public hosts it may reach
    (``allow_hosts``), the bounds of each fetch, and the threads it does that in."""

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        *,
        max_bytes: int = MAX_REFERENCE_BYTES,
        deadline: float = REFERENCE_DEADLINE,
        concurrency: int = MAX_CONCURRENT,
    ) -> None:
        self.allow_hosts = tuple(allow_hosts)
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.concurrency = concurrency
        self._limiter: anyio.CapacityLimiter | None = None  # made on the server's event loop

    @staticmethod
    def named_in(raw: bytes) -> bool:
        """Whether a request body may hold a reference: a cheap look before parsing, never
        wrong that way (the key is spelt ``"$ref"`` unless a ``\\u`` escape spells it)."""
        return b'"$ref"' in raw or b"\\u" in raw

    async def run(self, take: Callable[..., T], *args: Any) -> T:
        """``take(*args)`` (taking in an order that has a reference) in the references' own
        worker threads, off the event loop; ``footprint`` in there knows when it arrived."""
        arrived = time.monotonic()

        def timed() -> T:
            token = _ARRIVED.set(arrived)  # set in the worker thread: its own context
            try:
                return take(*args)
            finally:
                _ARRIVED.reset(token)

        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.concurrency)
        return await anyio.to_thread.run_sync(timed, limiter=self._limiter)

    def _time_left(self) -> float:
        arrived = _ARRIVED.get()
        left = self.deadline if arrived is None else self.deadline - (time.monotonic() - arrived)
        if left < MIN_LEFT:
            raise Problem(
                503,
                f"{self.concurrency} references are being fetched already and this order's "
                f"{self.deadline:g} s went in waiting; try again",
                field=REFERENCE_FIELD,
                headers={"Retry-After": RETRY_AFTER},
            )
        return left

    def footprint(
        self,
        request: OrderRequest,
        product: Product | None,
        *,
        replay: Callable[[], bool] = lambda: False,
    ) -> dict | None:
        """The resolved geometry of a request that names one by reference, checked like an
        inline one (validity by ``resolve_reference``; the product's types, area and vertex
        limit here); ``None`` for an inline geometry, and for a ``replay`` (asked before
        fetching: the request repeats a stored order, which keeps the footprint it was taken
        with, so a retry is answered even if the reference has gone since). Blocking. Raises
        ``ValidationError`` naming ``geometry.$ref``."""
        if not isinstance(request.geometry, JSONReference) or replay():
            return None
        geometry = resolve_reference(
            request.geometry.ref,
            allow_hosts=self.allow_hosts,
            max_bytes=self.max_bytes,
            deadline=self._time_left(),
        )
        problems = product.geometry_problems(geometry) if product is not None else []
        if problems:
            raise ValidationError(
                [
                    FieldError(REFERENCE_FIELD, f"the referenced geometry: {p.message}")
                    for p in problems
                ]
            )
        return geometry


def footprint_text(geometry: dict | None) -> str | None:
    """The footprint as stored (compact JSON), or None."""
    if geometry is None:
        return None
    return json.dumps(geometry, separators=(",", ":"), allow_nan=False)


__all__ = ["MAX_CONCURRENT", "MAX_REFERENCE_BYTES", "References", "footprint_text"]
