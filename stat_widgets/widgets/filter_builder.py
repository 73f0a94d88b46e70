"""The order ``filter``: rows generated from the product's fields, AND-ed into CQL2 JSON.

Each row offers only what the field allows (its type, range and values, as
``models.product_schema`` reads them from the product's JSON Schema); the combined filter is
then validated by the model layer (``validate_filter``), whose messages are shown under the row
they are about. A field the schema does not describe well enough is offered as free text, with
the schema's note under the builder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.widgets import _html
from stat_widgets.widgets._errors import ErrorLabel, describe

if TYPE_CHECKING:  # the schema and CQL2 models load with the first product
    from stat_widgets.models.product_schema import ProductSchema, SchemaField

NUMBER_OPERATORS: tuple[str, ...] = ("<", "<=", "=", ">=", ">", "between")
#: JSON can carry larger integers, but browsers' number inputs cannot represent them exactly.
_UNBOUNDED = 2.0**53
_ROW_PATH = re.compile(r"^filter\.args\[(\d+)\]")


def _number(value: float, kind: str) -> int | float:
    """Integral values as JSON integers, so ``eo:cloud_cover <= 20`` reads as typed."""
    if kind == "integer" or float(value).is_integer():
        return int(value)
    return float(value)


def field_hint(field: SchemaField) -> str:
    """The line under a field's control: its range and unit, description and note."""
    parts = []
    low, high = field.minimum, field.maximum
    if low is not None or high is not None:
        unit = f" {field.unit}" if field.unit else ""
        parts.append(f"{'…' if low is None else low} to {'…' if high is None else high}{unit}")
    if field.description:
        parts.append(field.description)
    if field.note:
        parts.append(field.note)
    return _html.muted(" · ".join(parts))


class FilterRow(widgets.VBox):
    """One condition on one constraint property."""

    def __init__(
        self,
        fields: ProductSchema,
        name: str,
        *,
        on_change: Callable[[], None],
        on_remove: Callable[[FilterRow], None],
    ) -> None:
        self.fields = fields
        self._on_change = on_change
        self.property = widgets.Dropdown(
            options=[(f.title, f.name) for f in fields],
            value=name,
            layout=widgets.Layout(width="16em"),
        )
        self.operator = widgets.Dropdown(layout=widgets.Layout(width="7em"))
        self.value_box = widgets.HBox()
        self.remove_button = widgets.Button(
            icon="times", tooltip="Remove this filter", layout=widgets.Layout(width="3em")
        )
        self.hint = widgets.HTML()
        self.error_label = ErrorLabel()
        super().__init__(
            [
                widgets.HBox([self.property, self.operator, self.value_box, self.remove_button]),
                self.hint,
                self.error_label,
            ]
        )
        self.add_class("stat-widgets-filter-row")
        self.value_widget: widgets.ValueWidget | None = None
        self.upper_widget: widgets.ValueWidget | None = None
        self._building = False
        self.remove_button.on_click(lambda _b: on_remove(self))
        self.property.observe(self._on_property, names="value")
        self.operator.observe(self._on_operator, names="value")
        self._build()

    @property
    def name(self) -> str:
        return str(self.property.value)

    @property
    def field(self) -> SchemaField:
        return self.fields[self.name]

    @property
    def kind(self) -> str:
        return self.field.kind

    def _on_property(self, _change: object) -> None:
        self._build()
        self._on_change()

    def _on_operator(self, _change: object) -> None:
        if self._building:
            return
        self._show_upper()
        self._on_change()

    def _build(self) -> None:
        """The operator and value controls the property's schema allows."""
        field, kind = self.field, self.kind
        self._building = True
        try:
            if kind in ("integer", "number"):
                self.operator.options = NUMBER_OPERATORS
                self.operator.value = "<="
                self.operator.disabled = False
                self.value_widget = self._number_input(field, kind, upper=False)
                self.upper_widget = self._number_input(field, kind, upper=True)
            elif kind == "enum":
                values = field.enum or ()
                self.operator.options = ("in",)
                self.operator.disabled = True
                self.value_widget = widgets.SelectMultiple(
                    options=[(field.label(v), v) for v in values], rows=min(len(values), 5)
                )
                self.upper_widget = None
            elif kind == "boolean":
                self.operator.options = ("=",)
                self.operator.disabled = True
                self.value_widget = widgets.ToggleButtons(
                    options=[("true", True), ("false", False)], value=True
                )
                self.upper_widget = None
            else:
                self.operator.options = ("=",)
                self.operator.disabled = True
                self.value_widget = widgets.Text(placeholder="value")
                self.upper_widget = None
        finally:
            self._building = False
        for control in (self.value_widget, self.upper_widget):
            if control is not None:
                control.observe(lambda _c: self._on_change(), names="value")
        self._show_upper()
        self.hint.value = field_hint(field)

    def _number_input(self, field: SchemaField, kind: str, *, upper: bool) -> Any:
        low = field.minimum if field.minimum is not None else field.exclusive_minimum
        high = field.maximum if field.maximum is not None else field.exclusive_maximum
        default = field.default if isinstance(field.default, int | float) else None
        if default is None or isinstance(default, bool):
            default = (high if upper else low) if (high if upper else low) is not None else 0
        bounds = {
            "min": -_UNBOUNDED if low is None else low,
            "max": _UNBOUNDED if high is None else high,
        }
        layout = widgets.Layout(width="9em")
        if kind == "integer":
            return widgets.BoundedIntText(value=int(default), **bounds, layout=layout)
        return widgets.BoundedFloatText(value=float(default), **bounds, layout=layout)

    def _show_upper(self) -> None:
        children = [self.value_widget]
        if self.upper_widget is not None and self.operator.value == "between":
            children += [widgets.HTML("and"), self.upper_widget]
        self.value_box.children = tuple(c for c in children if c is not None)

    def cql2(self) -> dict[str, Any]:
        """This row as CQL2 JSON; a ``ValidationError`` (field ``filter``) while incomplete."""
        prop = {"property": self.name}
        kind, op = self.kind, str(self.operator.value)
        title = self.field.title
        assert self.value_widget is not None
        value = self.value_widget.value
        if kind in ("integer", "number"):
            if op == "between":
                assert self.upper_widget is not None
                upper = self.upper_widget.value
                return {"op": op, "args": [prop, _number(value, kind), _number(upper, kind)]}
            return {"op": op, "args": [prop, _number(value, kind)]}
        if kind == "enum":
            if not value:
                raise ValidationError(f"choose at least one value of {title}", field="filter")
            return {"op": "in", "args": [prop, list(value)]}
        if kind == "boolean":
            return {"op": "=", "args": [prop, bool(value)]}
        if not str(value).strip():
            raise ValidationError(f"type a value for {title}", field="filter")
        return {"op": "=", "args": [prop, str(value)]}


class FilterBuilder(widgets.VBox):
    """Rows of conditions on the product's fields, all AND-ed."""

    #: A JSON Schema to filter on (setting it sets ``fields``); ``None``: no product.
    constraints = traitlets.Dict(allow_none=True, default_value=None)
    #: The fields rows may use (``Product.fields``: constraints and STAT-era parameters).
    fields = traitlets.Instance(
        "stat_widgets.models.product_schema.ProductSchema", allow_none=True, default_value=None
    )
    #: The CQL2 JSON to send, or ``None`` when there is no row or a row is at fault.
    value = traitlets.Dict(allow_none=True, default_value=None)
    error = traitlets.Unicode("")

    def __init__(self, constraints: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.rows: list[FilterRow] = []
        self.rows_box = widgets.VBox()
        self.add_button = widgets.Button(description="Add filter", icon="plus")
        self.text_view = widgets.HTML()
        self.json_view = widgets.HTML()
        self.notes_view = widgets.HTML()
        self.error_label = ErrorLabel()
        #: Messages about ``filter`` from the request validation or the server.
        self.feedback = ErrorLabel()
        super().__init__(
            [
                self.rows_box,
                self.add_button,
                self.notes_view,
                self.error_label,
                self.feedback,
                self.text_view,
                self.json_view,
            ],
            **kwargs,
        )
        self.add_button.on_click(lambda _b: self.add_row())
        self.constraints = constraints
        self._on_fields(None)
        self._recompute()

    @property
    def names(self) -> list[str]:
        """The fields a row may filter on."""
        return self.fields.names if self.fields is not None else []

    def add_row(self, name: str | None = None) -> FilterRow:
        """A new condition on ``name`` (the first field by default)."""
        fields = self.fields
        if fields is None or not len(fields):
            raise ValueError("this product exposes no constraints to filter on")
        if name is None:
            name = fields.names[0]
        if name not in fields:
            known = ", ".join(fields.names)
            raise ValueError(f"{name!r} is not a constraint of this product; it has: {known}")
        row = FilterRow(fields, name, on_change=self._recompute, on_remove=self.remove_row)
        self.rows.append(row)
        self.rows_box.children = tuple(self.rows)
        self._recompute()
        return row

    def remove_row(self, row: FilterRow) -> None:
        self.rows.remove(row)
        self.rows_box.children = tuple(self.rows)
        row.close()
        self._recompute()

    def clear(self) -> None:
        old, self.rows = self.rows, []
        self.rows_box.children = ()
        for row in old:
            row.close()
        self._recompute()

    @traitlets.observe("constraints")
    def _on_constraints(self, change: dict[str, Any]) -> None:
        schema = change["new"]
        from stat_widgets.models.product_schema import read_schema

        self.fields = None if schema is None else read_schema(schema, label="constraints")

    @traitlets.observe("fields")
    def _on_fields(self, _change: object) -> None:
        self.clear()
        self.add_button.disabled = not self.names
        self.add_button.tooltip = (
            "" if self.names else "This product exposes no constraints to filter on"
        )
        notes = self.fields.notes if self.fields is not None else ()
        self.notes_view.value = "".join(f"<div>{_html.muted(n)}</div>" for n in notes)

    def _recompute(self) -> None:
        errors: list[FieldError] = []
        parts: list[dict[str, Any]] = []
        many = len(self.rows) > 1
        for i, row in enumerate(self.rows):
            try:
                parts.append(row.cql2())
            except ValidationError as exc:
                prefix = f"filter.args[{i}]" if many else "filter"
                errors.extend(FieldError(prefix, e.message) for e in exc.errors)
        value: dict[str, Any] | None = None
        if not errors and parts:
            combined = parts[0] if not many else {"op": "and", "args": parts}
            from stat_widgets.models import validate_filter

            try:
                value = validate_filter(combined, self.fields)
            except ValidationError as exc:
                errors.extend(exc.errors)
        self._show_errors(errors)
        with self.hold_trait_notifications():
            self.value = None if errors else value
            self.error = describe(errors, field_prefix="filter")
        self.feedback.message = ""
        self._render()

    def _show_errors(self, errors: list[FieldError]) -> None:
        """Each error under the row its path names; the rest under the builder."""
        per_row: dict[int, list[FieldError]] = {}
        rest: list[FieldError] = []
        for err in errors:
            index = self.row_index(err.field)
            if index is None:
                rest.append(err)
            else:
                per_row.setdefault(index, []).append(err)
        for i, row in enumerate(self.rows):
            # The row is the location; its own messages name the property and the bound.
            row.error_label.message = "; ".join(e.message for e in per_row.get(i, []))
        self.error_label.message = describe(rest, field_prefix="filter")

    def row_index(self, field: str) -> int | None:
        """Which row a ``filter...`` field path is about, if any."""
        if len(self.rows) == 1 and (field == "filter" or field.startswith("filter.")):
            return 0
        match = _ROW_PATH.match(field)
        if match and int(match.group(1)) < len(self.rows):
            return int(match.group(1))
        return None

    def _render(self) -> None:
        if not self.names:
            self.text_view.value = _html.muted("This product exposes no constraints to filter on.")
            self.json_view.value = ""
        elif self.value is None:
            text = "No filter: every capture the product offers qualifies." if not self.rows else ""
            self.text_view.value = _html.muted(text)
            self.json_view.value = ""
        else:
            from stat_widgets.models import filter_to_text

            self.text_view.value = "CQL2 text: " + _html.inline_code(filter_to_text(self.value))
            self.json_view.value = _html.code_block(self.value)


__all__ = ["NUMBER_OPERATORS", "FilterBuilder", "FilterRow", "field_hint"]
