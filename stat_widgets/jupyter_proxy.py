"""Where the Jupyter server in front of this kernel serves local ports, if it does.

On Binder or JupyterHub the kernel runs in a container and the user's browser elsewhere;
``jupyter-server-proxy`` serves every local port at ``<base_url>proxy/<port>/`` behind the
user's Jupyter login. Two sides need that path and read it here, once: the widgets write a
loopback link through it (``widgets/_proxy.py``), and the embedded server admits the requests
that arrive through it although they carry the browser's ``Host`` (``server/hosts.py``).

The Jupyter server's base URL is ``JUPYTERHUB_SERVICE_PREFIX`` on a hub (Binder is one), else
that of the running Jupyter server that started this kernel (``JPY_PARENT_PID``), read from its
runtime file. ``STAT_WIDGETS_PROXY_PREFIX`` overrides both (``/user/alice/proxy/``; ``off``
keeps loopback links as they are). This module imports no layer of the package.
"""

from __future__ import annotations

import functools
import importlib.util
import os

ENV_OVERRIDE = "STAT_WIDGETS_PROXY_PREFIX"


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


def proxied_path(port: int) -> str | None:
    """The path the browser reaches local ``port`` at through the proxy (``/user/alice/proxy/
    8000``, no trailing slash: what the proxy names in ``X-Forwarded-Prefix``), or ``None``."""
    prefix = proxy_prefix()
    return None if prefix is None else f"{prefix}{port}"


__all__ = ["ENV_OVERRIDE", "proxied_path", "proxy_prefix"]
