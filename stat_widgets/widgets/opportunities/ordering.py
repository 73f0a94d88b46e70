"""Ordering the chosen window from the form: what the review shows and what Submit sends.

``create_order(opportunity)`` orders exactly the window: through the opportunity's own
``create-order`` link when it has one (its method and body, with the product's order
parameters added), else as the order request of its product, window, footprint and the
search's filter. ``order_body`` is that body, so the review shows what will be sent and the
form's idempotency key follows it: another window is another order, the same window submitted
again after a failure is the same one.
"""

from __future__ import annotations

from typing import Any

from stat_widgets.errors import ValidationError
from stat_widgets.models import Opportunity, OrderRequest, Product, validate_order_parameters
from stat_widgets.widgets.opportunities.rows import window_text, zone


def order_body(
    opportunity: Opportunity,
    order_parameters: dict[str, Any] | None = None,
    product: Product | None = None,
) -> dict[str, Any]:
    """The body ``client.create_order(opportunity, order_parameters=...)`` sends (with the
    product's defaults filled in, as the client does, when ``product`` is given)."""
    link = opportunity.link("create-order")
    if link is not None and isinstance(link.body, dict):
        body = dict(link.body)
        given = {**(body.get("order_parameters") or {}), **(order_parameters or {})}
        if product is not None:
            try:
                given = validate_order_parameters(given, product.order_parameters or {})
            except ValidationError:
                pass  # the client will say so, next to the fields
        body["order_parameters"] = given
        return body
    body = opportunity.order_request().model_dump(mode="json")
    if order_parameters:
        body["order_parameters"] = dict(order_parameters)
    return body


def order_request(opportunity: Opportunity) -> OrderRequest:
    """The request the chosen window makes (its product, window, footprint and filter)."""
    return opportunity.order_request()


def chosen_line(opportunity: Opportunity, time_zone: str = "UTC") -> str:
    """ "Order this opportunity: <window>" as plain text (escaped where it becomes HTML)."""
    return f"Order this opportunity: {window_text(opportunity, zone(time_zone))}"


__all__ = ["chosen_line", "order_body", "order_request"]
