"""A short ``repr`` for the package's widgets that are made of many.

ipywidgets gives a displayed widget's output a ``text/plain`` beside the widget view, made from
the widget's ``repr`` and cut to 110 characters, and that ``repr`` lists every trait that is
not at its default, children included, all the way down. For an ``OrderForm`` that is about a
hundred widgets and the world layer's data: 157 KB built in 8 ms, for 110 characters, before
the cell's output left the kernel (``benchmarks/first_paint.py``). ``BriefRepr`` says instead
what the widget is about (``OrderForm(url='https://…', product='optical')``).
"""

from __future__ import annotations

import operator
from typing import ClassVar


class BriefRepr:
    """Mixin: ``repr`` is the class name and the attributes named in ``_brief`` (label, dotted
    path); a path that cannot be read now (a half-made or closed widget, nothing chosen yet)
    is left out, since a ``repr`` must never raise."""

    _brief: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __repr__(self) -> str:
        shown = []
        for label, path in self._brief:
            try:
                value = operator.attrgetter(path)(self)
            except Exception:  # whatever a half-made or closed widget raises
                continue
            shown.append(f"{label}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


__all__ = ["BriefRepr"]
