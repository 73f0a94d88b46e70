"""The cyclic garbage collector paused while the package makes many objects at once.

Reference counting frees everything as usual meanwhile; only the cycle detector waits. Two
places use it, both measured:

- parsing a large JSON text (``models/geometry/convert.py``): a 200,000-vertex upload makes
  about 600,000 lists and floats, which cannot form cycles, yet each allocation burst triggered
  collections that walked every object in the kernel (0.1–0.65 s of a 0.03 s parse);
- building an ``OrderForm`` (``widgets/order_form.py``): the first form in a kernel imports the
  client and the models and makes its widgets, and the allocations crossed the threshold of a
  full collection, which walked the kernel's ~110,000 objects in 0.13–0.24 s, a fifth of the
  wait before the form appeared (``benchmarks/first_paint.py``).

What the pause held back runs at the first allocation after it ends: after a form, a collection
of the ~110,000 objects of 6 ms, which, right after ``__init__``, still came before the cell's
output left the kernel. So the form asks for ``until_cell_ends``: inside a notebook cell
(an IPython kernel running an ``execute_request``) the collector comes back on at IPython's
``post_execute`` event, once the cell's output was sent, while the browser builds the form.
Anywhere else (plain Python, a widget's callback, which no cell end follows soon) it comes back
on when the block ends.

The collector is re-enabled only if it was on when the block started, so nesting and a caller
who turned it off keep their say.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def cyclic_gc_paused(paused: bool = True, *, until_cell_ends: bool = False) -> Iterator[None]:
    """Pause the cyclic collector for the block (when ``paused``), then restore it: at once, or
    with ``until_cell_ends`` once the notebook cell running the block has finished."""
    was_on = paused and gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on and not (until_cell_ends and _enable_after_cell()):
            gc.enable()


def _enable_after_cell() -> bool:
    """Have IPython turn the collector back on after the running cell (``post_execute``);
    False, with nothing arranged, when no cell of an IPython kernel is running."""
    shell = _cell_shell()
    if shell is None:
        return False

    def enable() -> None:
        shell.events.unregister("post_execute", enable)
        gc.enable()

    shell.events.register("post_execute", enable)
    return True


def _cell_shell() -> Any:
    """The IPython shell whose kernel is running a cell now, else None (IPython is never
    imported here: a process that has not imported it runs no cell)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    kernel = getattr(shell, "kernel", None)
    try:
        parent = kernel.get_parent("shell") if kernel is not None else None
        return shell if parent and parent["header"]["msg_type"] == "execute_request" else None
    except (AttributeError, KeyError, TypeError):  # another kernel than ipykernel's
        return None


__all__ = ["cyclic_gc_paused"]
