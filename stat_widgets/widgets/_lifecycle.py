"""Closing a widget and every widget model it made: children, layouts, styles, map layers and
controls. A closed notebook output otherwise leaves their models alive in the kernel (and in
the front end's widget manager) until the kernel stops.

One way for every widget of the package: ``close()`` releases what is not a widget model (an
owned client, a timer) and then calls ``close_tree(self)``; ``ClosesTree`` is that ``close()``
for the widgets that own nothing else. A widget that made models its synced traits no longer
reach (a control replaced but kept for the front end's sake, a layer taken off the map) lists
them in ``_closes_with()``, and ``close_tree`` closes them too, wherever the widget sits. A
model marked ``shared`` (the tables' code, one per kernel) belongs to no one widget: left open.
Replacing children goes through ``replace_children``, so what is dropped is closed at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import ipywidgets as widgets

from stat_widgets.widgets._shared import is_shared


def _widgets_in(value: object) -> Iterator[widgets.Widget]:
    if isinstance(value, widgets.Widget):
        if not getattr(value, "shared", False):  # one model for the kernel (``TableCode``)
            yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _widgets_in(item)


def _reachable(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """The widgets ``widget`` holds: through its synced traits, and what it says it owns."""
    for name in widget.keys:
        try:
            value = getattr(widget, name)
        except Exception:  # a trait that cannot be read on a half-made widget
            continue
        yield from _widgets_in(value)
    also = getattr(widget, "_closes_with", None)
    if callable(also):
        yield from _widgets_in(list(also()))


def close_tree(*roots: widgets.Widget, keep: Iterable[widgets.Widget] = ()) -> None:
    """Close ``roots`` and every widget reachable through their synced traits (``children``,
    ``layout``, ``style``, ``layers``, ``controls``, ...) or their ``_closes_with()``, each
    once; widgets in ``keep`` (and what only they reach) are left open, for parts owned by
    someone else, and so are the layouts and styles other widgets share (``_shared``)."""
    kept = {id(w) for w in keep}
    seen: set[int] = set()
    stack = [w for w in roots if id(w) not in kept]
    order: list[widgets.Widget] = []
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        order.append(widget)
        stack.extend(w for w in _reachable(widget) if id(w) not in kept and not is_shared(w))
    for widget in order:
        widgets.Widget.close(widget)  # the model itself; subclasses' close() may recurse here


def replace_children(box: widgets.Box, children: Iterable[widgets.Widget]) -> None:
    """Show ``children`` in ``box`` and close the children it showed before that are not
    among them (with their layouts and styles)."""
    new = tuple(children)
    old, box.children = box.children, new
    close_tree(*old, keep=new)


class ClosesTree:
    """Mixin: ``close()`` closes the widget and every widget model it made (``close_tree``)."""

    def close(self: widgets.Widget) -> None:
        """Close this widget and every widget model it made."""
        close_tree(self)


__all__ = ["ClosesTree", "close_tree", "replace_children"]
