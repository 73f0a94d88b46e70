"""The server under a path prefix, as Binder and JupyterHub reach it through
``jupyter-server-proxy`` (``/user/<name>/proxy/<port>/``) or a reverse proxy with a fixed root
path: every link it writes (landing page, products, orders and their paging, an order, its
status history, the STAPI face) carries the prefix, so following them goes back through the
proxy; a forged prefix header cannot point a link anywhere else. The last test puts a real
Jupyter server with ``jupyter-server-proxy`` in front and pages through it with our client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from stat_widgets.client import StatClient
from stat_widgets.jupyter_proxy import ENV_OVERRIDE, proxy_prefix
from stat_widgets.server.prefix import PathPrefix, clean_prefix

from .bodies import link, order_body


def all_hrefs(value: Any) -> list[str]:
    """Every ``href`` anywhere in a JSON document."""
    if isinstance(value, dict):
        found = [value["href"]] if isinstance(value.get("href"), str) else []
        return found + [h for v in value.values() for h in all_hrefs(v)]
    if isinstance(value, list):
        return [h for v in value for h in all_hrefs(v)]
    return []


def documents(base: str, headers: dict[str, str], path_prefix: str = "") -> list[Any]:
    """The server's documents that carry links, fetched at ``base`` + ``path_prefix``: three
    orders made first, so the order list has a next page."""
    with httpx.Client(base_url=base + path_prefix, headers=headers, timeout=10) as http:
        ids = [http.post("/order", json=order_body()).json()["id"] for _ in range(3)]
        first = http.get("/orders", params={"limit": 2}).json()
        paths = ["/", "/products", "/products/optical-vhr", f"/order/{ids[0]}"]
        paths += [f"/order/{ids[0]}/statuses", "/stapi/", "/stapi/products", "/stapi/orders"]
        answers = [first]
        for path in paths:
            response = http.get(path)
            assert response.status_code == 200, (path, response.text)
            answers.append(response.json())
        return answers


def test_links_carry_the_prefix_a_proxy_forwards(make_stat_server: Callable) -> None:
    server = make_stat_server()
    prefix = f"/user/alice/proxy/{server.port}"
    docs = documents(server.url, {"X-Forwarded-Prefix": prefix})
    hrefs = [h for doc in docs for h in all_hrefs(doc)]
    assert len(hrefs) > 30
    assert [h for h in hrefs if not h.startswith(f"{server.url}{prefix}/")] == []
    assert any(h.endswith("/statuses") for h in hrefs)
    assert any("/stapi/orders" in h for h in hrefs)
    # The same server, asked directly, writes its links without it.
    plain = [h for doc in documents(server.url, {}) for h in all_hrefs(doc)]
    assert plain and all(h.startswith(f"{server.url}/") and prefix not in h for h in plain)


def test_a_fixed_root_path_with_the_prefix_kept_or_stripped(make_stat_server: Callable) -> None:
    """``stat-widgets serve --root-path /stat``: a proxy that keeps the prefix in the path and
    one that strips it reach the same routes, and the client pages by the links it is given."""
    server = make_stat_server(root_path="/stat")
    kept = [h for doc in documents(server.url, {}, "/stat") for h in all_hrefs(doc)]
    stripped = [h for doc in documents(server.url, {}) for h in all_hrefs(doc)]
    for hrefs in (kept, stripped):
        assert hrefs and all(h.startswith(f"{server.url}/stat/") for h in hrefs), hrefs[:5]
    with StatClient(f"{server.url}/stat") as client:
        listed = list(client.orders(limit=2))  # six orders, three pages by "next" links
        assert len(listed) == 6 and len({o.id for o in listed}) == 6
        assert client.order(listed[0].id).id == listed[0].id
        assert client.order_statuses(listed[0].id)


@pytest.mark.parametrize(
    "forged",
    [
        "//evil.example/x",
        "https://evil.example",
        "/a/../b",
        "/a/./b",
        "/a b",
        "/a\\b",
        "/" + "a" * 600,
        "relative/path",
        "/a//b",
        '/a"onclick="x',
    ],
)
def test_a_forged_prefix_is_ignored(make_stat_server: Callable, forged: str) -> None:
    server = make_stat_server()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        landing = http.get("/", headers={"X-Forwarded-Prefix": forged})
    assert landing.status_code == 200
    assert link(landing.json(), "self") == f"{server.url}/"


def test_clean_prefix_and_a_bad_fixed_root_path() -> None:
    assert clean_prefix("/user/alice/proxy/8000/") == "/user/alice/proxy/8000"
    assert clean_prefix("/") == "" and clean_prefix("") == ""
    assert clean_prefix("/user/a%40b/proxy/1") == "/user/a%40b/proxy/1"
    with pytest.raises(ValueError, match="root_path"):
        PathPrefix(lambda *a: None, root_path="stat")


# -- through a real jupyter-server-proxy ---------------------------------------------------------


def test_through_jupyter_server_proxy(
    make_stat_server: Callable, jupyter_server: tuple[str, str]
) -> None:
    """What a browser on Binder does: ``<jupyter>/proxy/<port>/…`` with the Jupyter login. The
    proxy strips the prefix and names it; the links come back through the proxy, and our client
    pages by them (and by nothing else: a link to 127.0.0.1 directly would not be the proxy)."""
    jupyter, token = jupyter_server
    server = make_stat_server()
    base = f"{jupyter}/proxy/{server.port}"
    auth = {"Authorization": f"token {token}"}
    docs = documents(base, auth)
    hrefs = [h for doc in docs for h in all_hrefs(doc)]
    assert hrefs and [h for h in hrefs if not h.startswith(f"{base}/")] == []
    # Following them: the order and its status history, through the proxy.
    order_href = next(h for h in hrefs if "/order/" in h and not h.endswith("/statuses"))
    with httpx.Client(headers=auth, timeout=10) as http:
        assert http.get(order_href).json()["id"] in order_href
        assert http.get(order_href + "/statuses").status_code == 200
        assert http.get(order_href).status_code == 200
        refused = httpx.get(order_href)  # without the Jupyter login the proxy refuses
        assert refused.status_code in (302, 401, 403)
    with StatClient(base, token=token) as client:  # Jupyter takes "Bearer <token>" too
        listed = list(client.orders(limit=2))
    assert len(listed) == 3


@pytest.fixture
def proxied_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """``proxied_at("/proxy/")``: the kernel's Jupyter server serves local ports there (what
    ``JUPYTERHUB_SERVICE_PREFIX`` or the parent server's runtime file tell in a real kernel)."""

    def set_prefix(prefix: str) -> None:
        monkeypatch.setenv(ENV_OVERRIDE, prefix)
        proxy_prefix.cache_clear()

    yield set_prefix
    proxy_prefix.cache_clear()


def test_through_jupyter_server_proxy_under_the_hubs_host_name(
    make_stat_server: Callable,
    jupyter_server: tuple[str, str],
    proxied_at: Callable[[str], None],
) -> None:
    """On a hub the browser names the hub (``Host: hub.example.org``) and jupyter-server-proxy
    passes it on. The embedded server admits that name on requests the proxy forwards from its
    path to this port, so the links work there; the same name asked directly, or with the
    prefix of another path, is still refused (DNS rebinding)."""
    jupyter, token = jupyter_server
    proxied_at("/proxy/")
    server = make_stat_server()
    base = f"{jupyter}/proxy/{server.port}"
    hub = {"Authorization": f"token {token}", "Host": "hub.example.org"}
    hrefs = [h for doc in documents(base, hub) for h in all_hrefs(doc)]
    public = f"http://hub.example.org/proxy/{server.port}/"
    assert hrefs and [h for h in hrefs if not h.startswith(public)] == []

    rebound = {"Host": "hub.example.org"}
    for forged in (None, "/proxy/1", f"/user/x/proxy/{server.port}", "/proxy"):
        headers = rebound if forged is None else {**rebound, "X-Forwarded-Prefix": forged}
        direct = httpx.get(f"{server.url}/orders", headers=headers)
        assert direct.status_code == 421, (forged, direct.text)
        assert direct.json()["errors"][0]["field"] == "Host"


def test_a_server_with_no_proxy_in_front_refuses_the_hubs_name_through_it(
    make_stat_server: Callable,
    jupyter_server: tuple[str, str],
    proxied_at: Callable[[str], None],
) -> None:
    """Outside a proxied kernel (no prefix known), a request with a name nobody configured is
    refused, wherever it comes from; ``allow_host`` is the way to name it."""
    jupyter, token = jupyter_server
    proxied_at("off")
    server = make_stat_server()
    hub = {"Authorization": f"token {token}", "Host": "hub.example.org"}
    url = f"{jupyter}/proxy/{server.port}/orders"
    assert httpx.get(url, headers=hub).status_code == 421
    server.allow_host("hub.example.org")
    assert httpx.get(url, headers=hub).status_code == 200
