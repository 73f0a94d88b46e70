"""One ``Layout`` and one style model of each kind, shared by the package's widgets that never
change their own look.

ipywidgets gives every widget a new ``Layout`` and a new style model unless it is handed one:
of the 227 models an ``OrderForm`` made, 83 were layouts and 47 styles, all empty. Each model is
a message from the kernel and a model the front end builds before the form first appears.
Sharing one model between widgets is how ipywidgets' own documentation styles several widgets
alike ("Layout and Styling of Jupyter widgets"); here it is only for widgets whose layout and
style nothing sets (labels, buttons, rows of controls). A widget whose layout is changed later
(a section hidden with ``layout.display``) keeps its own.

The shared models are made when this module is imported and stay open: ``close_tree`` leaves
them to the widgets that still use them, and one closed from outside (``Widget.close_all()``)
is made again for the next widget.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle  # not at the top level
from ipywidgets.widgets.widget_string import HTMLStyle

#: The shared models by name: what each is, and the values it is made with.
_KINDS: dict[str, tuple[type[widgets.Widget], dict[str, str]]] = {
    "layout": (widgets.Layout, {}),
    # A button (or checkbox) as wide as its text, which a long message beside it in the same
    # row never squeezes to "…" (flex items shrink by default).
    "layout_auto": (widgets.Layout, {"width": "auto", "flex": "0 0 auto"}),
    "html": (HTMLStyle, {}),
    "button": (widgets.ButtonStyle, {}),
    "description": (DescriptionStyle, {}),  # dropdowns', date pickers' look
}
_made: dict[str, widgets.Widget] = {}


def shared(kind: str) -> Any:
    """The shared model ``kind`` (a name of ``_KINDS``: ``"layout"``, ``"layout_auto"``,
    ``"html"``, ``"button"``, ``"description"``)."""
    model = _made.get(kind)
    if model is None or getattr(model, "comm", None) is None:  # closed from outside
        cls, values = _KINDS[kind]
        model = _made[kind] = cls(**values)
    return model


def is_shared(widget: object) -> bool:
    """Whether ``widget`` is one of the shared models (which ``close_tree`` leaves open)."""
    return any(widget is model for model in _made.values())


class OpensWhenShown:
    """Mixin for a widget that is often never shown (an error label, a result line): its model
    is sent to the browser when something first refers to it (a shown box's ``children``, a
    ``display``), not when it is made. ipywidgets opens every widget's comm in ``__init__``;
    each such model the form's first paint did not need cost the browser about 0.6 ms of CPU
    and the kernel and Jupyter server about 0.4 ms more (``benchmarks/first_paint.py``). Its
    traits are kept as they change and travel in the creation message when it opens; a closed
    one stays closed."""

    def open(self) -> None:
        if self.__dict__.get("_may_open"):  # not from Widget.__init__: from model_id below
            super().open()  # type: ignore[misc]

    @property
    def model_id(self) -> str:
        if self.comm is None and not self.__dict__.get("_may_open"):  # type: ignore[attr-defined]
            self.__dict__["_may_open"] = True
            self.open()
        return super().model_id  # type: ignore[misc]

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        self.model_id  # noqa: B018 (opens it: the view names the model by its id)
        return super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]


class OptionalHTML(OpensWhenShown, widgets.HTML):
    """An ``HTML`` line that is often empty and then not in the page (``ShowsWhenFilled``)."""


class OptionalVBox(OpensWhenShown, widgets.VBox):
    """A column of a part that is often never shown (a section that does not apply)."""


def text_look(**kwargs: Any) -> dict[str, Any]:
    """``layout`` and ``style`` keywords for an ``HTML`` line (or a subclass): the shared
    layout and HTML style, unless given its own."""
    return {"layout": shared("layout"), "style": shared("html"), **kwargs}


def html(value: str = "", **kwargs: Any) -> widgets.HTML:
    """An ``HTML`` widget with the shared layout and style (unless given its own)."""
    return widgets.HTML(value, **text_look(**kwargs))


def optional_html(value: str = "", **kwargs: Any) -> widgets.HTML:
    """``html`` for a line that is in the page only while it says something: its model is
    sent when it first shows (``OpensWhenShown``)."""
    return OptionalHTML(value, **text_look(**kwargs))


def button(**kwargs: Any) -> widgets.Button:
    """A ``Button`` with the shared layout and style (``button_style`` and ``icon`` are the
    button's own traits, not its style model's)."""
    return widgets.Button(**{"layout": shared("layout"), "style": shared("button"), **kwargs})


def plain(**kwargs: Any) -> dict[str, Any]:
    """``layout`` and ``style`` keywords for a control whose look nothing sets (a dropdown, a
    date picker): the shared layout and description style, unless given its own."""
    return {"layout": shared("layout"), "style": shared("description"), **kwargs}


def hbox(children: Any = (), **kwargs: Any) -> widgets.HBox:
    """A row of widgets with the shared layout (a box whose layout is never changed)."""
    return widgets.HBox(children, **{"layout": shared("layout"), **kwargs})


def vbox(children: Any = (), **kwargs: Any) -> widgets.VBox:
    """A column of widgets with the shared layout (a box whose layout is never changed)."""
    return widgets.VBox(children, **{"layout": shared("layout"), **kwargs})


def optional_vbox(children: Any = (), **kwargs: Any) -> widgets.VBox:
    """``vbox`` for a part that is often never shown: sent when it first shows."""
    return OptionalVBox(children, **{"layout": shared("layout"), **kwargs})


for _kind in _KINDS:  # made now, so that a form's first widgets do not count them as theirs
    shared(_kind)

__all__ = [
    "OpensWhenShown",
    "OptionalHTML",
    "OptionalVBox",
    "button",
    "hbox",
    "html",
    "is_shared",
    "optional_html",
    "optional_vbox",
    "plain",
    "shared",
    "text_look",
    "vbox",
]
