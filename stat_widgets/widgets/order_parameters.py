"""STAPI ``order_parameters``: controls generated from a product's ``/order-parameters`` schema.

STAT draft servers have no such thing; the section stays hidden until a product brings a schema
with properties. Values left unset are omitted, so the schema's defaults apply (the client fills
them in, and reports a required parameter that is still missing as ``order_parameters.<name>``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import ValidationError
from stat_widgets.models import validate_order_parameters
from stat_widgets.widgets import _html
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets.filter_builder import constraint_kind

_UNSET = "— not set —"


def _parse_number(text: str, kind: str) -> int | float:
    value = float(text)
    if kind == "integer":
        if not value.is_integer():
            raise ValueError("a whole number is needed")
        return int(value)
    return int(value) if value.is_integer() else value


class OrderParametersForm(widgets.VBox):
    """One control per order parameter; ``value`` holds the parameters the user set."""

    #: The ``/order-parameters`` JSON Schema, or ``None`` (STAT draft servers).
    schema = traitlets.Dict(allow_none=True, default_value=None)
    value = traitlets.Dict()
    error = traitlets.Unicode("")

    def __init__(self, **kwargs: Any) -> None:
        self.controls: dict[str, widgets.ValueWidget] = {}
        self.controls_box = widgets.VBox()
        self.error_label = ErrorLabel()
        #: Messages about ``order_parameters`` from the client or the server.
        self.feedback = ErrorLabel()
        super().__init__([self.controls_box, self.error_label, self.feedback], **kwargs)
        self._rebuild()

    @property
    def properties(self) -> dict[str, dict[str, Any]]:
        return dict((self.schema or {}).get("properties") or {})

    @traitlets.observe("schema")
    def _on_schema(self, _change: object) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        self.controls = {}
        rows = []
        required = set((self.schema or {}).get("required") or [])
        for name, spec in self.properties.items():
            spec = spec if isinstance(spec, dict) else {}
            control = self._control(spec)
            control.description = (spec.get("title") or name) + (" *" if name in required else "")
            control.style = {"description_width": "initial"}
            control.observe(lambda _c: self._recompute(), names="value")
            self.controls[name] = control
            hint = _html.muted(spec.get("description", ""))
            rows.append(widgets.VBox([control, widgets.HTML(hint)]))
        self.controls_box.children = tuple(rows)
        self._recompute()

    def _control(self, spec: dict[str, Any]) -> widgets.ValueWidget:
        kind = constraint_kind(spec)
        default = spec.get("default")
        if kind == "enum":
            values = spec.get("enum") or (spec.get("items") or {}).get("enum") or []
            return widgets.Dropdown(
                options=[(_UNSET, None)] + [(str(v), v) for v in values],
                value=default if default in values else None,
            )
        if kind == "boolean":
            return widgets.Dropdown(
                options=[(_UNSET, None), ("true", True), ("false", False)],
                value=default if isinstance(default, bool) else None,
            )
        low, high = spec.get("minimum"), spec.get("maximum")
        placeholder = f"{low} to {high}" if kind in ("integer", "number") else ""
        return widgets.Text(
            value="" if default is None else str(default), placeholder=placeholder or "not set"
        )

    def _recompute(self) -> None:
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, control in self.controls.items():
            spec = self.properties.get(name) or {}
            raw = control.value
            if raw is None or raw == "":
                continue
            kind = constraint_kind(spec)
            if kind in ("integer", "number"):
                try:
                    values[name] = _parse_number(str(raw), kind)
                except ValueError:
                    wanted = "a whole number" if kind == "integer" else "a number"
                    problems.append(f"{name}: {raw!r} is not {wanted}")
            else:
                values[name] = raw
        try:
            validate_order_parameters(values, self.schema or {}, require=False)
        except ValidationError as exc:
            for error in exc.errors:
                name = error.field.removeprefix("order_parameters.")
                values.pop(name, None)
                problems.append(f"{name}: {error.message}")
        with self.hold_trait_notifications():
            self.value = values
            self.error = "; ".join(problems)
        self.error_label.message = self.error
        self.feedback.message = ""


__all__ = ["OrderParametersForm"]
