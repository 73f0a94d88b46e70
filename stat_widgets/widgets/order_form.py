"""``OrderForm``: compose a valid order in a notebook, review it, submit it once.

The form only gathers the user's values; ``OrderRequest.from_input`` decides validity and the
client sends. Each section shows the messages about its own field (``geometry``, ``product_id``,
``datetime``, ``filter``), whether they come from the models or back from the server, and
nothing the user entered is touched when something fails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from stat_widgets._gc import cyclic_gc_paused
from stat_widgets.errors import StatError, ValidationError
from stat_widgets.widgets import _form_parts as parts
from stat_widgets.widgets._clients import client_maker
from stat_widgets.widgets._errors import ErrorLabel, clear, route_errors
from stat_widgets.widgets._lifecycle import close_tree
from stat_widgets.widgets._repr import BriefRepr
from stat_widgets.widgets._traits import LazyInstance
from stat_widgets.widgets.aoi_map import AOIMap
from stat_widgets.widgets.filter_builder import FilterBuilder
from stat_widgets.widgets.form_draft import FormDraft
from stat_widgets.widgets.form_frame import FormFrame
from stat_widgets.widgets.form_sections import (
    AOISection,
    FilterSection,
    IntervalSection,
    OrderParametersSection,
    ProductSection,
    opportunity_section,
)
from stat_widgets.widgets.form_submission import Submission
from stat_widgets.widgets.interval_picker import IntervalPicker
from stat_widgets.widgets.order_parameters import OrderParametersForm
from stat_widgets.widgets.product_picker import ProductPicker
from stat_widgets.widgets.request_review import RequestReview, sections_summary_html, unready_look
from stat_widgets.widgets.section import (
    Section,
    SectionContext,
    SectionFactory,
    as_request_data,
    create_order_keywords,
    make_sections,
)

if TYPE_CHECKING:  # the client (httpx) and the models (pydantic) load with the first form
    from stat_widgets.client import StatClient
    from stat_widgets.models import Opportunity, Order, OrderRequest, Product
    from stat_widgets.widgets.opportunities import OpportunitySection

#: The form's sections, top to bottom. Adding a section is one class (``section.Section``)
#: and one entry here; a subclass may set its own ``SECTIONS``.
SECTIONS: tuple[SectionFactory, ...] = (
    AOISection,
    ProductSection,
    IntervalSection,
    FilterSection,
    OrderParametersSection,
    opportunity_section,
)


class OrderForm(BriefRepr, widgets.VBox):
    """AOI map, product, interval, filters (and STAPI order parameters), review and submit:
    one box per section of ``SECTIONS``, then the review."""

    SECTIONS: tuple[SectionFactory, ...] = SECTIONS
    _brief = (("url", "client.url"), ("product", "product_picker.value.id"))  # _repr.py

    request = LazyInstance(
        "stat_widgets.models.order.OrderRequest",
        allow_none=True,
        default_value=None,
        help="the validated request as it would be sent, or None while incomplete or invalid",
    )
    last_order = LazyInstance(
        "stat_widgets.models.order.Order",
        allow_none=True,
        default_value=None,
        help="the order the server created on the last successful submission",
    )
    submitting = traitlets.Bool(
        False, help="True while a submission is in flight (Submit is disabled meanwhile)"
    )

    @cyclic_gc_paused(until_cell_ends=True)  # no collection before the form is shown (_gc.py)
    def __init__(
        self,
        client_or_url: StatClient | str,
        *,
        token: str | None = None,
        now: Callable[[], datetime] | None = None,
        basemap: bool = True,
        draft: str | None = None,
        drafts_home: str | Path | None = None,
        **kwargs: Any,
    ) -> None:
        """``draft``: a name under which the input is kept (``~/.stat_widgets/drafts/<name>.json``;
        ``drafts_home`` or ``$STAT_WIDGETS_HOME`` instead of ``~/.stat_widgets``), restored now
        and saved on every change."""
        self.context = SectionContext(client_maker(client_or_url, token=token), now, basemap)
        self.sections: list[Section] = make_sections(self.SECTIONS, self.context)
        #: The draft this form restores from and saves to (``None`` without a draft name).
        self.draft = FormDraft(draft, home=drafts_home) if draft is not None else None
        for section in self.sections:  # sections that draw on the AOI map (opportunities)
            if hasattr(section, "use_map"):
                section.use_map(self.aoi.map)
        self._product_section = self.section("product_id")  # the server's products, asked
        self.reload_button = self._product_section.reload_button
        # The sections told the product first: the frame and the review are then made as they
        # first show (numbered, hidden, no request yet), not changed by updates after.
        self._tell_product(show=False)
        #: The sections' headings and boxes, and the review's (``form_frame``).
        self._frame = FormFrame(self.sections)
        summary, why_not = sections_summary_html(self._applying()), self._why_no_request()
        first = unready_look(summary, why_not, self._missing(), self._reason_items())
        self.review = RequestReview(first=first)
        self._frame.add_review(self.review)
        #: The idempotency key, the body last ordered and the result line (``form_submission``).
        self._submission = Submission(self.review)
        top = [self.draft] if self.draft is not None else []
        kwargs.setdefault("_dom_classes", ("stat-widgets-order-form",))
        super().__init__([*top, *self._frame.children], **kwargs)
        self._updating = self._again = False  # _update: running, and asked to run once more
        for section in self.sections:
            section.observe(lambda _c: self._update(), names=["value", "error"])
        self._product_section.observe(self._on_product, names="value")
        self.review.submit_button.on_click(self._on_submit_click)
        self.reload_button.on_click(lambda _b: self.reload_products())
        if self.draft is not None:
            self.draft.discard_button.on_click(lambda _b: self.discard_draft())
            self._restore_draft()
        self._update()

    # -- public --------------------------------------------------------------------------------

    @property
    def client(self) -> StatClient:
        """A plain attribute, never a trait: traits are saved into the notebook, and a client
        may hold a token."""
        return self.context.client

    def section(self, field: str) -> Any:
        """The section that fills ``field`` (``"geometry"``, ``"product_id"``, ...)."""
        for section in self.sections:
            if section.field == field:
                return section
        raise KeyError(f"no section fills {field!r}")

    @property
    def aoi(self) -> AOIMap:
        return self.section("geometry").widget

    @property
    def product_picker(self) -> ProductPicker:
        return self._product_section.picker

    @property
    def interval(self) -> IntervalPicker:
        return self.section("datetime").widget

    @property
    def filters(self) -> FilterBuilder:
        return self.section("filter").widget

    @property
    def order_parameters(self) -> OrderParametersForm:
        return self.section("order_parameters").widget

    @property
    def opportunities(self) -> OpportunitySection:
        """The opportunities section (when can this be imaged?)."""
        return self.section("opportunity")

    @property
    def opportunity(self) -> Opportunity | None:
        """The window chosen in the opportunities section: Submit orders exactly it."""
        from stat_widgets.models import Opportunity

        found = [s.value for s in self._applying() if s.field == "opportunity"]
        return found[0] if found and isinstance(found[0], Opportunity) else None

    @property
    def reasons(self) -> list[str]:
        """What stops the order, in words, as the list next to the Submit button shows it."""
        return [item["text"] for item in self._reason_items()]

    def discard_draft(self) -> None:
        """Delete the saved draft and empty the form (the next change starts a new draft)."""
        if self.draft is None:
            raise RuntimeError("this form has no draft; create it with OrderForm(..., draft=name)")
        self.draft.discard(self.sections, reset=self._forget_submission)
        self._update()

    @property
    def idempotency_key(self) -> str | None:
        """The key the next submission of the current request will carry (kept across a retry
        after a failure, renewed once the request changes or an order was created)."""
        return self._submission.pending_key

    def reload_products(self) -> list[Product]:
        """Ask the server for its products again (after a connection problem, for example)."""
        products = self._product_section.reload()
        if products is None:
            return []
        self._tell_product()
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
        extra = create_order_keywords(self.sections)  # beyond the request: order parameters
        body = self._body(request, extra)
        key = self._submission.key_for(body)
        target = self.opportunity or request  # a window chosen: exactly that window
        self.submitting = True
        try:
            order = self._submission.send(
                lambda: self.client.create_order(target, idempotency_key=key, **extra),
                self._labels(),
            )
        finally:
            self.submitting = False
        self._submission.succeeded(body)
        self.last_order = order
        self._refresh_button()
        self._save_draft()
        return order

    def close(self) -> None:
        """Close the form, every widget in it, and the client if the form created it."""
        if getattr(self, "context", None) is not None:  # None: __init__ failed before it
            self.context.close_client()
        close_tree(self)

    # -- the draft ---------------------------------------------------------------------------

    def _restore_draft(self) -> None:
        """The sections from the draft, then, if the draft's request was already ordered, keep
        Submit from ordering it again and show that order (as the server knows it now)."""
        assert self.draft is not None
        data = self.draft.restore(self.sections)
        self._update()
        if data is not None and self.request is not None:
            body = self._body(self.request)
            order = self._submission.restore(data.get("submitted"), body, self.client.order)
            if order is not None:
                self.last_order = order
            self._refresh_button()

    def _save_draft(self) -> None:
        if self.draft is not None:  # the draft ignores saves while it restores or discards
            self.draft.save(self.sections, submitted=self._submission.record(self.last_order))

    def _forget_submission(self) -> None:
        self._submission.forget()
        self.last_order = None

    # -- sections ------------------------------------------------------------------------------

    def _on_product(self, _change: object) -> None:
        self._tell_product()
        self._update()

    def _tell_product(self, *, show: bool = True) -> None:
        """Tell every section the product (and, through the context, the server's dialect),
        then show the sections that apply, numbered (unless ``show`` is false: no frame yet)."""
        product = self._product_section.product
        for section in self.sections:
            section.set_product(product)
        if show:
            self._frame.show(self.sections)

    def _applying(self) -> list[Section]:
        return [s for s in self.sections if s.applies]

    def _labels(self) -> dict[str, ErrorLabel]:
        return {s.field: s.feedback for s in self.sections}

    def _missing(self) -> list[str]:
        return [s.missing for s in self._applying() if s.missing]

    def _reason_items(self) -> list[dict[str, str]]:
        review = getattr(self, "review", None)  # made after the first reasons are known
        general = review.error_label.text if review is not None else ""
        found = parts.reasons(self._applying(), general)
        return [{"text": text, "target": self._frame.target(field)} for text, field in found]

    def _why_no_request(self) -> str:
        missing = self._missing()
        if missing:
            return "the order is incomplete: still needed " + ", ".join(missing)
        reasons = self.reasons
        return "the order is not valid: " + ("; ".join(reasons) or "see the form")

    def _update(self) -> None:
        """Rebuild the request from the sections' values after any change (once more if a
        section changed while being told the new request)."""
        if self._updating:
            self._again = True
            return
        self._updating = True
        try:
            self._again = True
            while self._again:
                self._again = False
                self._rebuild()
        finally:
            self._updating = False

    def _rebuild(self) -> None:
        clear([*self._labels().values(), self.review.error_label])
        self._submission.clear_failure()  # a failure was about a request that no longer exists
        request: OrderRequest | None = None
        product = self._product_section.product
        blocked = self._missing() or any(s.error for s in self._applying())
        if product is not None and not blocked:
            from stat_widgets.models.order import WIRE_FIELDS, OrderRequest

            data = as_request_data(self.sections)
            wire = {k: v for k, v in data.items() if k in WIRE_FIELDS}
            try:
                request = OrderRequest.from_input(wire, product=product)
            except ValidationError as exc:
                route_errors(exc, self._labels(), self.review.error_label)
        for section in self.sections:
            section.set_request(request)  # the request without a window
        chosen = self.opportunity
        if request is not None and chosen is not None:
            try:  # that window, its footprint, the search's filter
                request = chosen.order_request()
            except ValidationError as exc:  # a provider's footprint we cannot order
                self.opportunities.feedback.message = f"This window cannot be ordered: {exc}"
                request = None
        self.request = request
        self.review.show_request(
            request,
            summary=sections_summary_html(self._applying()),
            why_not="" if request is not None else self._why_no_request(),
            body=self._body(request) if request is not None and chosen is not None else None,
        )
        self._refresh_button()
        self._save_draft()

    def _body(self, request: OrderRequest, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """What identifies one submission: the wire body and any order parameters (for a
        chosen window, the body that orders it)."""
        extra = create_order_keywords(self.sections) if extra is None else extra
        if self.opportunity is not None:
            from stat_widgets.widgets.opportunities.ordering import order_body

            parameters = extra.get("order_parameters")
            return order_body(self.opportunity, parameters, self._product_section.product)
        return {**request.model_dump(mode="json"), **parts.jsonable(extra)}

    @traitlets.observe("submitting")
    def _refresh_button(self, _change: object = None) -> None:
        request = self.request
        already = request is not None and self._submission.already(self._body(request))
        self.review.show_state(
            ready=request is not None,
            submitting=self.submitting,
            already=already,
            missing=self._missing(),
            reasons=self._reason_items(),
        )
        self._submission.show_order(
            self.last_order, previous=not already, submitting=self.submitting
        )

    def _on_submit_click(self, _button: widgets.Button) -> None:
        # A click queued while the button was disabling (a double click) finds it disabled.
        if self.review.submit_button.disabled or self.submitting:
            return
        try:
            self.submit()
        except StatError:
            pass  # already shown next to the fields or under the button


__all__ = ["SECTIONS", "OrderForm"]
