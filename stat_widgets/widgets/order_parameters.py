"""STAPI ``order_parameters``: controls generated from a product's ``/order-parameters`` schema.

STAT draft servers have no such thing; the section stays hidden until a product brings a schema
with fields. Each field is read by ``models.product_schema``: values offered as a dropdown (or a
multi-select for a list), booleans as a dropdown, anything else as text. Values left unset are
omitted, so the schema's defaults apply (the client fills them in, and reports a required
parameter that is still missing as ``order_parameters.<name>``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import ValidationError
from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets._lifecycle import ClosesTree, ShowsWhenFilled, replace_children
from stat_widgets.widgets.filter_builder import field_hint

if TYPE_CHECKING:  # the schema models load with the first product
    from stat_widgets.models.product_schema import ProductSchema, SchemaField

_UNSET = "— not set —"


def _parse_number(text: str, kind: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        wanted = "a whole number" if kind == "integer" else "a number"
        raise ValueError(f"{text!r} is not {wanted}") from None
    if kind == "integer":
        if not value.is_integer():
            raise ValueError(f"{text!r} is not a whole number")
        return int(value)
    return int(value) if value.is_integer() else value


def _read_value(field: SchemaField, raw: Any) -> Any:
    """What a control holds as the JSON value to send (``ValueError`` in words)."""
    if isinstance(raw, tuple):  # a multi-select: the values chosen
        return list(raw)
    if not isinstance(raw, str):
        return raw
    if field.multiple:
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        kind = field.type
        return [_parse_number(p, kind) for p in parts] if kind in ("integer", "number") else parts
    if field.kind in ("integer", "number"):
        return _parse_number(raw, field.kind)
    if field.type == "object":
        try:
            return json.loads(raw)
        except ValueError:
            raise ValueError('this takes a JSON object, e.g. {"key": "value"}') from None
    return raw


class OrderParametersForm(_shared.OpensWhenShown, ShowsWhenFilled, ClosesTree, widgets.VBox):
    """One control per order parameter; ``value`` holds the parameters the user set. Most
    servers (STAT draft) have none: sent to the browser when it first shows."""

    #: The ``/order-parameters`` JSON Schema, or ``None`` (STAT draft servers).
    schema = traitlets.Dict(
        allow_none=True,
        default_value=None,
        help="the product's order-parameters JSON Schema; None on STAT draft servers",
    )
    value = traitlets.Dict(help="the order parameters the user set, as sent")
    error = traitlets.Unicode("", help="what is wrong with the parameters, as shown; '' if ok")

    def __init__(self, **kwargs: Any) -> None:
        self.controls: dict[str, widgets.ValueWidget] = {}
        self.controls_box = _shared.optional_vbox()
        #: The one label for the parameters: what is wrong as typed (``error``) and messages
        #: about ``order_parameters`` from the client or the server.
        self.feedback = ErrorLabel()
        self.error_label = self.feedback  # the same label, under its older name
        content = [self.controls_box, self.feedback]
        super().__init__(self._shown_when_filled(content, self.feedback), **kwargs)
        self._rebuild()

    @property
    def fields(self) -> ProductSchema:
        from stat_widgets.models.product_schema import EMPTY, read_schema

        if self.schema is None:
            return EMPTY
        return read_schema(self.schema, label="order parameters")

    @traitlets.observe("schema")
    def _on_schema(self, _change: object) -> None:
        self._rebuild()

    def reset(self) -> None:
        """Every control back to the schema's default (or unset)."""
        self._rebuild()

    def _rebuild(self) -> None:
        self.controls = {}
        rows = []
        for field in self.fields:
            control = self._control(field)
            control.description = field.title + (" *" if field.required else "")
            control.style.description_width = "initial"  # a new style would orphan the old
            control.observe(lambda _c: self._recompute(), names="value")
            self.controls[field.name] = control
            rows.append(widgets.VBox([control, widgets.HTML(field_hint(field))]))
        notes = "".join(f"<div>{_html.muted(n)}</div>" for n in self.fields.notes)
        if notes:
            rows.append(widgets.HTML(notes))
        replace_children(self.controls_box, rows)
        self._recompute()

    def _control(self, field: SchemaField) -> widgets.ValueWidget:
        default = field.default if field.has_default else None
        if field.kind == "enum" and field.multiple:
            values = field.enum or ()
            chosen = tuple(v for v in default if v in values) if isinstance(default, list) else ()
            return widgets.SelectMultiple(
                options=[(field.label(v), v) for v in values],
                value=chosen,
                rows=min(len(values), 5),
            )
        if field.kind == "enum":
            values = field.enum or ()
            return widgets.Dropdown(
                options=[(_UNSET, None)] + [(field.label(v), v) for v in values],
                value=default if default in values else None,
            )
        if field.kind == "boolean":
            return widgets.Dropdown(
                options=[(_UNSET, None), ("true", True), ("false", False)],
                value=default if isinstance(default, bool) else None,
            )
        placeholder = "values separated by commas" if field.multiple else ""
        if field.kind in ("integer", "number"):
            placeholder = f"{field.minimum} to {field.maximum}"
        if isinstance(default, list):
            text = ", ".join(map(str, default))
        else:
            text = "" if default is None else str(default)
        return widgets.Text(value=text, placeholder=placeholder or "not set")

    def _recompute(self) -> None:
        values: dict[str, Any] = {}
        problems: list[str] = []
        fields = self.fields
        for name, control in self.controls.items():
            raw = control.value
            if raw is None or raw == "" or raw == ():
                continue
            try:
                values[name] = _read_value(fields[name], raw)
            except ValueError as exc:
                problems.append(f"{name}: {exc}")
        from stat_widgets.models import validate_order_parameters

        try:
            validate_order_parameters(values, fields, require=False)
        except ValidationError as exc:
            for error in exc.errors:
                name = error.field.removeprefix("order_parameters.").split("[")[0]
                values.pop(name, None)
                problems.append(f"{name}: {error.message}")
        with self.hold_trait_notifications():
            self.value = values
            self.error = "; ".join(problems)
        self.feedback.own = self.error
        self.feedback.message = ""


__all__ = ["OrderParametersForm"]
