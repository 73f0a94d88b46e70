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
from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models.filter_ops import by_label, offered
from stat_widgets.models.product_schema import ProductSchema, SchemaField, read_schema
from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorLabel, describe
from stat_widgets.widgets._lifecycle import ClosesTree, ShowsWhenFilled, close_tree

#: What a number row offers, from the operator table (``models.filter_ops``), as every row's.
NUMBER_OPERATORS: tuple[str, ...] = offered("number")
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


class FilterRow(ClosesTree, widgets.VBox):
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
        self.value_box = _shared.hbox()
        self.and_label = _shared.html("and")  # between the bounds of "between"
        self.remove_button = widgets.Button(
            icon="times", tooltip="Remove this filter", layout=widgets.Layout(width="3em")
        )
        self.hint = _shared.html()
        self.error_label = ErrorLabel()
        super().__init__(
            [
                _shared.hbox([self.property, self.operator, self.value_box, self.remove_button]),
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
        replaced = [w for w in (self.value_widget, self.upper_widget) if w is not None]
        self._build()
        close_tree(*replaced)
        self._on_change()

    def _on_operator(self, _change: object) -> None:
        if self._building:
            return
        self._show_upper()
        self._on_change()

    def _build(self) -> None:
        """The operator and value controls the property's schema allows; the operators are
        the table's rows offered for the field's kind (``filter_ops.offered``)."""
        field, kind = self.field, self.kind
        self._building = True
        try:
            labels = offered(kind) or offered("string")
            self.operator.options = labels
            self.operator.value = "<=" if "<=" in labels else labels[0]
            self.operator.disabled = len(labels) == 1
            self.value_widget, self.upper_widget = self._value_controls(field, kind)
        finally:
            self._building = False
        for control in (self.value_widget, self.upper_widget):
            if control is not None:
                control.observe(lambda _c: self._on_change(), names="value")
        self._show_upper()
        self.hint.value = field_hint(field)

    def _value_controls(self, field: SchemaField, kind: str) -> tuple[Any, Any]:
        """The value control, and the upper bound's for a number (shown for ``between``)."""
        if kind in ("integer", "number"):
            return (
                self._number_input(field, kind, upper=False),
                self._number_input(field, kind, upper=True),
            )
        if kind == "enum":
            values = field.enum or ()
            return widgets.SelectMultiple(
                options=[(field.label(v), v) for v in values], rows=min(len(values), 5)
            ), None
        if kind == "boolean":
            return widgets.ToggleButtons(
                options=[("true", True), ("false", False)], value=True
            ), None
        return widgets.Text(placeholder="value"), None

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

    @property
    def _operator_row(self) -> Any:
        """The operator table's row for the chosen label."""
        return by_label(str(self.operator.value))

    def _show_upper(self) -> None:
        children = [self.value_widget]
        if self.upper_widget is not None and self._operator_row.arity[0] == 3:
            children += [self.and_label, self.upper_widget]
        self.value_box.children = tuple(c for c in children if c is not None)

    def _closes_with(self) -> list[widgets.Widget | None]:
        """The value controls, shown or not ("between"'s upper bound hides and shows)."""
        return [self.value_widget, self.upper_widget, self.and_label]

    def cql2(self) -> dict[str, Any]:
        """This row as CQL2 JSON; a ``ValidationError`` (field ``filter``) while incomplete."""
        row = self._operator_row
        return {"op": row.name, "args": [{"property": self.name}, *self._values(row.arity[0] - 1)]}

    def _values(self, count: int) -> list[Any]:
        """The ``count`` values after the property (two for ``between``), as JSON."""
        kind, title = self.kind, self.field.title
        assert self.value_widget is not None
        value = self.value_widget.value
        if kind in ("integer", "number"):
            controls = [self.value_widget, self.upper_widget][:count]
            return [_number(c.value, kind) for c in controls if c is not None]
        if kind == "enum":
            if not value:
                raise ValidationError(f"choose at least one value of {title}", field="filter")
            return [list(value)]
        if kind == "boolean":
            return [bool(value)]
        if not str(value).strip():
            raise ValidationError(f"type a value for {title}", field="filter")
        return [str(value)]


class FilterBuilder(ShowsWhenFilled, ClosesTree, widgets.VBox):
    """Rows of conditions on the product's fields, all AND-ed."""

    #: A JSON Schema to filter on (setting it sets ``fields``); ``None``: no product.
    constraints = traitlets.Dict(
        allow_none=True,
        default_value=None,
        help="the JSON Schema to filter on (sets fields); None: no product",
    )
    #: The fields rows may use (``Product.fields``: constraints and STAT-era parameters).
    fields = traitlets.Instance(
        ProductSchema,
        allow_none=True,
        default_value=None,
        help="the fields rows may use: the product's constraints and STAT-era parameters",
    )
    #: The CQL2 JSON to send, or ``None`` when there is no row or a row is at fault.
    value = traitlets.Dict(
        allow_none=True,
        default_value=None,
        help="the CQL2 JSON to send; None without rows or while a row is at fault",
    )
    error = traitlets.Unicode("", help="what is wrong with the rows, as shown; '' when nothing")

    def __init__(self, constraints: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.rows: list[FilterRow] = []
        # The controls made as ``constraints`` will leave them (no updates after creation).
        fields = None if constraints is None else read_schema(constraints, label="constraints")
        names = fields.names if fields is not None else []
        self.rows_box = _shared.vbox()
        self.add_button = _shared.button(
            description="Add filter", icon="plus", **_add_button_look(names)
        )
        text, json_html = _views_html(names, None, has_rows=False)
        self.text_view = _shared.optional_html(text)
        self.json_view = _shared.optional_html(json_html)
        self.notes_view = _shared.html(_notes_html(fields))
        #: The one label for the filter as a whole: what no row is about (from ``error``) and
        #: messages about ``filter`` from the request validation or the server.
        self.feedback = ErrorLabel()
        self.error_label = self.feedback  # the same label, under its older name
        content = [
            self.rows_box,
            self.add_button,
            self.notes_view,
            self.feedback,
            self.text_view,
            self.json_view,
        ]
        optional = (self.feedback, self.text_view, self.json_view)
        super().__init__(self._shown_when_filled(content, *optional), **kwargs)
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
        self.fields = None if schema is None else read_schema(schema, label="constraints")

    @traitlets.observe("fields")
    def _on_fields(self, _change: object) -> None:
        self.clear()
        for name, value in _add_button_look(self.names).items():
            setattr(self.add_button, name, value)
        self.notes_view.value = _notes_html(self.fields)

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
            from stat_widgets.models.filter import validate_filter  # cql2, on first use

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
        self.feedback.own = describe(rest, field_prefix="filter")

    def row_index(self, field: str) -> int | None:
        """Which row a ``filter...`` field path is about, if any."""
        if len(self.rows) == 1 and (field == "filter" or field.startswith("filter.")):
            return 0
        match = _ROW_PATH.match(field)
        if match and int(match.group(1)) < len(self.rows):
            return int(match.group(1))
        return None

    def _render(self) -> None:
        self.text_view.value, self.json_view.value = _views_html(
            self.names, self.value, has_rows=bool(self.rows)
        )


def _add_button_look(names: list[str]) -> dict[str, Any]:
    """ "Add filter" is offered only when the product has fields to filter on."""
    return {
        "disabled": not names,
        "tooltip": "" if names else "This product exposes no constraints to filter on",
    }


def _notes_html(fields: ProductSchema | None) -> str:
    """The schema's notes about fields it describes too loosely."""
    notes = fields.notes if fields is not None else ()
    return "".join(f"<div>{_html.muted(n)}</div>" for n in notes)


def _views_html(
    names: list[str], value: dict[str, Any] | None, *, has_rows: bool
) -> tuple[str, str]:
    """The filter as CQL2 text and as JSON (or why there is none)."""
    if not names:
        return _html.muted("This product exposes no constraints to filter on."), ""
    if value is None:
        text = "No filter: every capture the product offers qualifies." if not has_rows else ""
        return _html.muted(text), ""
    from stat_widgets.models.filter import filter_to_text  # cql2, on first use

    return "CQL2 text: " + _html.inline_code(filter_to_text(value)), _html.code_block(value)


__all__ = ["NUMBER_OPERATORS", "FilterBuilder", "FilterRow", "field_hint"]
