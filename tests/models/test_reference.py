"""JSON References resolved over real HTTP on 127.0.0.1, and the address rules that keep a
reference from reaching into the network the resolver runs in.

The servers here are on loopback, which references may reach only when allowed
(``allow_hosts``) or when the API is on loopback too (``api_url``). Size and time bounds are
proven in ``tests/client/test_bounds.py``, with the client's hostile servers.
"""

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from stat_widgets._origins import AddressPolicy, address_kind
from stat_widgets.errors import ValidationError
from stat_widgets.models import JSONReference, OrderRequest, resolve_reference

ALLOW = ("127.0.0.1",)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1], [10, 50]]],
}
DOCUMENTS = {
    "/geometry": SQUARE,
    "/feature": {"type": "Feature", "id": "42", "properties": {}, "geometry": SQUARE},
    "/collections/aoi/items/42": {
        "type": "Feature",
        "id": "42",
        "properties": {"name": "field"},
        "geometry": SQUARE,
        "links": [{"href": "/collections/aoi/items/42", "rel": "self"}],
    },
    "/fc": {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": SQUARE}],
    },
    "/bow-tie": {
        "type": "Polygon",
        "coordinates": [[[10, 50], [10.1, 50.1], [10.1, 50], [10, 50.1], [10, 50]]],
    },
}


class Recorder(ThreadingHTTPServer):
    seen_auth: list[str | None]
    seen_paths: list[str]


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_GET(self) -> None:
        self.server.seen_auth.append(self.headers.get("Authorization"))
        self.server.seen_paths.append(self.path)
        if self.path.startswith("/redirect?"):
            target = parse_qs(urlsplit(self.path).query)["to"][0]
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/html":
            body, status, kind = b"<html>nope</html>", 200, "text/html"
        elif self.path in DOCUMENTS:
            body, status, kind = (
                json.dumps(DOCUMENTS[self.path]).encode(),
                200,
                "application/geo+json",
            )
        else:
            body, status, kind = b'{"code": "NotFound"}', 404, "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve() -> Recorder:
    server = Recorder(("127.0.0.1", 0), Handler)
    server.seen_auth = []
    server.seen_paths = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def hosts() -> Iterator[tuple[Recorder, Recorder]]:
    a, b = serve(), serve()
    yield a, b
    for s in (a, b):
        s.shutdown()
        s.server_close()


def url(server: Recorder, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


@pytest.mark.parametrize(
    "path",
    ["/geometry", "/feature", "/collections/aoi/items/42", "/fc", "/fc#/features/0/geometry"],
)
def test_resolves_geometry_feature_item_and_pointer(
    hosts: tuple[Recorder, Recorder], path: str
) -> None:
    reference = JSONReference.model_validate({"$ref": url(hosts[0], path)})
    assert reference.resolve(allow_hosts=ALLOW) == SQUARE


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/missing", "answered HTTP 404"),
        ("/html", "did not return JSON"),
        ("/bow-tie", "Self-intersection at (10.05, 50.05)"),
        ("/fc#/features/7", "does not exist"),
    ],
)
def test_resolution_failures_name_the_reference(
    hosts: tuple[Recorder, Recorder], path: str, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        JSONReference.model_validate({"$ref": url(hosts[0], path)}).resolve(allow_hosts=ALLOW)
    assert info.value.field == "geometry.$ref"
    assert words in info.value.message


def test_refused_connection_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="could not fetch"):
        JSONReference.model_validate({"$ref": "http://127.0.0.1:9/nothing"}).resolve(
            timeout=2, allow_hosts=ALLOW
        )


def test_api_credentials_never_go_to_another_host(hosts: tuple[Recorder, Recorder]) -> None:
    api, other = hosts
    secret = {"Authorization": "Bearer s3cret"}
    api.seen_auth.clear()
    other.seen_auth.clear()
    JSONReference.model_validate({"$ref": url(other, "/geometry")}).resolve(
        api_url=url(api, ""), headers=secret
    )
    JSONReference.model_validate({"$ref": url(api, "/geometry")}).resolve(
        api_url=url(api, ""), headers=secret
    )
    assert other.seen_auth == [None]
    assert api.seen_auth == ["Bearer s3cret"]


def test_a_reference_dumps_as_dollar_ref_in_every_form() -> None:
    reference = JSONReference.model_validate({"$ref": "https://example.com/items/42"})
    assert reference.model_dump() == {"$ref": "https://example.com/items/42"}
    assert json.loads(reference.model_dump_json()) == {"$ref": "https://example.com/items/42"}
    request = OrderRequest.from_input(
        {
            "datetime": "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z",
            "product_id": "optical",
            "geometry": {"$ref": "https://example.com/items/42"},
        }
    )
    assert json.loads(request.model_dump_json())["geometry"] == {
        "$ref": "https://example.com/items/42"
    }


# -- address rules --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ref", "kind"),
    [
        ("http://127.0.0.1:{port}/geometry", "loopback"),
        ("http://localhost:{port}/geometry", "loopback"),
        ("http://[::1]:{port}/geometry", "loopback"),
        ("http://[::ffff:127.0.0.1]:{port}/geometry", "loopback"),
        ("http://0.0.0.0:{port}/geometry", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/geometry", "link-local"),
        ("http://10.0.0.1/geometry", "private"),
        ("http://192.168.1.1/geometry", "private"),
        ("http://[fd00::1]/geometry", "private"),
    ],
)
def test_local_and_private_addresses_are_refused(
    hosts: tuple[Recorder, Recorder], ref: str, kind: str
) -> None:
    server = hosts[0]
    server.seen_paths.clear()
    with pytest.raises(ValidationError) as info:
        resolve_reference(ref.format(port=server.server_address[1]), deadline=2)
    assert info.value.field == "geometry.$ref"
    assert f"is a {kind} address" in info.value.message
    assert server.seen_paths == []  # refused before connecting


def test_an_api_on_loopback_may_name_references_on_loopback_only(
    hosts: tuple[Recorder, Recorder],
) -> None:
    api, other = hosts
    ref = url(other, "/geometry")
    assert resolve_reference(ref, api_url=url(api, "/")) == SQUARE
    with pytest.raises(ValidationError, match="is a link-local address"):
        resolve_reference("http://169.254.169.254/x", api_url=url(api, "/"), deadline=2)
    with pytest.raises(ValidationError, match="is a private address"):
        resolve_reference("http://10.0.0.1/x", api_url=url(api, "/"), deadline=2)


def test_every_redirect_hop_is_checked(hosts: tuple[Recorder, Recorder]) -> None:
    """``localhost`` is allowed by name; its redirect to ``127.0.0.1`` is not."""
    first, second = hosts
    first.seen_paths.clear()
    second.seen_paths.clear()
    target = url(second, "/geometry")
    ref = f"http://localhost:{first.server_address[1]}/redirect?to={target}"
    with pytest.raises(ValidationError) as info:
        resolve_reference(ref, allow_hosts=["localhost"])
    assert "127.0.0.1 is a loopback address" in info.value.message
    assert first.seen_paths == [f"/redirect?to={target}"]
    assert second.seen_paths == []
    assert resolve_reference(ref, allow_hosts=["localhost", "127.0.0.1"]) == SQUARE


def test_the_connection_goes_to_the_address_that_was_checked(
    hosts: tuple[Recorder, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name that resolves to a public address when checked and to loopback
    a moment later. The connection is made to the checked (public, here unreachable)
    address, so the loopback server never hears of it."""
    server = hosts[0]
    server.seen_paths.clear()
    real = socket.getaddrinfo
    answers = iter(["93.184.215.14"])

    def rebinding(host: str, *args: object, **kwargs: object) -> list:
        if host == "rebind.example":
            return real(next(answers, "127.0.0.1"), *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    ref = f"http://rebind.example:{server.server_address[1]}/geometry"
    with pytest.raises(ValidationError, match="could not fetch"):
        resolve_reference(ref, deadline=2)
    assert server.seen_paths == []


def test_a_name_server_that_never_answers_ends_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``getaddrinfo`` takes no timeout (a silent name server holds it 5 s per attempt and
    server); the lookup counts against the reference's deadline like the rest of the fetch.
    The name server is played by a lookup that blocks until the test ends."""
    real = socket.getaddrinfo
    release = threading.Event()

    def silent(host: str, *args: object, **kwargs: object) -> list:
        if host == "silent-dns.example":
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", silent)
    started = time.monotonic()
    try:
        with pytest.raises(ValidationError, match="could not be resolved within") as info:
            resolve_reference("http://silent-dns.example/aoi.geojson", deadline=1.0)
    finally:
        release.set()
    assert info.value.field == "geometry.$ref"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", "public"),
        ("2001:4860:4860::8888", "public"),
        ("127.0.0.2", "loopback"),
        ("::", "loopback"),
        ("169.254.0.1", "link-local"),
        ("172.16.5.4", "private"),
        ("100.64.0.1", "private"),  # carrier-grade NAT
        ("224.0.0.1", "private"),  # multicast
        ("::ffff:10.0.0.1", "private"),
    ],
)
def test_address_kinds(address: str, kind: str) -> None:
    assert address_kind(address) == kind


def test_a_policy_beside_a_private_api_allows_private_but_not_loopback() -> None:
    policy = AddressPolicy.beside("http://10.1.2.3:8000/")
    assert policy.addresses("10.9.9.9", 80) == ["10.9.9.9"]
    for refused in ("127.0.0.1", "169.254.169.254"):
        with pytest.raises(Exception, match="address"):
            policy.addresses(refused, 80)
