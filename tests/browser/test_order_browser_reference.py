"""An order made with a JSON Reference, drawn in a real browser: the client sends the
``$ref`` as is, the reference server resolves it (from a server on 127.0.0.1 it is told to
allow) and keeps the footprint, and the order browser in Voila draws that footprint beside an
inline one and highlights it when its row is chosen."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect
from widgets._providers import INTERVAL, square

from ._pages import Screenshots
from ._servers import one_cell_notebook
from .conftest import PageWatch, ServerFactory, StatServerFactory

if TYPE_CHECKING:
    from stat_widgets.server import EmbeddedServer

pytestmark = pytest.mark.browser

#: A triangle, so the picture shows which footprint came by reference.
TRIANGLE = {
    "type": "Polygon",
    "coordinates": [[[9.0, 47.0], [9.6, 47.0], [9.3, 47.5], [9.0, 47.0]]],
}


class _Feature(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"type": "Feature", "properties": {}, "geometry": TRIANGLE}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def stat_with_a_referenced_order(make_stat_server: StatServerFactory) -> Iterator[EmbeddedServer]:
    from stat_widgets.client import StatClient
    from stat_widgets.server import ManualClock

    features = ThreadingHTTPServer(("127.0.0.1", 0), _Feature)
    threading.Thread(target=features.serve_forever, daemon=True).start()
    try:
        stat = make_stat_server(allow_ref_hosts=("127.0.0.1",), clock=ManualClock())
        ref = f"http://127.0.0.1:{features.server_address[1]}/collections/aoi/items/7"
        with StatClient(stat.url) as client:
            client.create_order(
                {"datetime": INTERVAL, "product_id": "optical-vhr", "geometry": square(10, 47, 0.3)}
            )
            stat.clock.advance(60)
            client.create_order(
                {"datetime": INTERVAL, "product_id": "optical-vhr", "geometry": {"$ref": ref}}
            )
        yield stat
    finally:
        features.shutdown()
        features.server_close()


def _notebook() -> dict[str, Any]:
    source = (
        "import os\n\nfrom stat_widgets import OrderBrowser\n\n"
        'browser = OrderBrowser(os.environ["STAT_API_URL"])\nbrowser'
    )
    return one_cell_notebook(source)


def test_a_referenced_footprint_is_drawn_and_highlighted(
    stat_with_a_referenced_order: EmbeddedServer,
    make_voila: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    voila = make_voila(stat_with_a_referenced_order.url, {"browser.ipynb": _notebook()})
    page.goto(f"{voila.url}/?token={voila.token}")
    browser = page.locator(".stat-order-browser")
    expect(browser).to_be_visible(timeout=90_000)
    expect(page.locator("body")).not_to_contain_text("Traceback")
    rows = browser.locator(".stat-order-table tbody tr")
    expect(rows).to_have_count(2, timeout=30_000)
    map_ = browser.locator(".leaflet-container")
    page_paths = map_.locator("path.leaflet-interactive[stroke-width='1.5']")
    expect(page_paths).to_have_count(2, timeout=15_000)  # the inline square and the triangle
    shots.take(page, "both-footprints", element=browser)

    rows.nth(0).click()  # newest first: the order made by reference
    highlighted = map_.locator("path.leaflet-interactive[stroke-width='4']")
    expect(highlighted).to_have_count(1, timeout=15_000)
    # a triangle: its outline has three corners (Leaflet's path "M x y L x y L x y z")
    outline = highlighted.get_attribute("d") or ""
    assert outline.count("L") == 2, outline
    shots.take(page, "the-referenced-one-selected", element=browser)
    assert page_watch.page_errors == []
