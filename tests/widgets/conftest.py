"""Fixtures for the widget tests: forms against the reference server over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import ipywidgets as widgets
import pytest

from stat_widgets.widgets import OrderApp, OrderBrowser, OrderForm

W = TypeVar("W", bound=widgets.Widget)

#: Presets start from here (rounded up to the next minute), so intervals are predictable.
FIXED_NOW = datetime(2031, 3, 1, 9, 30, 30, tzinfo=UTC)


def fixed_now() -> datetime:
    return FIXED_NOW


def _closing(build: Callable[..., W]) -> Iterator[Callable[..., W]]:
    """A factory fixture's body: widgets built by ``build`` are closed after the test (with
    their clients and timers)."""
    made: list[W] = []

    def make(*args: Any, **kwargs: Any) -> W:
        widget = build(*args, **kwargs)
        made.append(widget)
        return widget

    try:
        yield make
    finally:
        for widget in made:
            widget.close()


@pytest.fixture
def make_form() -> Iterator[Callable[..., OrderForm]]:
    """``make_form(url_or_client)`` → an ``OrderForm`` without basemap tiles and with a fixed
    clock."""
    yield from _closing(
        lambda target, **kwargs: OrderForm(target, **{"basemap": False, "now": fixed_now, **kwargs})
    )


@pytest.fixture
def make_browser() -> Iterator[Callable[..., OrderBrowser]]:
    """``make_browser(client_or_url, **kwargs)`` → an ``OrderBrowser``."""
    yield from _closing(OrderBrowser)


@pytest.fixture
def make_app() -> Iterator[Callable[..., OrderApp]]:
    """``make_app(client_or_url, **kwargs)`` → an ``OrderApp`` without basemap tiles."""
    yield from _closing(lambda target, **kwargs: OrderApp(target, **{"basemap": False, **kwargs}))


@pytest.fixture
def form(make_form: Callable[..., OrderForm], stat_url: str) -> OrderForm:
    return make_form(stat_url)
