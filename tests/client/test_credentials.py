"""No credential of any kind leaves the API's origin: two real servers on 127.0.0.1, on two
ports (two origins), the API's pages, redirects and references pointing at the second, which
records every header it receives. Sync and async clients alike.

Each case also checks that the API itself did receive the credential, so that a credential
that was never sent cannot pass for one that was kept back.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from stat_widgets.errors import ServerError

from .conftest import call, collect
from .faults import Reply, Seen, scripted_server
from .stapi_server import AOI, Backend, run_stapi_server

SECRET = "s3cret-credential-DO-NOT-LEAK"
BASIC = base64.b64encode(f"analyst:{SECRET}".encode()).decode()
CREDENTIAL_HEADERS = {"authorization", "cookie", "x-api-key", "x-signature"}


class SigningAuth(httpx.Auth):
    """A custom ``httpx.Auth``: signs every request it is given with the secret."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Signature"] = SECRET
        yield request


@dataclass(frozen=True)
class Kind:
    """One kind of credential: how the client is given it, how the API receives it."""

    name: str
    options: Callable[[str], dict[str, Any]]  # API URL -> client arguments (url included)
    header: str
    value: str
    cookie: bool = False  # given by the API's own Set-Cookie, not by the caller


def _with_userinfo(url: str) -> str:
    return url.replace("http://", f"http://analyst:{SECRET}@")


KINDS = [
    Kind("bearer", lambda u: {"url": u, "token": SECRET}, "authorization", f"Bearer {SECRET}"),
    Kind(
        "basic auth=",
        lambda u: {"url": u, "auth": ("analyst", SECRET)},
        "authorization",
        f"Basic {BASIC}",
    ),
    Kind("basic in url", lambda u: {"url": _with_userinfo(u)}, "authorization", f"Basic {BASIC}"),
    Kind("headers=", lambda u: {"url": u, "headers": {"X-Api-Key": SECRET}}, "x-api-key", SECRET),
    Kind("httpx.Auth", lambda u: {"url": u, "auth": SigningAuth()}, "x-signature", SECRET),
    Kind("cookie", lambda u: {"url": u}, "cookie", f"session={SECRET}", cookie=True),
]


def order(order_id: str) -> dict[str, Any]:
    return {
        "id": order_id,
        "user": "u",
        "status": "received",
        "created": "2025-01-01T00:00:00Z",
        "links": [],
    }


def page(order_id: str, next_link: dict | None = None, **headers: str) -> Reply:
    links = [next_link] if next_link else []
    return Reply(200, {"orders": [order(order_id)], "links": links}, headers=headers)


def leaks(seen: list[Seen]) -> list[str]:
    """Every header (name: value) in ``seen`` that carries or names a credential."""
    found = []
    for request in seen:
        for name, value in request.headers.items():
            if name in CREDENTIAL_HEADERS or SECRET in value or BASIC in value:
                found.append(f"{request.method} {request.path}: {name}: {value}")
        if SECRET.encode() in request.body:
            found.append(f"{request.method} {request.path}: body")
    return found


# How the API sends the client to the other origin, from its second page (the first sets the
# cookie, the second proves the credential reaches the API).
ELSEWHERE = {
    "next link (GET)": lambda other: page("b", {"rel": "next", "href": f"{other}/elsewhere"}),
    "next link (POST with a body)": lambda other: page(
        "b",
        {"rel": "next", "href": f"{other}/elsewhere", "method": "POST", "body": {"page": 3}},
    ),
    "302 redirect": lambda other: Reply(302, b"", headers={"Location": f"{other}/elsewhere"}),
    "307 redirect": lambda other: Reply(307, b"", headers={"Location": f"{other}/elsewhere"}),
    "308 redirect, relative hop first": lambda other: Reply(308, b"", headers={"Location": "/hop"}),
}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@pytest.mark.parametrize("route", list(ELSEWHERE))
async def test_no_credential_reaches_another_origin(
    make_client: Any, kind: Kind, route: str
) -> None:
    other_routes = {
        "GET /elsewhere": [page("c")],
        "POST /elsewhere": [page("c")],
    }
    with scripted_server(other_routes) as (other, other_script):
        cookie = {"Set-Cookie": f"session={SECRET}; Path=/"} if kind.cookie else {}
        second = ELSEWHERE[route](other)
        routes = {
            "GET /orders": [page("a", {"rel": "next", "href": "{base}/orders?page=2"}, **cookie)],
            "GET /orders?page=2": [second],
            "GET /hop": [Reply(307, b"", headers={"Location": f"{other}/elsewhere"})],
        }
        with scripted_server(routes) as (url, script):
            options = kind.options(url)
            client = make_client(options.pop("url"), dialect="stat", **options)
            orders = await collect(client.orders())
    assert [o.id for o in orders] == (["a", "b", "c"] if "link" in route else ["a", "c"])
    at_api = [s for s in script.seen if s.path == "/orders?page=2"]
    assert at_api[0].headers.get(kind.header) == kind.value  # the API did get it
    assert other_script.seen, "the other origin was never asked"
    assert leaks(other_script.seen) == []


@pytest.fixture(scope="module")
def stapi_with_session() -> Iterator[tuple[str, Backend]]:
    """A STAPI server that sets a session cookie on every answer (one for all kinds: each
    case checks only its own credential at the API)."""
    with run_stapi_server(cookie=SECRET) as served:
        yield served


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
async def test_no_credential_goes_with_a_json_reference_elsewhere(
    make_client: Any, kind: Kind, stapi_with_session: tuple[str, Backend]
) -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": AOI}
    url, backend = stapi_with_session
    with scripted_server({"GET /aoi.geojson": [Reply(200, feature)]}) as (other, other_script):
        options = kind.options(url)
        client = make_client(options.pop("url"), **options)
        await call(
            client.create_order(
                {
                    "datetime": "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z",
                    "product_id": "optical",
                    "geometry": {"$ref": f"{other}/aoi.geojson"},
                }
            )
        )
    assert backend.post_headers[-1].get(kind.header) == kind.value  # the API did get it
    assert [s.path for s in other_script.seen] == ["/aoi.geojson"]
    assert leaks(other_script.seen) == []


async def test_credentials_still_go_to_the_api_after_a_hop_elsewhere(make_client: Any) -> None:
    """A redirect chain API → elsewhere → API: the last hop is the API's origin again, so it
    gets the credentials again (they are decided per hop, not stripped for good)."""
    with scripted_server({"GET /orders": [page("x")]}) as (url, script):
        back = f"{url}/orders"
        with scripted_server({"GET /away": [Reply(302, b"", headers={"Location": back})]}) as (
            other,
            other_script,
        ):
            script.routes["GET /start"] = [Reply(302, b"", headers={"Location": f"{other}/away"})]
            client = make_client(url, dialect="stat", headers={"X-Api-Key": SECRET})
            found = await call(client.orders_page(f"{url}/start"))
    assert [o.id for o in found.orders] == ["x"]
    assert leaks(other_script.seen) == []
    assert [s.headers.get("x-api-key") for s in script.seen] == [SECRET, SECRET]


GIVEN = [k for k in KINDS if k.name not in ("cookie", "httpx.Auth")]  # what the client knows


@pytest.mark.parametrize("kind", GIVEN, ids=lambda k: k.name)
async def test_no_credential_shows_in_an_error_or_a_repr(make_client: Any, kind: Kind) -> None:
    """The API echoes the credential into its error body; the message quotes the body."""
    echo = "you sent {h:" + kind.header + "}"
    routes = {"GET /order/x": [Reply(500, echo, "text/plain")]}
    with scripted_server(routes) as (url, script):
        options = kind.options(url)
        client = make_client(options.pop("url"), dialect="stat", **options)
        with pytest.raises(ServerError) as caught:
            await call(client.order("x"))
    assert script.seen[0].headers.get(kind.header) == kind.value  # echoed back to us
    texts = [str(caught.value), repr(caught.value), caught.value.url, repr(client)]
    assert "you sent" in texts[0] and "***" in texts[0]
    assert [t for t in texts if SECRET in t or BASIC in t] == []
