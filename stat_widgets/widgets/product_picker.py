"""Choosing the product: what it is, and which constraints a filter may use.

Titles, descriptions and constraint names come from the server, so they reach the page only
through ``_html`` (escaped); the dropdown renders its labels as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets._lifecycle import ClosesTree, ShowsWhenFilled
from stat_widgets.widgets._traits import LazyInstance

if TYPE_CHECKING:  # the models (pydantic) load with the form's client, not with this module
    from stat_widgets.models import Product
    from stat_widgets.models.product_schema import SchemaField

_PLACEHOLDER = "— choose a product —"


def product_label(product: Product) -> str:
    """How a product is named in lists: its title, with the id when they differ."""
    if product.title and product.title != product.id:
        return f"{product.title} ({product.id})"
    return product.id


def describe_field(field: SchemaField) -> str:
    """One line of plain text for one field: title, name, type, values or range, notes."""
    kind = field.type + ("[]" if field.multiple else "") + (" or null" if field.nullable else "")
    parts = [f"{field.title} [{field.name}]: {kind}"]
    if field.enum:
        parts.append("one of " + ", ".join(field.label(v) for v in field.enum))
    low, high = field.minimum, field.maximum
    if low is not None or high is not None:
        unit = f" {field.unit}" if field.unit else ""
        low_text = "…" if low is None else str(low)
        high_text = "…" if high is None else str(high)
        parts.append(f"{low_text} to {high_text}{unit}")
    if field.description:
        parts.append(f"— {field.description}")
    if field.note:
        parts.append(f"({field.note})")
    return " ".join(parts)


def product_details_html(product: Product | None) -> str:
    """The product card: everything from the server escaped."""
    if product is None:
        return _html.muted("Choose a product to see its description and constraints.")
    out = [f"<b>{_html.escape(product.title or product.id)}</b>"]
    if product.description:
        out.append(f"<div>{_html.escape(product.description)}</div>")
    limits = []
    if product.max_area_km2 is not None:
        limits.append(f"AOI at most {product.max_area_km2:,.0f} km²")
    if product.max_vertices is not None:
        limits.append(f"at most {product.max_vertices:,} vertices")
    kinds = product.geometry_types
    if kinds:
        limits.append("geometry: " + ", ".join(sorted(kinds)))
    if limits:
        out.append(f"<div>{_html.muted(' · '.join(limits))}</div>")
    fields = product.fields
    if len(fields):
        items = "".join(f"<li>{_html.escape(describe_field(f))}</li>" for f in fields)
        out.append(f"<div>Constraints you can filter on:</div><ul>{items}</ul>")
    else:
        out.append(f"<div>{_html.muted('This product exposes no constraints to filter on.')}</div>")
    notes = [n for n in fields.notes if not any(n.startswith(f"{f.name}: ") for f in fields)]
    out += [f"<div>{_html.muted(n)}</div>" for n in notes]
    return "".join(out)


def _options(products: list[Product]) -> tuple[tuple[str, str], ...]:
    """The dropdown's choices: the placeholder, then each product by its label."""
    return ((_PLACEHOLDER, ""), *((product_label(p), p.id) for p in products))


class ProductPicker(ShowsWhenFilled, ClosesTree, widgets.VBox):
    """A dropdown of the server's products and a card describing the chosen one."""

    products = traitlets.List(help="the products offered (Product models), in the server's order")
    #: The chosen ``Product``, or ``None``.
    value = LazyInstance(
        "stat_widgets.models.product.Product",
        allow_none=True,
        default_value=None,
        help="the chosen Product, or None",
    )
    #: Why the products could not be listed (set by the form), or "".
    error = traitlets.Unicode("", help="why the products could not be listed, as shown; or ''")

    def __init__(
        self,
        products: Iterable[Product] = (),
        *,
        beside: Iterable[widgets.Widget] = (),
        **kwargs: Any,
    ) -> None:
        """``beside``: widgets shown in the dropdown's row (the form's "Reload products"),
        next to the list they act on rather than past the product's card."""
        products = list(products)
        # Made as ``products`` (and ``error``) will leave them: no updates after creation.
        chosen = products[0] if len(products) == 1 else None
        self.dropdown = widgets.Dropdown(
            options=_options(products),
            value=chosen.id if chosen is not None else "",
            description="Product",
            layout=widgets.Layout(width="max-content", min_width="24em"),
            style=_shared.shared("description"),
        )
        self.details = _shared.html(product_details_html(chosen))
        #: The one label for the product: why the list failed (``error``) and messages about
        #: ``product_id`` from the request validation or the server.
        self.feedback = ErrorLabel(own=str(kwargs.get("error", "")))
        self.error_label = self.feedback  # the same label, under its older name
        self._syncing = False
        beside = list(beside)
        row = _shared.hbox([self.dropdown, *beside]) if beside else self.dropdown
        content = [row, self.details, self.feedback]
        super().__init__(self._shown_when_filled(content, self.feedback), **kwargs)
        self.dropdown.observe(self._on_dropdown, names="value")
        self.products = products

    def select(self, product_id: str) -> Product:
        """Choose a product by id, as picking it in the dropdown does."""
        for product in self.products:
            if product.id == product_id:
                self.value = product
                return product
        known = ", ".join(p.id for p in self.products) or "none"
        raise KeyError(f"no product {product_id!r}; the server offers: {known}")

    @traitlets.observe("products")
    def _on_products(self, change: dict[str, Any]) -> None:
        products: list[Product] = list(change["new"])
        current = self.value.id if self.value is not None else ""
        chosen = next((p for p in products if p.id == current), None)
        if chosen is None and len(products) == 1:
            chosen = products[0]
        self._syncing = True
        try:
            options = _options(products)
            if options != self.dropdown.options:  # the same again would re-send its index
                self.dropdown.options = options
            self.dropdown.value = chosen.id if chosen is not None else ""
        finally:
            self._syncing = False
        self.value = chosen

    def _on_dropdown(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        chosen = change["new"]
        self.value = next((p for p in self.products if p.id == chosen), None)

    @traitlets.observe("value")
    def _on_value(self, change: dict[str, Any]) -> None:
        product: Product | None = change["new"]
        self._syncing = True
        try:
            self.dropdown.value = "" if product is None else product.id
        finally:
            self._syncing = False
        self.details.value = product_details_html(product)
        self.feedback.message = ""

    @traitlets.observe("error")
    def _on_error(self, change: dict[str, Any]) -> None:
        self.feedback.own = change["new"]


__all__ = ["ProductPicker", "describe_field", "product_details_html", "product_label"]
