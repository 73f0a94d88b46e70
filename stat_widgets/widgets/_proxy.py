"""Links a person can open: a server on the kernel's loopback, seen from the user's browser.

On Binder or JupyterHub the kernel runs in a container: the embedded server's links
(``http://127.0.0.1:8000/order/…``) name the container's loopback, which the user's browser
cannot reach. ``jupyter-server-proxy`` (in ``binder/requirements.txt``) serves every local port
under the Jupyter server's own address: ``<base_url>proxy/8000/order/…``, with the user's
Jupyter login. ``browser_url`` turns a loopback link into that path (path-absolute, so it is on
the page's own origin, https included) when the notebook runs behind such a server; every other
link is left as it is. The server writes its links with the prefix the proxy names
(``server/prefix.py``), so the pages it serves there link on through the proxy too.

Where the proxy serves local ports is read once, in ``stat_widgets.jupyter_proxy`` (the
embedded server reads it too, to admit what comes through it); ``STAT_WIDGETS_PROXY_PREFIX``
overrides it (``off`` keeps loopback links as they are).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from stat_widgets.jupyter_proxy import ENV_OVERRIDE, proxy_prefix

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


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
