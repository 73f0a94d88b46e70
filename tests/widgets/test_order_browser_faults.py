"""The browser when things go wrong: hostile strings, a server that stops mid-browse, a 401,
a malformed page. Faults a real server cannot produce on demand come from a tiny stdlib server
on 127.0.0.1 speaking the same JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import ipywidgets as widgets
import pytest

from stat_widgets.client import RetryPolicy, StatClient
from stat_widgets.widgets import OrderBrowser

from .test_order_browser import create_orders

HOSTILE_ID = "<img src=x onerror=alert(1)>"
HOSTILE_STATUS = '<script>alert("status")</script>'
HOSTILE_ORDER = {
    "id": HOSTILE_ID,
    "user": "<b>mallory</b>",
    "status": HOSTILE_STATUS,
    "created": "2031-01-01T00:00:00Z",
    "product_id": '"><svg onload=alert(3)>',
    "links": [
        {"href": "javascript:alert(4)", "rel": "self", "title": "<i>click me</i>"},
        {"href": "https://example.com/x?a=<b>", "rel": "<u>alternate</u>"},
    ],
    "note": "<iframe src=//evil>",
}
PLAIN_ORDER = {
    "id": "plain-1",
    "user": "bob",
    "status": "completed",
    "created": "2031-01-02T00:00:00Z",
    "links": [],
}
RAW_MARKUP = (
    "<img",
    "<script",
    "<svg",
    "<b>mallory",
    "<iframe",
    "<i>click",
    "<u>alt",
    "javascript:",
)


class FakeServer:
    """Pages ``/orders`` (two pages: ``?page=2`` via the next link) and ``/order/{id}``;
    ``mode`` switches the answers: ``ok``, ``malformed`` (a page without ``orders``) or
    ``unauthorised`` (401 with the reference server's error body)."""

    def __init__(self) -> None:
        self.mode = "ok"
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        path = unquote(parts.path)
        if self.mode == "unauthorised" and path != "/":
            body = {
                "code": "Unauthorized",
                "detail": "the bearer token is not valid",
                "errors": [{"field": "Authorization", "message": "the bearer token is not valid"}],
            }
            return self.send(request, 401, body)
        if path == "/":
            return self.send(
                request,
                200,
                {"id": "fake", "title": "<script>t</script>", "conformsTo": [], "links": []},
            )
        if path == "/products":
            return self.send(request, 200, {"products": [], "links": []})
        if path == "/orders":
            if self.mode == "malformed":
                return self.send(request, 200, {"items": "not an orders page"})
            if "page=2" in parts.query:
                links = [
                    {"href": f"{self.url}/orders", "rel": "prev"},
                    {"href": f"{self.url}/orders", "rel": "first"},
                ]
                return self.send(request, 200, {"orders": [PLAIN_ORDER], "links": links})
            links = [{"href": f"{self.url}/orders?page=2", "rel": "next"}]
            return self.send(request, 200, {"orders": [HOSTILE_ORDER], "links": links})
        if path == f"/order/{HOSTILE_ID}":
            return self.send(request, 200, HOSTILE_ORDER)
        if path == f"/order/{HOSTILE_ID}/statuses":
            history = [
                {"timestamp": "2031-01-01T00:00:00Z", "status": "received", "links": []},
                {
                    "timestamp": "2031-01-01T00:01:00Z",
                    "status": HOSTILE_STATUS,
                    "reason_text": "<img src=y onerror=alert(5)>",
                    "links": [],
                },
            ]
            return self.send(request, 200, {"statuses": history, "links": []})
        return self.send(
            request,
            404,
            {
                "code": "NotFound",
                "detail": "no such thing",
                "errors": [{"field": "", "message": "no such thing"}],
            },
        )

    @staticmethod
    def send(request: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer()
    try:
        yield server
    finally:
        server.stop()


def html_values(widget: widgets.Widget) -> list[str]:
    """Every string an HTML widget below ``widget`` would put into the page as markup."""
    out = []
    if isinstance(widget, widgets.HTML):
        out.append(widget.value)
    for child in getattr(widget, "children", ()):
        out += html_values(child)
    return out


def fast_client(url: str) -> StatClient:
    """A client that gives up quickly on a dead server (one try instead of three)."""
    return StatClient(url, retry=RetryPolicy(tries=1), timeout=5)


# -- hostile strings -----------------------------------------------------------------------------


def test_hostile_strings_in_every_column_stay_text(
    fake: FakeServer, make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(fake.url, page_size=1)
    assert browser.table.row_ids == [HOSTILE_ID]
    # The rows are plain text for the front end, which sets every cell with textContent.
    assert browser.table.rows == [
        [
            HOSTILE_ID,
            HOSTILE_ORDER["product_id"],
            HOSTILE_STATUS,
            "2031-01-01 00:00:00",
            "<b>mallory</b>",
        ]
    ]
    assert browser.table.row(HOSTILE_ID)["user"] == "<b>mallory</b>"
    # An unknown status is plain text, not a coloured badge: no stage lists it.
    assert all(HOSTILE_STATUS not in stage["statuses"] for stage in browser.table.stages)
    browser.table.selected = 0
    assert browser.selected_id == HOSTILE_ID
    shown = "\n".join(html_values(browser))
    for markup in RAW_MARKUP:
        assert markup not in shown, markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "&lt;script&gt;alert(&quot;status&quot;)&lt;/script&gt;" in shown
    assert "&lt;iframe src=//evil&gt;" in shown  # an extra field the models do not know
    # Only the http(s) link is clickable, with its query escaped.
    assert shown.count("<a ") == 1
    assert 'href="https://example.com/x?a=&lt;b&gt;"' in shown
    history = browser.details.statuses
    assert history is not None and str(history[1].status) == HOSTILE_STATUS


# -- errors with retry, the page kept -------------------------------------------------------------


def retry_notes(browser: OrderBrowser) -> list[dict[str, Any]]:
    return [note for note in browser.table.notes if note.get("action") == "retry"]


def test_a_malformed_page_is_shown_with_retry_and_the_page_is_kept(
    fake: FakeServer, make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(fake.url, page_size=1)
    assert retry_notes(browser) == []
    fake.mode = "malformed"
    assert not browser.next()
    assert browser.table.row_ids == [HOSTILE_ID]  # the page already shown stays
    (note,) = retry_notes(browser)
    assert "orders page" in browser.error and note["text"] == browser.error
    assert note["kind"] == "error" and note["value"] is None  # one provider: no name needed
    fake.mode = "ok"
    browser.table._handle_custom_msg({"control": "retry", "value": None}, [])
    assert browser.error == "" and retry_notes(browser) == []
    assert browser.table.row_ids == ["plain-1"]
    assert browser.position == "orders 2-2"


def test_a_401_is_shown_in_the_widget(
    fake: FakeServer, make_browser: Callable[..., OrderBrowser]
) -> None:
    fake.mode = "unauthorised"
    browser = make_browser(fast_client(fake.url))
    assert browser.orders == [] and browser.position == ""
    assert "Not authorised (401)" in browser.error
    assert "token" in retry_notes(browser)[0]["text"]
    fake.mode = "ok"
    assert browser.retry()
    assert [o.id for o in browser.orders] == [HOSTILE_ID, "plain-1"]  # two pages, one view


def test_a_server_that_stops_mid_browse_shows_an_error_and_retry_works(
    tmp_path: Path, make_browser: Callable[..., OrderBrowser]
) -> None:
    from stat_widgets.server import ManualClock, run_in_thread

    db = tmp_path / "orders.db"
    first = run_in_thread(db_path=db, clock=ManualClock())
    second = None
    try:
        with StatClient(first.url) as client:
            ids = create_orders(client, 50)
        browser = make_browser(fast_client(first.url), page_size=20)
        assert browser.next()
        page_two = browser.table.row_ids
        assert browser.position == "orders 21-40 of 50"
        first.stop()

        assert not browser.next()
        assert browser.error, "a dead server must show an error"
        assert retry_notes(browser)
        assert browser.table.row_ids == page_two
        assert browser.position == "orders 21-40 of 50"
        next_button = next(c for c in browser.table.controls if c["name"] == "next")
        assert not next_button["disabled"]  # the user can try again

        second = run_in_thread(db_path=db, clock=ManualClock(), port=first.port)
        assert second.url == first.url
        assert browser.retry()
        assert browser.error == ""
        assert browser.position == "orders 41-50 of 50"
        assert browser.table.row_ids == list(reversed(ids))[40:]
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_construction_with_a_bad_target_names_the_argument() -> None:
    with pytest.raises(TypeError, match="client_or_url"):
        OrderBrowser(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="token"):
        OrderBrowser({"A": "http://127.0.0.1:1"}, token="s3cret")  # one token, many servers


def test_an_order_that_cannot_be_fetched_is_shown_in_the_details(
    fake: FakeServer, make_browser: Callable[..., OrderBrowser]
) -> None:
    browser = make_browser(fake.url)
    browser.select("missing")
    assert "no such thing" in browser.details.html.value
    assert browser.selected_order is None
    assert quote("missing") in browser.details.html.value
