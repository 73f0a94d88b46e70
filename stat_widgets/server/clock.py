"""Time sources: order statuses are computed from ``created`` and the clock, so tests can move
time with :class:`ManualClock` instead of sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A clock that only moves when told to; shared safely between the test and server threads.

    It starts at ``start`` (default: the wall clock, truncated to whole seconds, so orders look
    recent in a demo).
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is None:
            start = datetime.now(UTC).replace(microsecond=0)
        if start.tzinfo is None:
            raise ValueError("ManualClock start must be timezone-aware")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        """Move forward by ``seconds`` (never backwards: statuses must not regress)."""
        if seconds < 0:
            raise ValueError("ManualClock cannot go backwards")
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self.now().isoformat()})"
