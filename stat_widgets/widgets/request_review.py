"""The last section of the form: what will be sent, and the Submit button.

The preview is ``request.model_dump(mode="json")``, the exact body the client sends; the summary
restates it in words. Server answers (order id, status, link, errors) are shown escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets._form_parts import summary_of
from stat_widgets.widgets._lifecycle import ClosesTree, ShowsWhenFilled
from stat_widgets.widgets.reasons import ReasonList

if TYPE_CHECKING:  # the models (pydantic, cql2) load where they are used
    from stat_widgets.models import Order, OrderRequest, Product, TimeInterval


def summary_html(
    *,
    product: Product | None,
    geometry: dict[str, Any] | None,
    area_km2: float | None,
    vertices: int | None,
    interval: TimeInterval | None,
    filter_json: dict[str, Any] | None,
) -> str:
    """Product, area, interval and filter in words; "—" for what is not chosen yet."""
    from stat_widgets.models import filter_to_text

    area = "—"
    if geometry is not None:
        area = f"{geometry.get('type', '')}, {vertices} vertices, {area_km2:,.2f} km²"
    rows = [
        ("Product", (product.title or product.id) if product else "—"),
        ("Area", area),
        ("Interval", str(interval) if interval is not None else "—"),
        ("Filter", filter_to_text(filter_json) if filter_json else "none"),
    ]
    body = "".join(
        f"<tr><th style='text-align:left; padding-right:1em'>{_html.escape(k)}</th>"
        f"<td>{_html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{body}</table>"


def sections_summary_html(sections: list[Any]) -> str:
    """The request in words, one row per section (title, value in words)."""
    rows = [(s.title, summary_of(s)) for s in sections]
    body = "".join(
        f"<tr><th style='text-align:left; padding-right:1em'>{_html.escape(k)}</th>"
        f"<td>{_html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{body}</table>"


def status_text(*, submitting: bool, already: bool, ready: bool, missing: list[str]) -> str:
    """The line beside the Submit button."""
    if submitting:
        return "Submitting…"
    if already:
        return "This order was submitted. Change anything to place another one."
    if ready:
        return ""
    if missing:
        return "Still needed: " + ", ".join(missing) + "."
    return "Not ready to submit: fix what is listed below (click one to see it)."


def order_html(order: Order, *, previous: bool = False) -> str:
    """The server's answer to a submission: id, status and a link to the order; labelled
    "Previous order" once the request on the form is no longer the one submitted."""
    from stat_widgets.models import find_link

    link = find_link(order.links, "self") or (order.links[0] if order.links else None)
    lead = (
        _html.text("Previous order (not the request above): ", style=_html.MUTED_STYLE)
        if previous
        else _html.text("Order submitted. ", style=_html.SUCCESS_STYLE)
    )
    parts = [
        lead,
        "Id: ",
        _html.inline_code(order.id),
        " · status: ",
        f"<b>{_html.escape(order.status)}</b>",
    ]
    if link is not None:
        parts += [" · ", _html.link(link.href, "open the order")]
    return "".join(parts)


class RequestReview(ShowsWhenFilled, ClosesTree, widgets.VBox):
    """Summary, JSON preview, Submit button and the result of the last submission."""

    def __init__(self, *, first: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """``first``: what it shows when made (``request_look`` and ``state_look`` merged), in
        its widgets' creation messages rather than in updates after them."""
        look = {**_EMPTY, **(first or {})}
        self.summary = _shared.html(look["summary"])
        #: The exact body under its label, or why there is none (one widget: they change together).
        self.preview = _shared.html(look["preview"])
        self.status = _shared.html(look["status"])
        self.submit_button = _shared.button(
            description="Submit order",
            icon="paper-plane",
            button_style="primary",
            disabled=look["disabled"],
            tooltip="Submit the order shown above",
        )
        self.result = _shared.optional_html()
        #: What stops the order, each item a link that shows its section.
        self.reasons = ReasonList(items=look["items"], **_shared.text_look())
        #: Errors that name no field of the form (the server's general complaints).
        self.error_label = ErrorLabel()
        content = [
            self.summary,
            self.preview,
            _shared.hbox([self.submit_button, self.status]),
            self.reasons,
            self.error_label,
            self.result,
        ]
        optional = (self.reasons, self.error_label, self.result)
        super().__init__(self._shown_when_filled(content, *optional), **kwargs)

    @staticmethod
    def request_look(
        request: OrderRequest | None,
        *,
        summary: str,
        why_not: str = "",
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """What ``show_request`` shows, by the names ``first`` takes."""
        if request is not None:
            shown = body if body is not None else request.model_dump(mode="json")
            preview = _html.text("Request body to be sent:") + _html.request_block(shown)
        else:
            preview = _html.muted(f"No request yet: {why_not or 'see the form'}.")
        return {"summary": summary, "preview": preview}

    @staticmethod
    def state_look(
        *,
        ready: bool,
        submitting: bool,
        already: bool,
        missing: list[str],
        reasons: list[dict[str, str]],
    ) -> dict[str, Any]:
        """What ``show_state`` shows, by the names ``first`` takes."""
        status = status_text(submitting=submitting, already=already, ready=ready, missing=missing)
        return {
            "disabled": not ready or submitting or already,
            "status": _html.muted(status),
            "items": [] if ready or submitting else reasons,
        }

    def show_request(
        self,
        request: OrderRequest | None,
        *,
        summary: str,
        why_not: str = "",
        body: dict[str, Any] | None = None,
    ) -> None:
        """Show the summary (built by the form from its sections) and the exact body (``body``
        when the form sends another than the request's own: a chosen opportunity's), or, while
        there is none, why not (``why_not``, in words)."""
        look = self.request_look(request, summary=summary, why_not=why_not, body=body)
        self.summary.value = look["summary"]
        self.preview.value = look["preview"]

    def show_state(
        self,
        *,
        ready: bool,
        submitting: bool,
        already: bool,
        missing: list[str],
        reasons: list[dict[str, str]],
    ) -> None:
        """Where the form stands, beside and under the Submit button: enabled only for a ready
        request not yet ordered and not in flight; the reason list (``{"text", "target"}``
        items) only while the request is not ready."""
        look = self.state_look(
            ready=ready, submitting=submitting, already=already, missing=missing, reasons=reasons
        )
        self.submit_button.disabled = look["disabled"]
        self.status.value = look["status"]
        self.reasons.items = look["items"]


def unready_look(
    summary: str, why_not: str, missing: list[str], reasons: list[dict[str, str]]
) -> dict[str, Any]:
    """``RequestReview(first=...)`` for a form with no request yet and nothing ordered."""
    return {
        **RequestReview.request_look(None, summary=summary, why_not=why_not),
        **RequestReview.state_look(
            ready=False, submitting=False, already=False, missing=missing, reasons=reasons
        ),
    }


#: What a review made on its own shows until told otherwise.
_EMPTY: dict[str, Any] = {"summary": "", "preview": "", "status": "", "disabled": True, "items": []}


__all__ = [
    "RequestReview",
    "order_html",
    "sections_summary_html",
    "status_text",
    "summary_html",
    "unready_look",
]
