"""JSON References resolved over real HTTP on 127.0.0.1."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import JSONReference

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


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_GET(self) -> None:
        self.server.seen_auth.append(self.headers.get("Authorization"))
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
    assert JSONReference.model_validate({"$ref": url(hosts[0], path)}).resolve() == SQUARE


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
        JSONReference.model_validate({"$ref": url(hosts[0], path)}).resolve()
    assert info.value.field == "geometry.$ref"
    assert words in info.value.message


def test_refused_connection_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="could not fetch"):
        JSONReference.model_validate({"$ref": "http://127.0.0.1:9/nothing"}).resolve(timeout=2)


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
