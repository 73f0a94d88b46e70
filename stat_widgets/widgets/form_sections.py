"""The sections of ``OrderForm``: each wraps one widget and speaks the ``section.Section``
contract (``field``, ``title``, ``value``, ``error``, ``feedback``, ``missing``, ``applies``,
``set_product``, ``set_request``), plus the optional ``section.Drafted`` pair that keeps its
input in a draft.

The widgets stay usable on their own (``AOIMap()`` in a notebook); a section only translates
between a widget's own names and the form's: ``AOIMap.geometry`` is the ``geometry`` field,
the picked ``Product`` is the ``product_id`` field, and so on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import StatError
from stat_widgets.widgets import _shared
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets.aoi_map import AOIMap
from stat_widgets.widgets.filter_builder import FilterBuilder
from stat_widgets.widgets.interval_picker import IntervalPicker
from stat_widgets.widgets.order_parameters import OrderParametersForm
from stat_widgets.widgets.product_picker import ProductPicker
from stat_widgets.widgets.section import SectionContext

if TYPE_CHECKING:  # the models (pydantic, cql2) load with the form's client
    from stat_widgets.models import OrderRequest, Product, TimeInterval
    from stat_widgets.widgets.opportunities.section import OpportunitySection


class WidgetSection(traitlets.HasTraits):
    """A base for sections around one widget: ``value`` and ``error`` follow the traits named
    ``value_trait`` and ``error_trait`` of ``source`` (the widget itself unless given), and
    ``feedback`` is the source's label."""

    field: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: The widget trait that holds this section's value, and the one that holds its error.
    value_trait: ClassVar[str] = "value"
    error_trait: ClassVar[str] = "error"

    value = traitlets.Any(None, help="the value this section gives the request field")
    error = traitlets.Unicode("", help="what is wrong with the input, before the models see it")

    def __init__(self, context: SectionContext, widget: widgets.Widget, source: Any = None) -> None:
        super().__init__()
        self.context = context
        self.widget = widget
        self.source = widget if source is None else source
        self.feedback: ErrorLabel = self.source.feedback
        self.source.observe(self._sync, names=[self.value_trait, self.error_trait])
        self._sync(None)

    def _sync(self, _change: object) -> None:
        with self.hold_trait_notifications():
            self.value = self.to_value(getattr(self.source, self.value_trait))
            self.error = getattr(self.source, self.error_trait)

    def to_value(self, raw: Any) -> Any:
        """The widget's value as the request field takes it."""
        return raw

    @property
    def missing(self) -> str:
        return ""

    @property
    def applies(self) -> bool:
        return True

    @property
    def summary(self) -> str:
        """The value in words for the review ("—" while there is none)."""
        return "—" if self.value is None else str(self.value)

    def set_product(self, product: Product | None) -> None:
        pass

    def set_request(self, request: OrderRequest | None) -> None:
        pass


class AOISection(WidgetSection):
    field, title, value_trait = "geometry", "Area of interest", "geometry"

    def __init__(self, context: SectionContext) -> None:
        super().__init__(context, AOIMap(basemap=context.basemap))

    @property
    def missing(self) -> str:
        return "an area of interest" if self.value is None and not self.error else ""

    @property
    def summary(self) -> str:
        aoi = self.widget
        if aoi.geometry is None:
            return "—"
        kind = aoi.geometry.get("type", "")
        return f"{kind}, {aoi.vertices} vertices, {aoi.area_km2:,.2f} km²"

    def set_product(self, product: Product | None) -> None:
        self.widget.set_product(product)

    def draft_state(self) -> Any:
        return self.value

    def restore_draft(self, state: Any) -> list[str]:
        if state is None:
            self.widget.clear()
            return []
        self.widget.set_geometry(state)
        if self.widget.geometry is None:
            return [f"The draft's area of interest cannot be used: {self.widget.error}"]
        return []


class ProductSection(WidgetSection):
    field, title = "product_id", "Product"
    asks_server = True  # made after the sections that do not (section.make_sections)

    def __init__(self, context: SectionContext) -> None:
        # The server asked first, so the dropdown is made with its products (and the one
        # product chosen, if there is only one) rather than filled by updates after.
        products, error = _ask_products(context)
        #: The form asks the server again when this is clicked (it tells every section).
        self.reload_button = _shared.button(
            description="Reload products",
            icon="refresh",
            layout=_shared.shared("layout_auto"),
        )
        self.picker = ProductPicker(products or (), error=error, beside=[self.reload_button])
        super().__init__(context, self.picker, source=self.picker)

    def to_value(self, raw: Any) -> Any:
        return raw.id if raw is not None else None

    @property
    def product(self) -> Product | None:
        """The chosen product (what the form tells the other sections)."""
        return self.picker.value

    def reload(self) -> list[Product] | None:
        """Ask the server (the context's client) for its products again and note its dialect
        in the context; ``None`` when it could not be asked (said under the picker)."""
        products, error = _ask_products(self.context)
        self.picker.error = error
        if products is not None:
            self.picker.products = products
        return products

    @property
    def missing(self) -> str:
        return "a product" if self.value is None else ""

    @property
    def summary(self) -> str:
        product = self.product
        return (product.title or product.id) if product else "—"

    def draft_state(self) -> Any:
        return self.value

    def restore_draft(self, state: Any) -> list[str]:
        if state is None:
            self.picker.value = None
            return []
        if not isinstance(state, str):
            return ["The draft's product is not a product id; choose a product."]
        try:
            self.picker.select(state)
        except KeyError:
            return [f"The draft's product {state!r} is no longer offered by this server."]
        return []


def _ask_products(context: SectionContext) -> tuple[list[Product] | None, str]:
    """The server's products (``None`` when it could not be asked) and why not ("" when it
    could); notes the server's dialect in ``context`` once it answered."""
    try:
        products = context.client.products()
    except StatError as exc:
        return None, f"Could not list the server's products: {exc}"
    context.dialect = dialect_of(context.client)
    return products, ""


class IntervalSection(WidgetSection):
    field, title = "datetime", "Time interval"
    asks_server = True  # open intervals only where the server takes them (its dialect)

    def __init__(self, context: SectionContext) -> None:
        now = {"now": context.now} if context.now is not None else {}
        picker = IntervalPicker(**now, allow_open_end=self._allows_open_end(context))
        super().__init__(context, picker)

    @property
    def missing(self) -> str:
        return "a time interval" if self.value is None and not self.error else ""

    def set_product(self, product: Product | None) -> None:
        self.widget.allow_open_end = self._allows_open_end(self.context)

    @staticmethod
    def _allows_open_end(context: SectionContext) -> bool:
        """STAPI servers refuse open intervals; say so before the person picks one."""
        return context.dialect != "stapi"

    def draft_state(self) -> Any:
        if self.value is None:
            return None
        return {"interval": str(self.value), "timezone": self.widget.timezone.value}

    def restore_draft(self, state: Any) -> list[str]:
        if state is None:
            self.widget.value = None
            return []
        if not isinstance(state, dict) or not isinstance(state.get("interval"), str):
            return ["The draft's interval is not readable; choose an interval."]
        zone = state.get("timezone")
        if isinstance(zone, str) and zone in self.widget.timezone.options:
            self.widget.timezone.value = zone
        interval = self.widget.set_interval(state["interval"][:200])
        if interval is None:
            return [f"The draft's interval cannot be used: {self.widget.error}"]
        return self._check_not_past(interval)

    def _check_not_past(self, interval: TimeInterval) -> list[str]:
        """An interval that has ended is kept on screen but refused; one that has begun is
        kept and usable, with a note (nothing can be imaged before now)."""
        now = self.context.now() if self.context.now is not None else datetime.now(UTC)
        if interval.end is not None and interval.end <= now:
            message = (
                f"The draft's interval {interval} is in the past; choose a new one "
                "(a preset starts from now)."
            )
            self.widget.refuse(message)
            return [message]
        if interval.start is not None and interval.start < now:
            return [
                f"The draft's interval {interval} started in the past; it is kept, but nothing "
                "can be imaged before now (a preset starts from now)."
            ]
        return []


class FilterSection(WidgetSection):
    field, title = "filter", "Filters (all must hold)"

    def __init__(self, context: SectionContext) -> None:
        super().__init__(context, FilterBuilder())
        self._product: Product | None = None

    @property
    def summary(self) -> str:
        from stat_widgets.models import filter_to_text

        return filter_to_text(self.value) if self.value else "none"

    def set_product(self, product: Product | None) -> None:
        if product is not self._product:
            self._product = product
            self.widget.fields = product.fields if product else None

    def draft_state(self) -> Any:
        return [_row_state(row) for row in self.widget.rows] or None

    def restore_draft(self, state: Any) -> list[str]:
        self.widget.clear()
        if state is None:
            return []
        if not isinstance(state, list):
            return ["The draft's filters are not readable; add them again."]
        notes = []
        for item in state[:50]:
            note = _restore_row(self.widget, item)
            if note:
                notes.append(note)
        return notes


def _row_state(row: Any) -> dict[str, Any]:
    value = row.value_widget.value if row.value_widget is not None else None
    upper = row.upper_widget.value if row.upper_widget is not None else None
    return {
        "property": row.name,
        "op": row.operator.value,
        "value": list(value) if isinstance(value, tuple) else value,
        "upper": upper,
    }


def _restore_row(builder: FilterBuilder, item: Any) -> str:
    if not isinstance(item, dict) or not isinstance(item.get("property"), str):
        return "A filter of the draft is not readable; add it again."
    name = item["property"][:200]
    if name not in builder.names:
        return f"The draft's filter on {name!r} no longer applies: the product has no such field."
    row = builder.add_row(name)
    try:
        if item.get("op") in row.operator.options:
            row.operator.value = item["op"]
        value = item.get("value")
        row.value_widget.value = tuple(value) if isinstance(value, list) else value
        if row.upper_widget is not None and item.get("upper") is not None:
            row.upper_widget.value = item["upper"]
    except (traitlets.TraitError, TypeError, ValueError):
        return f"The draft's filter on {name!r} has a value this field no longer takes; check it."
    return ""


class OrderParametersSection(WidgetSection):
    field, title = "order_parameters", "Order parameters"
    #: Sent to ``client.create_order(..., order_parameters=value)``.
    keyword = "order_parameters"

    def __init__(self, context: SectionContext) -> None:
        # hidden until a product has parameters (the form's frame shows it then): made hidden,
        # rather than hidden by an update after its creation message
        super().__init__(context, OrderParametersForm(layout=widgets.Layout(display="none")))
        self._applies = False

    @property
    def applies(self) -> bool:
        return self._applies

    @property
    def summary(self) -> str:
        return ", ".join(f"{k} = {v}" for k, v in (self.value or {}).items()) or "defaults"

    def to_value(self, raw: Any) -> Any:
        return dict(raw)

    def set_product(self, product: Product | None) -> None:
        self._applies = product is not None and len(product.order_fields) > 0
        self.widget.schema = product.order_parameters if product is not None else None

    def draft_state(self) -> Any:
        state = {}
        for name, control in self.widget.controls.items():
            raw = control.value
            state[name] = list(raw) if isinstance(raw, tuple) else raw
        return state or None

    def restore_draft(self, state: Any) -> list[str]:
        self.widget.reset()
        if state is None:
            return []
        if not isinstance(state, dict):
            return ["The draft's order parameters are not readable; set them again."]
        notes = []
        for name, raw in list(state.items())[:100]:
            control = self.widget.controls.get(name)
            if control is None:
                notes.append(f"The draft's order parameter {str(name)[:200]!r} no longer exists.")
                continue
            try:
                control.value = tuple(raw) if isinstance(raw, list) else raw
            except (traitlets.TraitError, TypeError, ValueError):
                notes.append(f"The draft's value of {name!r} is no longer offered; check it.")
        return notes


def dialect_of(client: Any) -> str | None:
    """The client's dialect, or ``None`` while the server cannot be reached."""
    try:
        return client.dialect
    except StatError:
        return None


def opportunity_section(context: SectionContext) -> OpportunitySection:
    """The opportunities section as the form makes it (``OpportunitySection.in_form``): a
    function, so that its modules load when a form is made, not when it is imported."""
    from stat_widgets.widgets.opportunities.section import OpportunitySection

    return OpportunitySection.in_form(context)


opportunity_section.asks_server = True  # type: ignore[attr-defined]


__all__ = [
    "AOISection",
    "FilterSection",
    "IntervalSection",
    "OrderParametersSection",
    "ProductSection",
    "WidgetSection",
    "dialect_of",
    "opportunity_section",
]
