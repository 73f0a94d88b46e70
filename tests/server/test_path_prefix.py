"""The server under a path prefix, as Binder and JupyterHub reach it through
``jupyter-server-proxy`` (``/user/<name>/proxy/<port>/``) or a reverse proxy with a fixed root
path: every link it writes (landing page, products, orders and their paging, an order, its
status history, the STAPI face) carries the prefix, so following them goes back through the
proxy; a forged prefix header cannot point a link anywhere else. The last test puts a real
Jupyter server with ``jupyter-server-proxy`` in front and pages through it with our client."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from stat_widgets.client import StatClient
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def jupyter_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A Jupyter server on 127.0.0.1 with jupyter-server-proxy (a dev dependency, as on
    Binder), token auth, config and runtime files in ``tmp_path``: ``(url, token)``."""
    pytest.importorskip("jupyter_server_proxy")
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt")
    )
    argv = [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}"]
    argv += ["--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"]
    argv += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
    argv += ["--ServerApp.allow_root=True"]
    log = (tmp_path / "jupyter.log").open("wb")
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status = httpx.get(f"{url}/api/status", headers={"Authorization": f"token {token}"})
                if status.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "jupyter.log").read_text()
            assert time.monotonic() < deadline, "the Jupyter server did not start"
            time.sleep(0.2)
        yield url, token
    finally:
        process.terminate()
        process.wait(20)
        log.close()


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
