"""Layouts and styles shared between widgets (``widgets/_shared.py``): fewer models for the
front end to build before a form appears, and never closed with one form while others use them."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from stat_widgets.widgets import OrderForm
from stat_widgets.widgets._shared import is_shared, shared


def _layouts(form: OrderForm) -> list[widgets.Widget]:
    from stat_widgets.widgets._form_parts import descendants

    return [
        w.layout
        for w in descendants(form)
        if isinstance(getattr(w, "layout", None), widgets.Layout)
    ]


def test_a_form_shares_its_plain_layouts_and_a_closed_form_leaves_them_open(
    make_form: Callable[..., OrderForm], stat_url: str
) -> None:
    first = make_form(stat_url)
    layouts = _layouts(first)
    plain = shared("layout")
    assert sum(layout is plain for layout in layouts) >= 10  # labels, buttons, rows of controls
    own = [layout for layout in layouts if not is_shared(layout)]
    boxes = first.children  # the sections' boxes, hidden or shown by the form
    assert first.aoi.layout in own and all(box.layout in own for box in boxes)

    first.close()
    assert plain.comm is not None and all(layout.comm is None for layout in own)
    second = make_form(stat_url)  # the same shared models, still open, for the next form
    assert shared("layout") is plain and plain in _layouts(second)
    second.product_picker.select(second.product_picker.products[0].id)
    assert second.product_picker.value is not None


def test_a_shared_model_closed_from_outside_is_made_again() -> None:
    plain = shared("layout")
    plain.close()  # what Widget.close_all() does to every model
    again = shared("layout")
    assert again is not plain and again.comm is not None and is_shared(again)
    assert widgets.HTML(layout=again).layout is again
