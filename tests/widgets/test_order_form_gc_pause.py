"""An ``OrderForm`` is built with the cyclic garbage collector paused (``stat_widgets/_gc.py``)
and the collector is back as it was afterwards, whether the form was made or not."""

from __future__ import annotations

import gc

import pytest

from stat_widgets.widgets import OrderForm
from stat_widgets.widgets.form_sections import AOISection


def test_the_collector_is_paused_while_the_form_is_built_and_back_after(stat_url: str) -> None:
    seen: list[bool] = []

    class Recording(AOISection):
        def __init__(self, context: object) -> None:
            seen.append(gc.isenabled())
            super().__init__(context)

    class Form(OrderForm):
        SECTIONS = (Recording, *OrderForm.SECTIONS[1:])

    form = Form(stat_url, basemap=False)
    try:
        assert seen == [False] and gc.isenabled()
        form.aoi.set_geometry({"type": "Point", "coordinates": [8.68, 50.11]})  # observers: on
        assert gc.isenabled()
    finally:
        form.close()


def test_a_form_that_fails_to_build_leaves_the_collector_on() -> None:
    with pytest.raises(TypeError):
        OrderForm(42)  # type: ignore[arg-type]
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(stat_url: str) -> None:
    gc.disable()
    try:
        OrderForm(stat_url, basemap=False).close()
        assert not gc.isenabled()
    finally:
        gc.enable()
