"""``leaflet_map``: a map made in one creation message is the map ``ipyleaflet.Map()`` makes,
with the same controls in the same order and switches that still work."""

from __future__ import annotations

import ipyleaflet

from stat_widgets.widgets._lifecycle import close_tree
from stat_widgets.widgets.leaflet_map import leaflet_map


def test_the_same_controls_and_base_tiles_as_a_plain_map() -> None:
    plain, ours = ipyleaflet.Map(), leaflet_map()
    try:
        assert [type(c) for c in ours.controls] == [type(c) for c in plain.controls]
        assert [c.position for c in ours.controls] == [c.position for c in plain.controls]
        assert [(t.url, t.base) for t in ours.layers] == [(t.url, t.base) for t in plain.layers]
        assert ours.zoom_control and ours.attribution_control
    finally:
        close_tree(plain, ours)


def test_the_zoom_and_attribution_switches_still_work() -> None:
    map_ = leaflet_map(basemap=False, height="300px")
    try:
        assert map_.layers == () and map_.layout.height == "300px"
        map_.zoom_control = False
        map_.attribution_control = False
        assert map_.controls == ()
        map_.zoom_control = True
        assert [type(c) for c in map_.controls] == [ipyleaflet.ZoomControl]
    finally:
        close_tree(map_)
