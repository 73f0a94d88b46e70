"""Connections that cannot be held open for ever: uvicorn's HTTP/1.1 protocol (h11) with a
deadline for each request's head.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but any byte cancels
that timer, and nothing times a fresh connection at all: a client that connects and sends half
a request line, or drips a header a byte a second, holds a connection (and its memory) for
ever. Here each connection must complete a request head within ``Limits.head_timeout`` of
connecting or of its previous response; the body has its own deadline in ``gate``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from .limits import Limits


class DeadlineH11Protocol(H11Protocol):
    head_timeout: float = Limits.head_timeout

    _head_timer: asyncio.TimerHandle | None = None
    _head_cycle: Any = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        # Armed before the base class runs a pipelined request already received: that request
        # makes a new cycle, which the deadline then leaves alone.
        self._arm_head_deadline()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_deadline()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        self._cancel_head_deadline()
        self._head_cycle = self.cycle
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_expired)

    def _cancel_head_deadline(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        no_new_request = self.cycle is self._head_cycle
        if no_new_request and not self.transport.is_closing():
            self.transport.close()


def protocol_for(limits: Limits) -> type[DeadlineH11Protocol]:
    return type("BoundedH11Protocol", (DeadlineH11Protocol,), {"head_timeout": limits.head_timeout})


def uvicorn_options(limits: Limits) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.Config`` / ``uvicorn.run`` that apply ``limits``."""
    return {"http": protocol_for(limits), "timeout_keep_alive": limits.keep_alive}
