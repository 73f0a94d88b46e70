"""Links from the kernel's loopback, made openable for the user's browser: behind a JupyterHub
(Binder) or a Jupyter server with ``jupyter-server-proxy``, the embedded server's links (an
order's "open the order", its status history) go through ``<base_url>proxy/<port>/``; remote
providers' links and any link elsewhere stay as they are."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from stat_widgets.server import EmbeddedServer
from stat_widgets.widgets import OrderBrowser, OrderForm
from stat_widgets.widgets._html import link
from stat_widgets.widgets._proxy import ENV_OVERRIDE, browser_url, proxy_prefix

from .test_order_form import fill, port_of

pytest.importorskip("jupyter_server_proxy")  # a dev dependency, as on Binder


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The environment a kernel sees, with the prefix read afresh before and after."""
    for name in (ENV_OVERRIDE, "JUPYTERHUB_SERVICE_PREFIX", "JPY_PARENT_PID"):
        monkeypatch.delenv(name, raising=False)
    proxy_prefix.cache_clear()
    yield monkeypatch
    proxy_prefix.cache_clear()


def test_on_a_hub_the_order_link_goes_through_the_proxy(
    env: pytest.MonkeyPatch, make_form: Callable[..., OrderForm], stat_url: str
) -> None:
    env.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/alice/")
    form = make_form(stat_url)
    fill(form)
    order = form.submit()
    port = port_of(stat_url)
    assert f'href="/user/alice/proxy/{port}/order/{order.id}"' in form.review.result.value
    assert "127.0.0.1" not in form.review.result.value


def test_the_status_history_link_in_the_order_browser(
    env: pytest.MonkeyPatch,
    make_form: Callable[..., OrderForm],
    make_browser: Callable[..., OrderBrowser],
    stat_url: str,
) -> None:
    env.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/bob/")
    form = make_form(stat_url)
    fill(form)
    order = form.submit()
    browser = make_browser(stat_url)
    browser.select(order.id)
    details = browser.details.html.value
    port = port_of(stat_url)
    assert f'href="/user/bob/proxy/{port}/order/{order.id}/statuses"' in details
    assert f'href="/user/bob/proxy/{port}/order/{order.id}"' in details


def test_the_running_jupyter_server_that_started_the_kernel(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No hub: the base URL of the Jupyter server whose process started this kernel
    (``JPY_PARENT_PID``), from the runtime file every Jupyter server writes."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    info = {"base_url": "/lab-base/", "pid": os.getpid(), "port": 8888, "url": "http://x/"}
    info.update(hostname="localhost", secure=False, token="", root_dir=str(tmp_path))
    (runtime / f"jpserver-{os.getpid()}.json").write_text(json.dumps(info))
    env.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    env.setenv("JPY_PARENT_PID", str(os.getpid()))
    assert proxy_prefix() == "/lab-base/proxy/"
    assert browser_url("http://127.0.0.1:8123/orders?limit=5#x") == (
        "/lab-base/proxy/8123/orders?limit=5#x"
    )
    proxy_prefix.cache_clear()
    env.setenv("JPY_PARENT_PID", "1")  # started by something else: links stay as they are
    assert proxy_prefix() is None
    assert browser_url("http://127.0.0.1:8123/orders") == "http://127.0.0.1:8123/orders"


@pytest.mark.parametrize(
    "href",
    [
        "https://tasking.example.com/order/1",  # a remote provider
        "http://127.0.0.1/order/1",  # no port: nothing to proxy to
        "http://10.0.0.5:8000/order/1",  # another machine
        "ftp://127.0.0.1:21/x",
        "http://127.0.0.1:99999/x",  # not a port
    ],
)
def test_other_links_are_left_alone(env: pytest.MonkeyPatch, href: str) -> None:
    env.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/alice/")
    assert browser_url(href) == href


def test_the_override_and_off(env: pytest.MonkeyPatch) -> None:
    env.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/alice/")
    env.setenv(ENV_OVERRIDE, "/custom/proxy")
    assert browser_url("http://localhost:8000/x") == "/custom/proxy/8000/x"
    proxy_prefix.cache_clear()
    env.setenv(ENV_OVERRIDE, "off")
    assert browser_url("http://localhost:8000/x") == "http://localhost:8000/x"
    # A hostile href is still only ever text or an escaped http(s) link.
    assert "href" not in link("javascript:alert(1)", "x")


def test_the_order_link_opens_through_a_real_proxy_under_the_hubs_name(
    env: pytest.MonkeyPatch,
    make_form: Callable[..., OrderForm],
    make_stat_server: Callable[..., EmbeddedServer],
    jupyter_server: tuple[str, str],
) -> None:
    """The link the form writes, opened as the browser on a hub would: through a real
    jupyter-server-proxy, with the Jupyter login and the hub's ``Host``. The embedded server's
    Host check lets it through (it knows its path behind the proxy) and the order is there."""
    jupyter, token = jupyter_server
    env.setenv(ENV_OVERRIDE, "/proxy/")
    server = make_stat_server()
    form = make_form(server.url)
    fill(form)
    order = form.submit()
    href = f"/proxy/{server.port}/order/{order.id}"
    assert f'href="{href}"' in form.review.result.value
    hub = {"Authorization": f"token {token}", "Host": "hub.example.org"}
    opened = httpx.get(f"{jupyter}{href}", headers=hub, timeout=10)
    assert opened.status_code == 200, opened.text
    assert opened.json()["id"] == order.id
    self_link = next(x["href"] for x in opened.json()["links"] if x["rel"] == "self")
    assert self_link == f"http://hub.example.org{href}"
