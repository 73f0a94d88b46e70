"""The reference server's bounds in one place: body size, time to send a request's head and
body, idle keep-alive, the body size above which validation leaves the event loop, and the size
of an error reply. ``create_app(limits=...)`` and the embedded server take one; tests shorten the
timeouts to prove them."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: A request body larger than this is refused with 413 (both faces).
    max_body_bytes: int = 5 * MiB
    #: Seconds a connection may take to send a request line and headers (from connecting, or
    #: from the previous response); then it is closed. Slowloris and half-open connections.
    head_timeout: float = 15.0
    #: Seconds a request may take to send its body once its head arrived; then 408 and close.
    body_timeout: float = 30.0
    #: Seconds an idle keep-alive connection is kept open (uvicorn's ``timeout_keep_alive``).
    keep_alive: float = 5.0
    #: Bodies up to this size are validated on the event loop (faster than a hop to a worker
    #: thread); larger ones in the thread pool, so they do not stall other requests.
    inline_body_bytes: int = 64 * 1024
    #: An oversized or refused body is read and thrown away up to this size, so that the client
    #: reads the error reply rather than a connection reset; beyond it the connection is closed.
    max_drain_bytes: int = 64 * MiB

    def __post_init__(self) -> None:
        for name in ("head_timeout", "body_timeout", "keep_alive"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")


DEFAULT_LIMITS = Limits()
