"""Links a person can open: a server on the kernel's loopback, seen from the user's browser.

On Binder or JupyterHub the kernel runs in a container: the embedded server's links
(``http://127.0.0.1:8000/order/…``) name the container's loopback, which the user's browser
cannot reach. ``jupyter-server-proxy`` (in ``binder/requirements.txt``) serves every local port
under the Jupyter server's own address: ``<base_url>proxy/8000/order/…``, with the user's
Jupyter login. ``browser_url`` turns a loopback link into that path (path-absolute, so it is on
the page's own origin, https included) when the notebook runs behind such a server; every other
link is left as it is. The server writes its links with the prefix the proxy names
(``server/prefix.py``), so the pages it serves there link on through the proxy too.

The Jupyter server's base URL is ``JUPYTERHUB_SERVICE_PREFIX`` on a hub (Binder is one), else
that of the running Jupyter server that started this kernel (``JPY_PARENT_PID``), read from its
runtime file. ``STAT_WIDGETS_PROXY_PREFIX`` overrides both (``/user/alice/proxy/``; ``off``
keeps loopback links as they are).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from urllib.parse import urlsplit

ENV_OVERRIDE = "STAT_WIDGETS_PROXY_PREFIX"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _running_server_base_url(parent_pid: str) -> str | None:
    """The ``base_url`` of the Jupyter server whose process started this kernel."""
    if not parent_pid.isdigit() or importlib.util.find_spec("jupyter_server") is None:
        return None
    from jupyter_server.serverapp import list_running_servers

    try:
        for info in list_running_servers():
            if str(info.get("pid")) == parent_pid:
                return str(info.get("base_url") or "/")
    except (OSError, ValueError):
        return None
    return None


@functools.cache
def proxy_prefix() -> str | None:
    """``<base_url>proxy/`` of the Jupyter server in front of this kernel when it serves local
    ports (``jupyter-server-proxy`` installed), else ``None``. Read once per kernel."""
    override = os.environ.get(ENV_OVERRIDE)
    if override is not None:
        override = override.strip()
        return None if override.lower() in ("", "off", "0", "false") else override.rstrip("/") + "/"
    if importlib.util.find_spec("jupyter_server_proxy") is None:
        return None
    base = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or _running_server_base_url(
        os.environ.get("JPY_PARENT_PID", "")
    )
    if base is None:
        return None
    return "/" + base.strip("/") + "/proxy/" if base.strip("/") else "/proxy/"


def browser_url(href: str) -> str:
    """``href`` as the user's browser can open it: a loopback ``http(s)`` URL with a port goes
    through the Jupyter server's proxy when there is one; anything else is unchanged."""
    prefix = proxy_prefix()
    if prefix is None:
        return href
    try:
        parts = urlsplit(href)
        port = parts.port
    except ValueError:
        return href
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK or port is None:
        return href
    path = f"{prefix}{port}{parts.path or '/'}"
    return (
        path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


__all__ = ["ENV_OVERRIDE", "browser_url", "proxy_prefix"]
