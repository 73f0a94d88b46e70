"""The one place where text becomes HTML.

Every ``HTML`` widget in this package is filled through these helpers, so that a product title,
order id or server message such as ``<img src=x onerror=alert(1)>`` is shown as text, never run.
Colours come from JupyterLab's ``--jp-*`` CSS variables so the widgets follow the light and dark
themes.
"""

from __future__ import annotations

import html
import json
from typing import Any

from stat_widgets.widgets._proxy import browser_url

ERROR_STYLE = "color: var(--jp-error-color1, #d32f2f);"
MUTED_STYLE = "color: var(--jp-ui-font-color2, #616161);"
SUCCESS_STYLE = "color: var(--jp-success-color1, #388e3c);"
INLINE_CODE_STYLE = (
    "font-family: var(--jp-code-font-family, monospace); font-size: var(--jp-code-font-size, 13px);"
)
CODE_STYLE = (
    "font-family: var(--jp-code-font-family, monospace);"
    " font-size: var(--jp-code-font-size, 13px);"
    " background: var(--jp-layout-color2, transparent);"
    " color: var(--jp-content-font-color1, inherit);"
    " padding: 4px; margin: 0; white-space: pre-wrap; word-break: break-all;"
)


def escape(value: object) -> str:
    """Text (anything ``str()``-able) made safe to place inside an HTML element or attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def text(value: object, *, style: str = "") -> str:
    """A ``<span>`` holding ``value`` as plain text, optionally styled."""
    attr = f' style="{escape(style)}"' if style else ""
    return f"<span{attr}>{escape(value)}</span>"


def error(message: object) -> str:
    """An error message in the theme's error colour; empty input gives an empty string so that
    an error area collapses when there is nothing to say."""
    return text(message, style=ERROR_STYLE) if message else ""


def muted(message: object) -> str:
    return text(message, style=MUTED_STYLE) if message else ""


def inline_code(value: object) -> str:
    return text(value, style=INLINE_CODE_STYLE)


def code_block(value: Any) -> str:
    """A ``<pre>`` with ``value`` as indented JSON (or as text when it is already a string)."""
    body = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    return f'<pre style="{escape(CODE_STYLE)}">{escape(body)}</pre>'


def request_block(body: dict[str, Any]) -> str:
    """A request body as valid JSON with one line per field, so that a footprint's hundreds of
    coordinates take one wrapped line instead of a screenful."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in body.items()]
    return code_block("{\n" + ",\n".join(lines) + "\n}")


def link(href: object, label: object) -> str:
    """A link that opens in a new tab; only http(s) targets become clickable, anything else
    (``javascript:`` from a hostile server) is shown as text. A server on the kernel's loopback
    is linked through the Jupyter server's proxy when there is one (``_proxy.browser_url``)."""
    target = str(href or "")
    if not target.lower().startswith(("http://", "https://")):
        return text(label or target)
    return (
        f'<a href="{escape(browser_url(target))}" target="_blank" rel="noopener noreferrer">'
        f"{escape(label or target)}</a>"
    )


__all__ = [
    "code_block",
    "error",
    "escape",
    "inline_code",
    "link",
    "muted",
    "request_block",
    "text",
]
