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


class ShowsWhenFilled:
    """Mixin for a box some of whose children are text widgets (``HTML``, ``ErrorLabel``) that
    are often empty: such a child is in ``children`` only while its ``value`` says something,
    in its place among the others. An empty one in the page was a blank line (ipywidgets' zero
    width placeholder keeps its height) and a view the browser built for nothing, ~1.5 ms each
    of a form's first paint (``benchmarks/first_paint.py``). The box closes them either way."""

    def _shown_when_filled(
        self, children: Iterable[widgets.Widget], *optional: widgets.Widget
    ) -> tuple[widgets.Widget, ...]:
        """Keep ``children`` as the box's content and return what it shows of it now (for
        ``__init__`` to hand the box); each of ``optional`` shows while its value is set."""
        self._content = tuple(children)
        self._optional = optional
        for child in optional:
            child.observe(self._show_filled, names="value")
        return self._filled()

    def _filled(self) -> tuple[widgets.Widget, ...]:
        hidden = {id(c) for c in self._optional if not c.value}
        return tuple(c for c in self._content if id(c) not in hidden)

    def _show_filled(self, _change: object = None) -> None:
        shown = self._filled()
        if shown != tuple(self.children):  # type: ignore[attr-defined]
            self.children = shown  # type: ignore[attr-defined]

    def _closes_with(self) -> list[widgets.Widget]:
        """What the box does not show now (``close_tree`` closes it with the box)."""
        content = getattr(self, "_content", ())  # none yet: a half-made box
        return [c for c in content if c not in self.children]  # type: ignore[attr-defined]


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


__all__ = ["ClosesTree", "ShowsWhenFilled", "close_tree", "replace_children"]
