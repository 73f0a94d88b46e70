"""Fixtures for the widget tests: forms against the reference server over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from stat_widgets.widgets import OrderBrowser, OrderForm

#: Presets start from here (rounded up to the next minute), so intervals are predictable.
FIXED_NOW = datetime(2031, 3, 1, 9, 30, 30, tzinfo=UTC)


def fixed_now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def make_form() -> Iterator[Callable[..., OrderForm]]:
    """``make_form(url_or_client)`` → an ``OrderForm`` without basemap tiles and with a fixed
    clock; closed (with its client) after the test."""
    made: list[OrderForm] = []

    def make(target: Any, **kwargs: Any) -> OrderForm:
        kwargs.setdefault("basemap", False)
        kwargs.setdefault("now", fixed_now)
        form = OrderForm(target, **kwargs)
        made.append(form)
        return form

    try:
        yield make
    finally:
        for form in made:
            form.close()


@pytest.fixture
def form(make_form: Callable[..., OrderForm], stat_url: str) -> OrderForm:
    return make_form(stat_url)


@pytest.fixture
def make_browser() -> Iterator[Callable[..., OrderBrowser]]:
    """``make_browser(client_or_url, **kwargs)``: order browsers closed after the test (which
    stops their auto-refresh timers)."""
    made: list[OrderBrowser] = []

    def make(target: Any, **kwargs: Any) -> OrderBrowser:
        browser = OrderBrowser(target, **kwargs)
        made.append(browser)
        return browser

    try:
        yield make
    finally:
        for browser in made:
            browser.close()
