"""Showing a ``ValidationError`` next to the control that edits the field it names.

Field paths are paths into the wire body (``geometry.coordinates[0][3]``, ``filter.args[1]``,
``datetime``); each form section owns one top-level field, so routing is by prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.widgets import _html, _shared


class ErrorLabel(_shared.OpensWhenShown, widgets.HTML):
    """An HTML line that shows, escaped and in the theme's error colour, what a section found
    wrong with its own input (``own``) and what the models or the server said about its field
    (``message``), or nothing. One label per section, so one fact is said in one place. Most
    never say anything: the model is sent when the label first shows (``OpensWhenShown``)."""

    message = traitlets.Unicode("", help="messages routed here by field (models, server)")
    own = traitlets.Unicode("", help="the section's own finding about its input")

    def __init__(self, **kwargs: object) -> None:
        # the class, the shared layout and style and the (empty) text in the creation message,
        # rather than in updates after it
        super().__init__(**_shared.text_look(**{"_dom_classes": ("stat-widgets-error",), **kwargs}))
        self._render()

    @traitlets.observe("message", "own")
    def _on_message(self, _change: object) -> None:
        self._render()

    @property
    def text(self) -> str:
        """Everything the label says, as plain text ("" when it says nothing)."""
        return " ".join(dict.fromkeys(m for m in (self.own, self.message) if m))

    def _render(self) -> None:
        self.value = _html.error(self.text)


class ErrorNote(traitlets.HasTraits):
    """``ErrorLabel``'s two messages without a widget of its own: for a section that shows them
    in its own front end (the opportunities' table, as one of its notes), where a label would
    be three more widget models to build and send."""

    message = traitlets.Unicode("", help="messages routed here by field (models, server)")
    own = traitlets.Unicode("", help="the section's own finding about its input")

    @property
    def text(self) -> str:
        """Everything it says, as plain text ("" when it says nothing)."""
        return " ".join(dict.fromkeys(m for m in (self.own, self.message) if m))


def describe(errors: Iterable[FieldError], *, field_prefix: str = "") -> str:
    """One human line for several errors about one section; the section's own field name is
    dropped (the message sits next to it) but deeper paths are kept because they locate the
    fault (``coordinates[0][3]: ...``)."""
    parts = []
    for err in errors:
        where = err.field
        if field_prefix and where.startswith(field_prefix):
            where = where[len(field_prefix) :].lstrip(".")
        parts.append(f"{where}: {err.message}" if where else err.message)
    return "; ".join(parts)


def route_errors(
    error: ValidationError, labels: Mapping[str, ErrorLabel | ErrorNote], fallback: ErrorLabel
) -> None:
    """Put each error of ``error`` under the label whose field it names; errors about no known
    field (``""``, or a field no section owns) go to ``fallback``."""
    claimed: set[int] = set()
    for field, label in labels.items():
        mine = error.for_field(field)
        claimed.update(id(e) for e in mine)
        label.message = describe(mine, field_prefix=field)
    rest = [e for e in error.errors if id(e) not in claimed]
    fallback.message = describe(rest)


def clear(labels: Iterable[ErrorLabel | ErrorNote]) -> None:
    for label in labels:
        label.message = ""


__all__ = ["ErrorLabel", "ErrorNote", "clear", "describe", "route_errors"]
