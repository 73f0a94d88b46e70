"""Large JSON uploads are parsed with the cyclic garbage collector paused (``convert``), and
the collector is always back as it was, whether the text parsed or not."""

from __future__ import annotations

import gc
import json

import pytest

from stat_widgets._gc import cyclic_gc_paused
from stat_widgets.errors import ValidationError
from stat_widgets.models.geometry import convert
from stat_widgets.models.geometry.convert import read_geometry


def big_ring_text(vertices: int = 60_000) -> str:
    """A square of 0.2° whose bottom edge has ``vertices`` points: over 1 MiB of GeoJSON."""
    bottom = [[10 + 0.2 * k / vertices, 50.0] for k in range(vertices)]
    ring = [*bottom, [10.2, 50.0], [10.2, 50.2], [10.0, 50.2], [10.0, 50.0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_the_collector_is_paused_during_a_large_parse_only() -> None:
    seen: list[bool] = []
    with cyclic_gc_paused(True):
        seen.append(gc.isenabled())
    assert seen == [False] and gc.isenabled()
    with cyclic_gc_paused(False):  # a small text: nothing changes
        assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused(True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_large_texts_good_or_bad_leave_the_collector_on() -> None:
    text = big_ring_text()
    assert len(text) > convert._PAUSE_GC_ABOVE
    valid = read_geometry(text)
    assert valid.geometry["type"] == "Polygon" and gc.isenabled()
    with pytest.raises(ValidationError) as caught:
        read_geometry(text[:-2])  # cut off: not JSON
    assert caught.value.errors[0].field == "geometry" and gc.isenabled()
