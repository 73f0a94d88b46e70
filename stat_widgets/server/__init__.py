"""The reference STAT order server (FastAPI + SQLite) used by the demo notebook, Binder and tests.

Attributes are imported lazily so that ``stat_widgets.server.conformance`` (plain constants a
client may want) and ``stat_widgets.server.clock`` can be imported without pulling in FastAPI.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .clock import Clock, ManualClock, SystemClock
    from .conformance import STAT_CONFORMANCE, STAT_CORE
    from .embedded import EmbeddedServer, run_in_thread, start_server

_EXPORTS = {
    "create_app": "app",
    "Clock": "clock",
    "ManualClock": "clock",
    "SystemClock": "clock",
    "STAT_CONFORMANCE": "conformance",
    "STAT_CORE": "conformance",
    "EmbeddedServer": "embedded",
    "run_in_thread": "embedded",
    "start_server": "embedded",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "STAT_CONFORMANCE",
    "STAT_CORE",
    "Clock",
    "EmbeddedServer",
    "ManualClock",
    "SystemClock",
    "create_app",
    "run_in_thread",
    "start_server",
]
