"""An ``OrderForm`` is built with the cyclic garbage collector paused (``stat_widgets/_gc.py``)
and the collector is back as it was afterwards, whether the form was made or not."""

from __future__ import annotations

import gc
from typing import Any

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


def _kernel() -> Any:
    from jupyter_client.manager import start_new_kernel

    return start_new_kernel(kernel_name="python3")


def test_in_a_notebook_cell_the_collector_is_back_once_the_cell_has_run(stat_url: str) -> None:
    """In a kernel, the collection the pause held back waits for the end of the cell that made
    the form (IPython's ``post_execute``), when the form's output has left the kernel."""
    manager, kernel = _kernel()
    try:
        cell = f"import gc\nfrom stat_widgets import OrderForm\nform = OrderForm({stat_url!r})\n"
        cell += "in_the_cell = gc.isenabled()"
        assert kernel.execute_interactive(cell, timeout=120)["content"]["status"] == "ok"
        assert _printed(kernel, "print(in_the_cell, gc.isenabled())") == "False True"
    finally:
        kernel.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_form_made_by_a_widget_callback_turns_the_collector_back_on_at_once(
    stat_url: str,
) -> None:
    """A form made when a button is clicked (a ``comm_msg``, which no cell end follows): the
    collector is on again as soon as the form is made."""
    manager, kernel = _kernel()
    try:
        cell = (
            "import gc, ipywidgets\nfrom stat_widgets import OrderForm\nseen = []\n"
            "button = ipywidgets.Button()\n"
            f"button.on_click(lambda _b: (OrderForm({stat_url!r}), seen.append(gc.isenabled())))\n"
            "print(button.model_id)"
        )
        comm_id = _printed(kernel, cell)
        click = {"method": "custom", "content": {"event": "click"}}
        kernel.shell_channel.send(
            kernel.session.msg("comm_msg", {"comm_id": comm_id, "data": click})
        )
        assert _printed(kernel, "import time\nwhile not seen: time.sleep(0.05)\nprint(seen)") == (
            "[True]"
        )
    finally:
        kernel.stop_channels()
        manager.shutdown_kernel(now=True)


def _printed(kernel: Any, code: str) -> str:
    out: list[str] = []

    def hear(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append("\n".join(msg["content"]["traceback"]))

    kernel.execute_interactive(code, timeout=120, output_hook=hear)
    return "".join(out).strip()
