"""``leaflet_map``: an ipyleaflet ``Map`` whose creation message already holds what the map
starts with (tiles, layers, controls, panes, height).

``ipyleaflet.Map()`` opens its model first and then adds its zoom and attribution controls and
marks its tile layer as the base, each an update message after the creation message; every
``map.add(...)``, ``map.panes = ...`` or ``map.layout.height = ...`` after it is one more. Each
travels through the kernel, the Jupyter server and the browser and may redraw the map before a
form first appears, so the package's maps are made here in one message instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipyleaflet
import ipywidgets as widgets


def base_tiles() -> ipyleaflet.TileLayer:
    """The tile layer ``ipyleaflet.Map()`` starts with (OpenStreetMap), already the base."""
    return ipyleaflet.basemap_to_tiles(ipyleaflet.basemaps.OpenStreetMap.Mapnik, base=True)


def leaflet_map(
    *,
    basemap: bool = True,
    layers: Sequence[ipyleaflet.Layer] = (),
    controls: Sequence[ipyleaflet.Control] = (),
    height: str | None = None,
    **kwargs: Any,
) -> ipyleaflet.Map:
    """A ``Map`` with the base tiles (unless ``basemap`` is false), then ``layers``; the zoom
    and attribution controls every ``Map`` has, then ``controls``; ``height`` in its layout;
    one style model at rest."""
    zoom = ipyleaflet.ZoomControl()
    attribution = ipyleaflet.AttributionControl(position="bottomright")
    if height is not None:
        kwargs["layout"] = widgets.Layout(height=height)
    if "style" not in kwargs and "default_style" not in kwargs:
        # the front end shows ``default_style`` at rest anyway (and ``dragging_style`` while
        # dragged): one model for both (both empty) rather than two
        kwargs["style"] = kwargs["default_style"] = ipyleaflet.MapStyle()
    map_ = ipyleaflet.Map(
        layers=(*((base_tiles(),) if basemap else ()), *layers),
        controls=(zoom, attribution, *controls),
        zoom_control=False,  # made above, rather than added after the creation message
        attribution_control=False,
        **kwargs,
    )
    map_.zoom_control_instance, map_.attribution_control_instance = zoom, attribution
    # The two switches read True, as on any map, and turning one off removes its control. They
    # are not synced to the front end; they are set with their observers detached, which would
    # add a second control now.
    for name, observer in _SWITCHES:
        map_.unobserve(observer, names=name)
        map_.set_trait(name, True)
        map_.observe(observer, names=name)
    return map_


#: ``Map``'s switches and their class-level observers (``@observe`` handlers, which
#: ``unobserve`` takes as they are registered).
_SWITCHES = (
    ("zoom_control", ipyleaflet.Map.observe_zoom_control),
    ("attribution_control", ipyleaflet.Map.observe_attribution_control),
)


__all__ = ["base_tiles", "leaflet_map"]
