"""``LazyInstance``: a trait whose class, named as text, is imported when a value is first set
rather than when an object with the trait is made.

traitlets' ``Instance("pkg.mod.Class")`` imports ``pkg.mod`` as each object is made
(``instance_init``). For ``OrderForm.request`` that is the models and pydantic, about 50 ms,
before the form has made a single widget: the browser then waits for the models before it can
build the map. With this trait the models load when a section first needs them, after the
map's widgets are on their way.
"""

from __future__ import annotations

from typing import Any

import traitlets
from traitlets.utils.importstring import import_item


class LazyInstance(traitlets.Instance):  # type: ignore[type-arg]
    """``traitlets.Instance`` with the class named as text and resolved on first validation
    (``None`` is allowed without importing anything)."""

    def instance_init(self, obj: Any) -> None:
        pass  # traitlets resolves the class here; it waits for a value instead

    def validate(self, obj: Any, value: Any) -> Any:
        if self.allow_none and value is None:
            return value
        if isinstance(self.klass, str):
            self.klass = import_item(self.klass)
        return super().validate(obj, value)


__all__ = ["LazyInstance"]
