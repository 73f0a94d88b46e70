"""The I/O-free parts of the client: retry decisions, error-body parsing, dialect detection,
order parameters, page trails, redaction and construction checks."""

from __future__ import annotations

import httpx
import pytest

from stat_widgets.client import AsyncStatClient, RetryPolicy, StatClient
from stat_widgets.client._http import Call, Protocol, Redactor, Retry, loc_to_field
from stat_widgets.client.dialects import (
    STAPI,
    STAT,
    PageTrail,
    dialect_of,
)
from stat_widgets.errors import (
    InvalidResponseError,
    RemoteValidationError,
)

PROTOCOL = Protocol(RetryPolicy(tries=3, base=0.2, cap=0.3), Redactor(["tok-123456"]))
GET = Call("GET", "http://127.0.0.1/orders")
POST_KEYED = Call("POST", "http://127.0.0.1/order", retry=Retry.KEYED)
POST_UNSENT = Call("POST", "http://127.0.0.1/products/a/orders", retry=Retry.UNSENT)


def response(status: int, body: bytes, content_type: str = "application/json") -> httpx.Response:
    request = httpx.Request("POST", "http://127.0.0.1/order")
    return httpx.Response(
        status, content=body, headers={"content-type": content_type}, request=request
    )


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (["body", "geometry", "coordinates", 0, 3], "geometry.coordinates[0][3]"),
        (["body", "order_parameters", "delivery"], "order_parameters.delivery"),
        (["query", "limit"], "limit"),
        ([], ""),
        (None, ""),
    ],
)
def test_fastapi_locations_become_field_paths(loc: object, field: str) -> None:
    assert loc_to_field(loc) == field


@pytest.mark.parametrize(
    ("call", "error", "retried"),
    [
        (GET, httpx.ConnectError("refused"), True),
        (GET, httpx.RemoteProtocolError("dropped"), True),
        (GET, httpx.ReadTimeout("slow"), False),
        (POST_KEYED, httpx.ReadTimeout("slow"), True),
        (POST_KEYED, httpx.RemoteProtocolError("dropped"), True),
        (POST_UNSENT, httpx.ConnectError("refused"), True),
        (POST_UNSENT, httpx.RemoteProtocolError("dropped"), False),
        (POST_UNSENT, httpx.ReadTimeout("slow"), False),
    ],
)
def test_which_failures_are_retried(call: Call, error: Exception, retried: bool) -> None:
    assert (PROTOCOL.retry_after_error(call, 1, error) is not None) is retried


def test_retries_are_bounded_and_capped() -> None:
    assert PROTOCOL.retry_after_status(GET, 1, 503) is not None
    assert PROTOCOL.retry_after_status(GET, 3, 503) is None
    assert PROTOCOL.retry_after_status(GET, 1, 500) is None
    assert PROTOCOL.retry_after_status(POST_UNSENT, 1, 503) is None
    assert PROTOCOL.retry_after_error(GET, 3, httpx.ConnectError("x")) is None
    assert all(RetryPolicy(base=1, cap=2).delay(n) <= 2 * 1.2 for n in range(1, 10))


def test_reference_server_error_body_keeps_every_field() -> None:
    body = (
        b'{"code": "ValidationError", "detail": "two problems", "errors": ['
        b'{"field": "geometry", "message": "Self-intersection at (10.05, 50.05)"},'
        b'{"field": "filter.args[0]", "message": "unknown property"}]}'
    )
    with pytest.raises(RemoteValidationError) as caught:
        PROTOCOL.check(POST_KEYED, response(400, body))
    assert [e.field for e in caught.value.errors] == ["geometry", "filter.args[0]"]
    assert caught.value.message == "Self-intersection at (10.05, 50.05)"


def test_error_body_without_fields_still_validation_error() -> None:
    with pytest.raises(RemoteValidationError) as caught:
        PROTOCOL.check(POST_KEYED, response(422, b'{"detail": "bad tok-123456"}'))
    assert caught.value.field == ""
    assert "tok-123456" not in str(caught.value) and "***" in str(caught.value)


def test_non_json_success_is_invalid_response_with_a_short_quote() -> None:
    body = b"<html>" + b"a" * 1000 + b"</html>"
    with pytest.raises(InvalidResponseError) as caught:
        PROTOCOL.read_json(GET, response(200, body, "text/html"))
    message = str(caught.value)
    assert "text/html" in message and "<html>aaa" in message
    assert len(message) < 350


def test_dialect_detection() -> None:
    assert dialect_of(["https://stapi.example.com/v0.1.0/core"]) == STAPI
    assert dialect_of(["https://stat-widgets.dev/spec/stat-order-api/draft-2024-04/core"]) == STAT
    assert dialect_of([]) == STAT


def test_page_trail_ignores_query_order_but_not_body() -> None:
    trail = PageTrail()
    trail.visit(Call("GET", "http://h/orders?limit=2&page=b"), PROTOCOL)
    trail.visit(Call("POST", "http://h/orders", json={"next": "b"}), PROTOCOL)
    trail.visit(Call("POST", "http://h/orders", json={"next": "c"}), PROTOCOL)
    with pytest.raises(InvalidResponseError, match="already seen"):
        trail.visit(Call("GET", "http://h/orders?page=b&limit=2"), PROTOCOL)
    with pytest.raises(InvalidResponseError, match="already seen"):
        trail.visit(Call("POST", "http://h/orders", json={"next": "b"}), PROTOCOL)


def test_redactor_removes_every_secret() -> None:
    redact = Redactor(["abcd1234", None, "xyz"])  # too short to redact safely: kept
    assert redact("Bearer abcd1234 and abcd1234") == "Bearer *** and ***"
    assert redact("xyz") == "xyz"


@pytest.mark.parametrize("cls", [StatClient, AsyncStatClient])
def test_construction_checks(cls: type) -> None:
    with pytest.raises(ValueError, match="not both"):
        cls("http://127.0.0.1:1", token="abcdef", auth=("u", "p"))
    with pytest.raises(ValueError, match="http"):
        cls("ftp://example.com")
    with pytest.raises(ValueError, match="dialect"):
        cls("http://127.0.0.1:1", dialect="stac")


def test_repr_hides_credentials() -> None:
    with StatClient(
        "http://user:pa55word-x@127.0.0.1:1/api", headers={"X-Api-Key": "k3y-secret"}
    ) as c:
        text = repr(c)
    assert "pa55word-x" not in text and "k3y-secret" not in text
    assert text.startswith("StatClient('http://127.0.0.1:1/api/'")
