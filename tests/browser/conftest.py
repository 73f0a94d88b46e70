"""Fixtures for real-browser tests: Debian's Chromium driven by Playwright, a JupyterLab or
Voila server per test (token auth, a temp root holding copies of the notebooks, kernels
pointed at the test's own reference server through ``STAT_API_URL``), and screenshots.

Playwright's own browser download (``playwright install``) is never used: there is no network
here, and Debian's ``chromium`` package is what CI installs.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ._pages import ARTIFACTS, Screenshots
from ._servers import CHROMIUM, CHROMIUM_ARGS, ServerProcess, start_lab, start_voila

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from stat_widgets.server import EmbeddedServer

VIEWPORT = {"width": 1280, "height": 1000}
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so ``page`` can tell that its test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for this package's tests, closed before the rest of the suite runs (the
    sync Playwright API owns an event loop, which must not outlive into asyncio tests)."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageWatch:
    """What the page did on its own: JavaScript dialogs (a hostile string that ran would open
    one) and uncaught errors."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []


@pytest.fixture
def page_watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(
    browser: Browser, page_watch: PageWatch, request: pytest.FixtureRequest, shots: Screenshots
) -> Iterator[Page]:
    """A page in a fresh browser context, watched by ``page_watch``; when the test fails, a
    screenshot of the widgets as they were and the page's text are saved with the steps."""
    context = browser.new_context(viewport=VIEWPORT)
    # Only loopback: map tiles and any other outside request fail at once instead of waiting
    # for DNS on an offline machine.
    context.route(
        lambda url: not url.startswith(("http://127.0.0.1", "ws://127.0.0.1")),
        lambda route: route.abort(),
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    watch = page_watch

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    # On the context, so that pages a test opens itself are watched too.
    context.on("dialog", on_dialog)
    context.on("weberror", lambda error: watch.page_errors.append(str(error.error)))
    try:
        yield page
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            _record_failure(page, shots)
    finally:
        context.close()


def _record_failure(page: Page, shots: Screenshots) -> None:
    """The widgets as they were when the test failed (the whole app, even the part scrolled
    out of view) and the page's text, next to the step screenshots."""
    app = page.locator(".stat-order-app")
    try:
        shots.take(page, "FAILED", element=app if app.count() == 1 else None)
        (shots.directory / "FAILED.txt").write_text(page.locator("body").inner_text())
    except Exception as exc:  # the page may be gone; the test's own error matters more
        (shots.directory / "FAILED.txt").write_text(f"could not record the page: {exc!r}")


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Screenshots:
    update = os.environ.get("STAT_WIDGETS_UPDATE_SCREENSHOTS") == "1"
    return Screenshots(ARTIFACTS / request.node.name, update_docs=update)


def repo_notebook(name: str) -> dict[str, Any]:
    return json.loads((NOTEBOOKS / name).read_text())


def order_app_notebook() -> dict[str, Any]:
    """The ordering notebook as a user would open it to order and then see the order: the
    connection cell of ``notebooks/01-order.ipynb`` (reads ``STAT_API_URL``, else starts the
    embedded server) followed by ``OrderApp``, whose "My orders" tab shows what was ordered.
    The Python-driven cells of 01 are left out: they would place an order of their own."""
    source = repo_notebook("01-order.ipynb")
    cells = [c for c in source["cells"] if c["cell_type"] == "code"]
    setup = dict(cells[0], outputs=[], execution_count=None)
    app = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": "from stat_widgets import OrderApp\n\napp = OrderApp(url)\napp",
    }
    for cell in (setup, app):
        cell.pop("id", None)
    return {
        "cells": [setup, app],
        "metadata": source["metadata"],
        "nbformat": 4,
        "nbformat_minor": 4,
    }


ServerFactory = Callable[[str | None, dict[str, dict[str, Any]]], ServerProcess]
#: ``make_stat_server`` from tests/conftest.py: ``run_in_thread`` arguments → a started server.
StatServerFactory = Callable[..., "EmbeddedServer"]


def _kernel_env(stat_url: str | None) -> dict[str, str]:
    """``STAT_API_URL`` for the kernels; without one the notebooks start their own server."""
    return {"STAT_API_URL": stat_url} if stat_url else {}


@contextlib.contextmanager
def _stopped_after(
    launch: Callable[[str | None, dict[str, dict[str, Any]]], ServerProcess],
) -> Iterator[ServerFactory]:
    """A factory around ``launch`` that stops (with their kernels) the servers it started."""
    started: list[ServerProcess] = []

    def make(stat_url: str | None, notebooks: dict[str, dict[str, Any]]) -> ServerProcess:
        server = launch(stat_url, notebooks)
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def make_lab(tmp_path: Path, shots: Screenshots) -> Iterator[ServerFactory]:
    """``make_lab(stat_url, {"name.ipynb": notebook})`` → a running JupyterLab whose kernels
    talk to ``stat_url`` (``None``: as on Binder, each notebook starts its own server)."""

    def launch(stat_url: str | None, notebooks: dict[str, dict[str, Any]]) -> ServerProcess:
        root = tmp_path / "lab-root"
        root.mkdir()
        for name, notebook in notebooks.items():
            (root / name).write_text(json.dumps(notebook))
        log = shots.directory / "jupyterlab.log"
        return start_lab(root, tmp_path / "home", log, _kernel_env(stat_url))

    with _stopped_after(launch) as make:
        yield make


@pytest.fixture
def make_voila(tmp_path: Path, shots: Screenshots) -> Iterator[ServerFactory]:
    """``make_voila(stat_url, {"name.ipynb": notebook})`` → Voila serving that one notebook."""

    def launch(stat_url: str | None, notebooks: dict[str, dict[str, Any]]) -> ServerProcess:
        ((name, notebook),) = notebooks.items()
        path = tmp_path / name
        path.write_text(json.dumps(notebook))
        log = shots.directory / "voila.log"
        return start_voila(path, tmp_path / "home", log, _kernel_env(stat_url))

    with _stopped_after(launch) as make:
        yield make
