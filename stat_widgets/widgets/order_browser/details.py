"""The selected order in full: every field, its links, its request and its status history.

Everything here comes from a server, so all of it goes through ``_html``: an order id or status
of ``<img onerror=...>`` is shown as those characters, and only http(s) links are clickable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from stat_widgets.client import StatClient
from stat_widgets.errors import InvalidResponseError, NotFoundError, StatError
from stat_widgets.models import Opportunity, Order, StatusRecord
from stat_widgets.widgets import _html
from stat_widgets.widgets.order_browser.pager import describe_error
from stat_widgets.widgets.order_browser.status import STATUS_CSS, status_badge
from stat_widgets.widgets.order_browser.table import created_text

# Shown in their own sections, not in the field table.
_SECTIONS = ("links", "request")
_CELL = "padding: 1px 8px 1px 0; vertical-align: top; text-align: left;"
# JupyterLab does not colour links inside HTML widgets; without this they look like text.
LINK_STYLE = "color: var(--jp-content-link-color, #1976d2); text-decoration: underline;"


def _footprint_text(order: Order, footprint: dict) -> str:
    """What the server's footprint is, named rather than dumped (up to a product's vertex
    limit): resolved from a JSON Reference only when the request gave one."""
    request = order.request
    if request is None:
        where = "as the server gave it"
    elif isinstance(request.geometry, dict):
        where = "the order's area"
    else:
        where = "resolved from the request's JSON Reference"
    return f"{footprint.get('type')}, {where} (on the map)"


def _value_html(name: str, value: Any, order: Order) -> str:
    if name == "status":
        return status_badge(value)
    if name == "footprint" and isinstance(value, dict):
        return _html.text(_footprint_text(order, value))
    if isinstance(value, dict | list):
        return _html.inline_code(json.dumps(value, ensure_ascii=False))
    return _html.text("" if value is None else value)


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in cells) + "</tr>"


def fields_html(order: Order) -> str:
    """Every top-level field the server sent (including ones this package does not model)."""
    data = order.model_dump(mode="json")
    data["created"] = created_text(order)
    rows = [
        _row(f"<b>{_html.escape(name)}</b>", _value_html(name, value, order))
        for name, value in data.items()
        if name not in _SECTIONS
    ]
    return "<table>" + "".join(rows) + "</table>"


def links_html(order: Order) -> str:
    if not order.links:
        return _html.muted("The server gave no links for this order.")
    items = []
    for link in order.links:
        label = link.title or link.href
        extra = f" {_html.muted(link.method)}" if link.method.upper() != "GET" else ""
        anchor = _html.link(link.href, label).replace("<a ", f'<a style="{LINK_STYLE}" ', 1)
        items.append(f"<li>{_html.inline_code(link.rel)} {anchor}{extra}</li>")
    return "<ul style='margin: 0;'>" + "".join(items) + "</ul>"


def request_html(order: Order) -> str:
    if order.request is None:
        return _html.muted("The server did not send the request this order was made from.")
    return _html.request_block(order.request.model_dump(mode="json"))


def history_html(statuses: Sequence[StatusRecord] | None, note: str = "") -> str:
    if statuses is None:
        return _html.muted(note or "This server keeps no status history.")
    if not statuses:
        return _html.muted("The status history is empty.")
    rows = [_row("<b>time</b>", "<b>status</b>", "<b>reason</b>")]
    for record in statuses:
        reason = " ".join(x for x in (record.reason_code, record.reason_text) if x)
        rows.append(
            _row(
                _html.text(record.timestamp.strftime("%Y-%m-%d %H:%M:%S")),
                status_badge(record.status),
                _html.text(reason),
            )
        )
    return "<table>" + "".join(rows) + "</table>"


def window_html(order: Order, chosen: Opportunity | None = None) -> str:
    """For an order made from an opportunity: the window it orders, and the satellite and
    angles it was offered with; "" for any other order. The server says so in STAPI's
    ``opportunity_properties``; a server that does not echo them (or a STAT draft server,
    which has no search) still shows the window ``chosen`` when the order was made from it in
    this session (``OrderApp`` remembers it), provided the order's interval is that window."""
    offered = (order.model_extra or {}).get("opportunity_properties")
    window = order.request.datetime if order.request is not None else None
    if isinstance(offered, dict) and offered and window is not None:
        said = ""
    elif chosen is not None and window in (None, chosen.datetime):
        offered, window = chosen.properties, chosen.datetime
        said = " as chosen here (the server does not say)"
    else:
        return ""
    details = []
    for label, names, unit in _OFFERED:
        value = next((offered[n] for n in names if n in offered), None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            details.append(f"{label} {value:.1f}{unit}")
        elif isinstance(value, str):
            details.append(f"{label} {value}")
    text = f"Ordered window: {window}" + (f" ({', '.join(details)})" if details else "") + said
    return f"<p style='margin: 4px 0;'><b>{_html.escape(text)}</b></p>"


_OFFERED = (
    ("satellite", ("platform", "satellite"), ""),
    ("off-nadir", ("view:off_nadir", "off_nadir"), "°"),
    ("sun", ("view:sun_elevation", "sun_elevation"), "°"),
)


def details_html(
    order: Order,
    statuses: Sequence[StatusRecord] | None,
    history_note: str = "",
    chosen: Opportunity | None = None,
) -> str:
    return "".join(
        [
            STATUS_CSS,
            f"<h4 style='margin: 4px 0;'>Order {_html.escape(order.id)}</h4>",
            window_html(order, chosen),
            fields_html(order),
            "<h4 style='margin: 8px 0 2px;'>Links</h4>",
            links_html(order),
            "<h4 style='margin: 8px 0 2px;'>Request</h4>",
            request_html(order),
            "<h4 style='margin: 8px 0 2px;'>Status history</h4>",
            history_html(statuses, history_note),
        ]
    )


def statuses_of(client: StatClient, order_id: str) -> tuple[list[StatusRecord] | None, str]:
    """The history, or ``None`` and why when the server keeps none for this order."""
    try:
        return client.order_statuses(order_id), ""
    except (NotFoundError, InvalidResponseError) as exc:
        return None, f"No status history from this server ({exc})."


class OrderDetails(widgets.VBox):
    """Holds only the one order shown (and its history), never a list of orders."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.add_class("stat-order-details")
        self.html = widgets.HTML(_html.muted("Select an order to see its details."))
        self.order: Order | None = None
        self.statuses: list[StatusRecord] | None = None
        #: order id → the window it was made from in this session (``OrderApp`` fills it)
        self.windows: dict[str, Opportunity] = {}
        self.children = (self.html,)

    def show(
        self, order: Order, statuses: Sequence[StatusRecord] | None, history_note: str = ""
    ) -> None:
        self.order = order
        self.statuses = None if statuses is None else list(statuses)
        self.html.value = details_html(order, statuses, history_note, self.windows.get(order.id))

    def load(self, client: StatClient, order_id: str) -> Order | None:
        """Read ``order_id`` and its history from ``client`` and show them; a failure is shown
        in their place (and ``None`` returned)."""
        try:
            order = client.order(order_id)
            statuses, note = statuses_of(client, order_id)
        except StatError as exc:
            self.show_error(order_id, describe_error(exc))
            return None
        self.show(order, statuses, note)
        return order

    def show_error(self, order_id: str, message: str) -> None:
        """The order could not be fetched: say so, and drop what was shown of another order."""
        self.order, self.statuses = None, None
        self.html.value = (
            f"<h4 style='margin: 4px 0;'>Order {_html.escape(order_id)}</h4>{_html.error(message)}"
        )

    def clear(self) -> None:
        self.order, self.statuses = None, None
        self.html.value = _html.muted("Select an order to see its details.")


__all__ = [
    "OrderDetails",
    "details_html",
    "fields_html",
    "history_html",
    "links_html",
    "statuses_of",
    "window_html",
]
