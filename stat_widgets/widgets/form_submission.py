"""``Submission``: what an ``OrderForm`` remembers about sending its request, and what the
result line under the Submit button says about it.

A submission is known by its body (the wire body and any order parameters, or the body that
orders a chosen window). Its idempotency key belongs to that body: kept across a retry after a
failure, so a retry can never create a second order, and renewed once the body changes or an
order was created. The body last ordered keeps Submit from ordering the same request twice, in
this session or after a draft that records it is restored. The result line shows a failure
until the request changes, and otherwise the last order, labelled "Previous order" once the
request on the form is no longer the one submitted.

This holds no widget of its own and no client: the form passes the call that creates the order
and the labels the server's messages go to, so the rules above are plain Python.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stat_widgets.errors import StatError, TransportError, ValidationError
from stat_widgets.widgets import _html
from stat_widgets.widgets._errors import ErrorLabel, clear, route_errors
from stat_widgets.widgets.request_review import RequestReview, order_html

if TYPE_CHECKING:  # pydantic loads with the first order, not with the form's import
    from stat_widgets.models import Order

#: An order id read back from a draft is cut to this many characters (the file is hostile).
_MAX_ORDER_ID = 200


class Submission:
    """The idempotency key, the body last ordered and the result line of one form."""

    def __init__(self, review: RequestReview) -> None:
        self.review = review
        #: The key the next submission of ``pending_body`` carries (``None`` before the first).
        self.pending_key: str | None = None
        self.pending_body: dict[str, Any] | None = None
        #: The body of the last order created (or restored from the draft as already ordered).
        self.submitted_body: dict[str, Any] | None = None
        #: Whether the result line shows a failure (about the request on the form).
        self.failed = False

    def key_for(self, body: dict[str, Any]) -> str:
        """The idempotency key for ``body``: the pending one while the body is the same."""
        if self.pending_key is None or self.pending_body != body:
            self.pending_key = str(uuid.uuid4())
            self.pending_body = body
        return self.pending_key

    def already(self, body: dict[str, Any]) -> bool:
        """Whether ``body`` is the one last ordered (Submit stays disabled for it)."""
        return body == self.submitted_body

    def send(self, create: Callable[[], Order], labels: dict[str, ErrorLabel]) -> Order:
        """Call ``create`` once and return its order; a failure is shown under the button (the
        server's messages about fields in ``labels``, the rest in the review's error label) and
        raised again."""
        self.review.result.value = _html.muted("Submitting…")
        clear([*labels.values(), self.review.error_label])
        try:
            return create()
        except ValidationError as exc:
            route_errors(exc, labels, self.review.error_label)
            self.fail(
                "The order was not accepted; see the messages next to the fields. "
                "Your input is kept."
            )
            raise
        except TransportError as exc:
            self.fail(
                f"The order could not be submitted: {exc}. Your input is kept; submit again to "
                "retry (with the same idempotency key, so it cannot be created twice)."
            )
            raise
        except StatError as exc:
            self.fail(f"The server refused the order: {exc}. Your input is kept.")
            raise

    def succeeded(self, body: dict[str, Any]) -> None:
        """``body`` was ordered: the next submission needs a new key, and not this body."""
        self.pending_key = None
        self.pending_body = None
        self.submitted_body = body
        self.failed = False

    def fail(self, message: str) -> None:
        self.failed = True
        self.review.result.value = _html.error(message)

    def clear_failure(self) -> None:
        """The request changed: a failure shown was about one that no longer exists."""
        if self.failed:
            self.failed = False
            self.review.result.value = ""

    def forget(self) -> None:
        """The form was emptied (a discarded draft): nothing was ordered from it."""
        self.submitted_body = None
        self.review.result.value = ""

    def show_order(self, order: Order | None, *, previous: bool, submitting: bool) -> None:
        """The last order under the button, as "Previous order" when ``previous`` (the request
        changed since); a failure or a submission in flight keeps the line as it is."""
        if order is not None and not self.failed and not submitting:
            self.review.result.value = order_html(order, previous=previous)

    def record(self, order: Order | None) -> dict[str, Any] | None:
        """What the draft keeps about the last order (``None`` when nothing was ordered)."""
        if order is None or self.submitted_body is None:
            return None
        return {"order_id": order.id, "body": self.submitted_body}

    def restore(
        self, record: Any, body: dict[str, Any], fetch: Callable[[str], Order]
    ) -> Order | None:
        """A draft's ``record`` (hostile: read from a file) of an order made from ``body``:
        remember the body as ordered, and return the order as the server knows it now
        (``fetch(order_id)``), or ``None`` when the record is for another body or the server
        does not answer (the line then says the request was ordered before)."""
        if not isinstance(record, dict) or record.get("body") != body:
            return None
        self.submitted_body = body
        order_id = record.get("order_id")
        if not isinstance(order_id, str) or not order_id:
            return None
        order_id = order_id[:_MAX_ORDER_ID]
        try:
            return fetch(order_id)
        except StatError:
            self.review.result.value = _html.muted(
                f"This request was ordered before (order {order_id})."
            )
            return None


__all__ = ["Submission"]
