"""Closing a widget and every widget model it made: children, layouts, styles, map layers and
controls. A closed notebook output otherwise leaves their models alive in the kernel (and in
the front end's widget manager) until the kernel stops."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import ipywidgets as widgets


def _widgets_in(value: object) -> Iterator[widgets.Widget]:
    if isinstance(value, widgets.Widget):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _widgets_in(item)


def close_tree(*roots: widgets.Widget, keep: Iterable[widgets.Widget] = ()) -> None:
    """Close ``roots`` and every widget reachable through their synced traits (``children``,
    ``layout``, ``style``, ``layers``, ``controls``, ...), each once; widgets in ``keep`` (and
    what only they reach) are left open, for parts owned by someone else."""
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
        for name in widget.keys:
            try:
                value = getattr(widget, name)
            except Exception:  # a trait that cannot be read on a half-made widget
                continue
            stack.extend(w for w in _widgets_in(value) if id(w) not in kept)
    for widget in order:
        widgets.Widget.close(widget)  # the model itself; subclasses' close() may recurse here


__all__ = ["close_tree"]
