"""Shared fixtures: a real reference server on 127.0.0.1 (no HTTP mocks).

``stat_server`` is one server for the whole session (temp db, ``ManualClock`` at
``stat_server.clock``); tests that need their own state (auth, restarts, a clock nobody else
moves) use ``make_stat_server(**kwargs)``, which stops what it started. The server package is
imported inside the fixtures so that collecting tests never requires FastAPI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from stat_widgets.server import EmbeddedServer


@pytest.fixture(autouse=True)
def _own_stat_widgets_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> None:
    """Each test its own ``$STAT_WIDGETS_HOME``: drafts (``OrderApp`` keeps one by default)
    never travel from one test, or from the developer's home, into another."""
    monkeypatch.setenv("STAT_WIDGETS_HOME", str(tmp_path_factory.mktemp("stat-widgets-home")))


@pytest.fixture(scope="session")
def stat_server() -> Iterator[EmbeddedServer]:
    from stat_widgets.server import ManualClock, run_in_thread

    server = run_in_thread(clock=ManualClock())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stat_url(stat_server: EmbeddedServer) -> str:
    return stat_server.url


@pytest.fixture
def make_stat_server() -> Iterator[Callable[..., EmbeddedServer]]:
    """``make_stat_server(**kwargs)`` → a started server (``run_in_thread`` arguments; a
    ``ManualClock`` unless ``clock`` is given); all are stopped after the test."""
    from stat_widgets.server import ManualClock, run_in_thread

    started: list[EmbeddedServer] = []

    def make(**kwargs: Any) -> EmbeddedServer:
        kwargs.setdefault("clock", ManualClock())
        server = run_in_thread(**kwargs)
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in reversed(started):
            server.stop()
