"""Auto-refresh: a daemon thread that calls back every N seconds until it is stopped.

A thread rather than an asyncio task because a widget may live outside a running event loop
(Voila, a script, a test); the browser serialises its loads with a lock, so a tick that lands
during a click simply waits its turn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Ticker:
    """Calls ``callback`` every ``interval`` seconds from a daemon thread; ``stop()`` ends it
    (promptly: the wait is interruptible) and is safe to call more than once."""

    def __init__(self, interval: float, callback: Callable[[], None]) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be a positive number of seconds, got {interval!r}")
        self.interval = interval
        self._callback = callback
        self._stop = threading.Event()
        self.ticks = 0
        self._thread = threading.Thread(target=self._run, name="order-browser-refresh", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.ticks += 1
            try:
                self._callback()
            except Exception:
                continue

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)


__all__ = ["Ticker"]
