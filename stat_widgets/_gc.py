"""The cyclic garbage collector paused while the package makes many objects at once.

Reference counting frees everything as usual meanwhile; only the cycle detector waits. Two
places use it, both measured:

- parsing a large JSON text (``models/geometry/convert.py``): a 200,000-vertex upload makes
  about 600,000 lists and floats, which cannot form cycles, yet each allocation burst triggered
  collections that walked every object in the kernel (0.1–0.65 s of a 0.03 s parse);
- building an ``OrderForm`` (``widgets/order_form.py``): the first form in a kernel imports the
  client and the models and makes its widgets, and the allocations crossed the threshold of a
  full collection, which walked the kernel's ~110,000 objects in 0.13–0.24 s, a fifth of the
  wait before the form appeared (``benchmarks/first_paint.py``). That collection now runs at
  the kernel's next allocation burst after the form is made, not before it is shown.

The collector is re-enabled only if it was on when the block started, so nesting and a caller
who turned it off keep their say.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused(paused: bool = True) -> Iterator[None]:
    """Pause the cyclic collector for the block (when ``paused``), then restore it."""
    was_on = paused and gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


__all__ = ["cyclic_gc_paused"]
