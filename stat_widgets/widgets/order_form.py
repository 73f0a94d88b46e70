"""``OrderForm``: compose a valid order in a notebook, review it, submit it once.

The form only gathers the user's values; ``OrderRequest.from_input`` decides validity and the
client sends. Each section shows the messages about its own field (``geometry``, ``product_id``,
``datetime``, ``filter``), whether they come from the models or back from the server, and
nothing the user entered is touched when something fails.

The client is a plain attribute, never a trait: widget traits are saved into the notebook file,
and a client may hold a token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import StatError, TransportError, ValidationError
from stat_widgets.widgets import _html
from stat_widgets.widgets._clients import as_client
from stat_widgets.widgets._errors import ErrorLabel, clear, route_errors
from stat_widgets.widgets.aoi_map import AOIMap
from stat_widgets.widgets.filter_builder import FilterBuilder
from stat_widgets.widgets.interval_picker import IntervalPicker
from stat_widgets.widgets.order_parameters import OrderParametersForm
from stat_widgets.widgets.product_picker import ProductPicker
from stat_widgets.widgets.request_review import RequestReview, order_html, summary_html

if TYPE_CHECKING:  # the client and models load when a form is made, not on import
    from stat_widgets.client import StatClient
    from stat_widgets.models import Order, OrderRequest, Product


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<h4 style='margin: 0.8em 0 0.2em 0'>{_html.escape(text)}</h4>")


def _descendants(root: widgets.Widget) -> list[widgets.Widget]:
    """Every widget inside ``root`` (children of boxes and tabs, and the map's layers and
    controls), deepest first."""
    found: list[widgets.Widget] = []
    for name in ("children", "layers", "controls"):
        for child in getattr(root, name, ()) or ():
            if isinstance(child, widgets.Widget):
                found += [*_descendants(child), child]
    return found


class OrderForm(widgets.VBox):
    """AOI map, product, interval, filters (and STAPI order parameters), review and submit."""

    #: The validated request as it would be sent, or ``None`` while incomplete or invalid.
    request = traitlets.Instance(
        "stat_widgets.models.order.OrderRequest", allow_none=True, default_value=None
    )
    #: The order the server created on the last successful submission.
    last_order = traitlets.Instance(
        "stat_widgets.models.order.Order", allow_none=True, default_value=None
    )
    #: True while a submission is in flight (the Submit button is disabled meanwhile).
    submitting = traitlets.Bool(False)

    def __init__(
        self,
        client_or_url: StatClient | str,
        *,
        token: str | None = None,
        now: Callable[[], datetime] | None = None,
        basemap: bool = True,
        **kwargs: Any,
    ) -> None:
        self._client, self._owns_client = as_client(client_or_url, token=token)
        self.aoi = AOIMap(basemap=basemap)
        self.product_picker = ProductPicker()
        self.interval = IntervalPicker(**({"now": now} if now is not None else {}))
        self.filters = FilterBuilder()
        self.order_parameters = OrderParametersForm()
        self.review = RequestReview()
        self.reload_button = widgets.Button(
            description="Reload products", icon="refresh", layout=widgets.Layout(width="auto")
        )
        self._parameters_heading = _heading("Order parameters")
        super().__init__(
            [
                _heading("1. Area of interest"),
                self.aoi,
                _heading("2. Product"),
                widgets.HBox([self.product_picker, self.reload_button]),
                _heading("3. Time interval"),
                self.interval,
                _heading("4. Filters (all must hold)"),
                self.filters,
                self._parameters_heading,
                self.order_parameters,
                _heading("5. Review and submit"),
                self.review,
            ],
            **kwargs,
        )
        self.add_class("stat-widgets-order-form")
        self._pending_key: str | None = None
        self._pending_body: dict[str, Any] | None = None
        self._submitted_body: dict[str, Any] | None = None
        self._result_is_failure = False

        for widget, names in (
            (self.aoi, ["geometry", "error"]),
            (self.interval, ["value", "error"]),
            (self.filters, ["value", "error"]),
            (self.order_parameters, ["value", "error"]),
        ):
            widget.observe(lambda _c: self._update(), names=names)
        self.product_picker.observe(self._on_product, names="value")
        self.review.submit_button.on_click(self._on_submit_click)
        self.reload_button.on_click(lambda _b: self.reload_products())
        self._show_parameters(None)
        self.reload_products()
        self._update()

    # -- public --------------------------------------------------------------------------------

    @property
    def client(self) -> StatClient:
        return self._client

    @property
    def idempotency_key(self) -> str | None:
        """The key the next submission of the current request will carry (kept across a retry
        after a failure, renewed once the request changes or an order was created)."""
        return self._pending_key

    def reload_products(self) -> list[Product]:
        """Ask the server for its products again (after a connection problem, for example)."""
        try:
            products = self._client.products()
        except StatError as exc:
            self.product_picker.error = f"Could not list the server's products: {exc}"
            return []
        self.product_picker.error = ""
        self.product_picker.products = products
        if self._is_stapi():
            # STAPI servers refuse open intervals; say so before the user picks one.
            self.interval.open_end.value = False
            self.interval.open_end.disabled = True
            self.interval.open_end.description = "Open end (not supported by this STAPI server)"
        return products

    def submit(self) -> Order:
        """Send the current request once and return the created order.

        Raises ``ValidationError`` when there is no valid request or the server refuses it (its
        messages are shown next to the fields), ``TransportError``/``APIError`` when it could not
        be delivered (shown under the button; submitting again reuses the idempotency key, so a
        retry can never create a second order).
        """
        if self.submitting:
            raise RuntimeError("a submission is already in flight; wait for its result")
        request = self.request
        if request is None:
            raise ValidationError(self._why_no_request())
        body = self._body(request)
        key = self._key_for(body)
        self.submitting = True
        self.review.result.value = _html.muted("Submitting…")
        clear([*self._feedback_labels().values(), self.review.error_label])
        try:
            order = self._client.create_order(request, idempotency_key=key, **self._extra())
        except ValidationError as exc:
            route_errors(exc, self._feedback_labels(), self.review.error_label)
            self._show_failure(
                "The order was not accepted; see the messages next to the fields. "
                "Your input is kept."
            )
            raise
        except TransportError as exc:
            self._show_failure(
                f"The order could not be submitted: {exc}. Your input is kept; submit again to "
                "retry (with the same idempotency key, so it cannot be created twice)."
            )
            raise
        except StatError as exc:
            self._show_failure(f"The server refused the order: {exc}. Your input is kept.")
            raise
        finally:
            self.submitting = False
        self._pending_key = None
        self._pending_body = None
        self._submitted_body = body
        self.last_order = order
        self._result_is_failure = False
        self.review.result.value = order_html(order)
        self._refresh_button()
        return order

    def _show_failure(self, message: str) -> None:
        self._result_is_failure = True
        self.review.result.value = _html.error(message)

    def close(self) -> None:
        """Close the form, every widget in it, and the client if the form created it."""
        if getattr(self, "_owns_client", False):
            self._client.close()
        for child in _descendants(self):
            child.close()
        super().close()

    # -- internals -----------------------------------------------------------------------------

    def _is_stapi(self) -> bool:
        try:
            return self._client.dialect == "stapi"
        except StatError:
            return False

    def _on_product(self, change: dict[str, Any]) -> None:
        product: Product | None = change["new"]
        self.aoi.max_area_km2 = product.max_area_km2 if product else None
        self.aoi.max_vertices = product.max_vertices if product else None
        self.aoi.accept_points = product.accepts_points if product else False
        self.filters.fields = product.fields if product else None
        self._show_parameters(product)
        self._update()

    def _show_parameters(self, product: Product | None) -> None:
        schema = product.order_parameters if product is not None else None
        self.order_parameters.schema = schema
        shown = product is not None and len(product.order_fields) > 0
        for widget in (self._parameters_heading, self.order_parameters):
            widget.layout.display = None if shown else "none"

    def _feedback_labels(self) -> dict[str, ErrorLabel]:
        return {
            "geometry": self.aoi.feedback,
            "product_id": self.product_picker.feedback,
            "datetime": self.interval.feedback,
            "filter": self.filters.feedback,
            "order_parameters": self.order_parameters.feedback,
        }

    def _waiting_for(self) -> list[str]:
        waiting = []
        if self.aoi.geometry is None and not self.aoi.error:
            waiting.append("an area of interest")
        if self.product_picker.value is None:
            waiting.append("a product")
        if self.interval.value is None and not self.interval.error:
            waiting.append("a time interval")
        return waiting

    def _local_errors(self) -> list[str]:
        sections = (
            ("area", self.aoi),
            ("interval", self.interval),
            ("filter", self.filters),
            ("order parameters", self.order_parameters),
        )
        return [f"{name}: {w.error}" for name, w in sections if w.error]

    def _why_no_request(self) -> str:
        waiting, errors = self._waiting_for(), self._local_errors()
        if waiting:
            return "the order is incomplete: still needed " + ", ".join(waiting)
        if errors:
            return "the order is not valid: " + "; ".join(errors)
        messages = [
            label.message
            for label in [*self._feedback_labels().values(), self.review.error_label]
            if label.message
        ]
        return "the order is not valid: " + ("; ".join(messages) or "see the form")

    def _update(self) -> None:
        """Rebuild the request from the sections' values after any change."""
        from stat_widgets.models import OrderRequest

        clear([*self._feedback_labels().values(), self.review.error_label])
        if self._result_is_failure:  # about a request that no longer exists
            self._result_is_failure = False
            self.review.result.value = ""
        product = self.product_picker.value
        request: OrderRequest | None = None
        if product is not None and not self._waiting_for() and not self._local_errors():
            data: dict[str, Any] = {
                "datetime": self.interval.value,
                "product_id": product.id,
                "geometry": self.aoi.geometry,
            }
            if self.filters.value is not None:
                data["filter"] = self.filters.value
            try:
                request = OrderRequest.from_input(data, product=product)
            except ValidationError as exc:
                route_errors(exc, self._feedback_labels(), self.review.error_label)
        self.request = request
        self.review.show_request(
            request,
            summary=summary_html(
                product=product,
                geometry=self.aoi.geometry,
                area_km2=self.aoi.area_km2,
                vertices=self.aoi.vertices,
                interval=self.interval.value,
                filter_json=self.filters.value,
            ),
        )
        self._refresh_button()

    def _extra(self) -> dict[str, Any]:
        """Keyword arguments for ``create_order`` beyond the request (STAPI order parameters)."""
        if self.order_parameters.layout.display == "none":
            return {}
        return {"order_parameters": dict(self.order_parameters.value)}

    def _body(self, request: OrderRequest) -> dict[str, Any]:
        """What identifies one submission: the wire body and any order parameters."""
        return {**request.model_dump(mode="json"), **self._extra()}

    def _key_for(self, body: dict[str, Any]) -> str:
        if self._pending_key is None or self._pending_body != body:
            self._pending_key = str(uuid.uuid4())
            self._pending_body = body
        return self._pending_key

    @traitlets.observe("submitting")
    def _on_submitting(self, _change: object) -> None:
        self._refresh_button()

    def _refresh_button(self) -> None:
        request = self.request
        already = request is not None and self._body(request) == self._submitted_body
        self.review.submit_button.disabled = request is None or self.submitting or already
        if self.submitting:
            status = "Submitting…"
        elif already:
            status = "This order was submitted. Change anything to place another one."
        elif request is None:
            waiting = self._waiting_for()
            status = (
                "Still needed: " + ", ".join(waiting) + "."
                if waiting
                else "Fix the messages above to submit."
            )
        else:
            status = ""
        self.review.status.value = _html.muted(status)

    def _on_submit_click(self, _button: widgets.Button) -> None:
        # A click queued while the button was disabling (a double click) finds it disabled.
        if self.review.submit_button.disabled or self.submitting:
            return
        try:
            self.submit()
        except StatError:
            pass  # already shown next to the fields or under the button


__all__ = ["OrderForm"]
