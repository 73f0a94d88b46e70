"""``$ref`` geometries resolved by the reference server as a provider would: over real HTTP
from servers on 127.0.0.1 (allowed with ``allow_ref_hosts``, as ``--allow-ref-host`` does),
each failure a 4xx naming the geometry within 15 s, the event loop free meanwhile, and the
order stored with its reference and the footprint it resolved to."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from stat_widgets.models import Order
from stat_widgets.server import ManualClock

from .bodies import order_body, square

ALLOW = ("127.0.0.1",)
SQUARE = square()
HUGE_BYTES = 8 * 1024 * 1024  # past the server's 5 MiB bound on a referenced document


def _circle(vertices: int) -> dict[str, Any]:
    ring = [
        [
            10 + 0.05 * math.cos(2 * math.pi * i / vertices),
            50 + 0.05 * math.sin(2 * math.pi * i / vertices),
        ]
        for i in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


DOCUMENTS: dict[str, Any] = {
    "/good": {"type": "Feature", "id": "42", "properties": {}, "geometry": SQUARE},
    "/bow-tie": {
        "type": "Polygon",
        "coordinates": [[[10, 50], [10.1, 50.1], [10.1, 50], [10, 50.1], [10, 50]]],
    },
    "/too-large-an-area": square(size=2.0),  # about 31,000 km²; optical-vhr takes 2,000
    "/too-many-vertices": _circle(600),  # optical-vhr takes 500
    "/not-geojson": {"name": "a JSON object, but no geometry"},
}


SERVED_ONCE: set[str] = set()


class RefServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, kind: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path.startswith("/once/"):  # a document that is gone after its first reading
            first = path not in SERVED_ONCE
            SERVED_ONCE.add(path)
            path = "/good" if first else "/missing"
        if path in DOCUMENTS:
            self._send(200, json.dumps(DOCUMENTS[path]).encode(), "application/geo+json")
        elif path == "/html":
            self._send(200, b"<!doctype html><title>Sign in</title><p>Please log in", "text/html")
        elif path.startswith("/redirect-to/"):
            target = path.removeprefix("/redirect-to/")
            self._send(302, b"", "text/plain", Location=f"http://{target}/aoi.geojson")
        elif path == "/huge":  # no declared length: counted while read
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self._stream(b'{"type":"Polygon","coordinates":[[', b"[10.0,50.0]," * 5000)
        elif path == "/drip":  # one byte every 100 ms, never finished
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            self._stream(b"", b" ", pause=0.1)
        else:
            self._send(404, b'{"detail": "not found"}', "application/json")

    def _stream(self, head: bytes, piece: bytes, pause: float = 0.0) -> None:
        try:
            self.wfile.write(head)
            sent = 0
            while sent < 2 * HUGE_BYTES:
                self.wfile.write(piece)
                self.wfile.flush()
                sent += len(piece)
                if pause:
                    time.sleep(pause)
        except OSError:  # the server stopped reading: that is the point
            pass
        self.close_connection = True


@pytest.fixture(scope="module")
def refs() -> Iterator[str]:
    server = RefServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def stat(make_stat_server: Callable[..., Any]) -> str:
    return make_stat_server(allow_ref_hosts=ALLOW, clock=ManualClock()).url


def _post(url: str, ref: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.post(f"{url}/order", json=order_body(geometry={"$ref": ref}), timeout=30)
    return response, time.monotonic() - started


def _errors(response: httpx.Response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_a_reference_is_resolved_and_kept_with_its_footprint(stat: str, refs: str) -> None:
    ref = {"$ref": f"{refs}/good"}
    response = httpx.post(f"{stat}/order", json=order_body(geometry=ref))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["request"]["geometry"] == ref  # the order is for what was asked
    assert created["footprint"] == SQUARE  # and shows what that was when it was taken
    fetched = httpx.get(response.headers["location"]).json()
    assert fetched["footprint"] == SQUARE
    listed = httpx.get(f"{stat}/orders").json()["orders"]
    assert [o["footprint"] for o in listed] == [SQUARE]
    order = Order.model_validate(fetched)
    assert order.footprint == SQUARE  # what the order browser draws


def test_a_reference_spelt_with_an_escape_is_resolved_too(stat: str, refs: str) -> None:
    """``"\\u0024ref"`` is ``"$ref"`` to a JSON parser: it must not slip past as unread, nor be
    fetched on the event loop (``References.named_in`` sends every ``\\u`` body off it)."""
    raw = json.dumps(order_body(geometry={"$ref": f"{refs}/good"})).replace("$ref", "\\u0024ref")
    assert "$ref" not in raw
    response = httpx.post(
        f"{stat}/order", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["footprint"] == SQUARE


def test_a_replay_keeps_its_footprint_though_the_reference_is_gone(stat: str, refs: str) -> None:
    body = order_body(geometry={"$ref": f"{refs}/once/aoi"})
    headers = {"Idempotency-Key": "retry-after-a-lost-answer"}
    first = httpx.post(f"{stat}/order", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert _post(stat, f"{refs}/once/aoi")[0].status_code == 422  # gone now
    again = httpx.post(f"{stat}/order", json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()  # the same order, with the footprint it was taken with
    assert again.json()["footprint"] == SQUARE


def test_the_order_browser_draws_a_referenced_footprint(stat: str, refs: str) -> None:
    from stat_widgets.widgets.order_browser import FootprintMap
    from stat_widgets.widgets.order_browser.details import fields_html

    by_ref = httpx.post(f"{stat}/order", json=order_body(geometry={"$ref": f"{refs}/good"}))
    inline = httpx.post(f"{stat}/order", json=order_body(geometry=square(11)))
    orders = [Order.model_validate(r.json()) for r in (by_ref, inline)]
    view = FootprintMap()
    view.set_orders(orders)
    assert view.drawn == [0, 1]
    view.selected = 0
    assert view.highlight is not None
    assert view.highlight.data["features"][0]["geometry"] == SQUARE
    shown = fields_html(orders[0])  # the details name the footprint, not its coordinates
    assert "Polygon, resolved from the request&#x27;s JSON Reference" in shown
    assert "[[10.0, 50.0]" not in shown


def test_the_stapi_face_shows_the_resolved_footprint(stat: str, refs: str) -> None:
    made = httpx.post(f"{stat}/order", json=order_body(geometry={"$ref": f"{refs}/good"}))
    feature = httpx.get(f"{stat}/stapi/orders/{made.json()['id']}").json()
    assert feature["geometry"] == SQUARE
    assert feature["properties"]["search_parameters"]["geometry"] == {"$ref": f"{refs}/good"}


def test_the_stapi_face_takes_no_reference(stat: str, refs: str) -> None:
    body = {
        "datetime": order_body()["datetime"],
        "geometry": {"$ref": f"{refs}/good"},
        "filter": None,
        "order_parameters": {},
    }
    response = httpx.post(f"{stat}/stapi/products/optical-vhr/orders", json=body)
    assert 400 <= response.status_code < 500, response.text
    assert any(e["field"].startswith("geometry") for e in response.json()["errors"])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/html", "did not return JSON"),
        ("/not-geojson", "unknown geometry type"),
        ("/bow-tie", "self-intersect"),
        ("/too-large-an-area", "km²"),
        ("/too-many-vertices", "600 vertices, above the limit of 500"),
        ("/missing", "HTTP 404"),
        ("/huge", "larger than 5,242,880 bytes"),
        ("/redirect-to/10.1.2.3", "10.1.2.3 is a private address"),
        ("/redirect-to/169.254.169.254", "169.254.169.254 is a link-local address"),
    ],
)
def test_a_bad_reference_is_a_4xx_naming_the_geometry(
    stat: str, refs: str, path: str, expected: str
) -> None:
    response, took = _post(stat, refs + path)
    assert response.status_code == 422, response.text
    errors = _errors(response)
    assert all(field.startswith("geometry.$ref") for field in errors), errors
    assert expected.lower() in " ".join(errors.values()).lower()
    assert took < 15
    assert httpx.get(f"{stat}/orders").json()["orders"] == []  # nothing was ordered


def test_an_unreachable_reference_is_a_4xx(stat: str) -> None:
    import socket

    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    response, took = _post(stat, f"http://127.0.0.1:{port}/aoi.geojson")
    assert response.status_code == 422
    assert "could not fetch" in _errors(response)["geometry.$ref"]
    assert took < 15


def test_a_drip_fed_reference_ends_in_time_and_blocks_nobody(stat: str, refs: str) -> None:
    with ThreadPoolExecutor(4) as pool:
        slow = [pool.submit(_post, stat, f"{refs}/drip") for _ in range(3)]
        time.sleep(0.5)  # the three are being resolved now
        started = time.monotonic()
        for _ in range(5):  # the event loop and the worker threads still serve
            assert httpx.get(f"{stat}/orders", timeout=5).status_code == 200
            quick = httpx.post(f"{stat}/order", json=order_body(), timeout=5)
            assert quick.status_code == 201
        assert time.monotonic() - started < 3
        for future in slow:
            response, took = future.result()
            assert response.status_code == 422
            assert "no complete answer within" in _errors(response)["geometry.$ref"]
            assert took < 15


def test_time_spent_waiting_for_a_thread_counts_against_the_deadline(
    make_stat_server: Callable[..., Any], refs: str
) -> None:
    """With every reference thread taken, an order waits; its deadline runs from its arrival,
    so it is told to try again (503, Retry-After) rather than answered late."""
    from stat_widgets.server.references import References

    server = make_stat_server(allow_ref_hosts=ALLOW)
    server.app.state.stat.references = References(ALLOW, deadline=2.0, concurrency=1)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(_post, server.url, f"{refs}/drip")
        time.sleep(0.3)  # the one thread is taken
        second = pool.submit(_post, server.url, f"{refs}/drip")
        (one, one_took), (two, two_took) = first.result(), second.result()
    assert one.status_code == 422 and one_took < 4
    assert two.status_code == 503 and two_took < 4
    assert two.headers["Retry-After"] == "5"
    assert "try again" in _errors(two)["geometry.$ref"]


def test_a_loopback_reference_is_refused_unless_allowed(
    make_stat_server: Callable[..., Any], refs: str
) -> None:
    plain = make_stat_server().url  # no allow_ref_hosts: public addresses only
    response, _ = _post(plain, f"{refs}/good")
    assert response.status_code == 422
    assert "127.0.0.1 is a loopback address" in _errors(response)["geometry.$ref"]


def test_a_reference_url_past_2048_characters_is_refused_unread(stat: str, refs: str) -> None:
    response, _ = _post(stat, f"{refs}/good?" + "x" * 4_500_000)
    assert response.status_code == 422
    assert "at most 2,048 are taken" in _errors(response)["geometry.$ref"]
    assert len(response.content) < 2000  # the URL is not echoed back
