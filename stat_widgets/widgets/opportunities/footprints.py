"""``OpportunityFootprints``: the windows' footprints on the AOI map, linked to the table.

Two ``StyledLayer``s (the order browser's: the style travels once, not in every feature): all
footprints in one layer, the selected one alone in a second layer on top (made on the first
choice), so that selecting a
window sends one footprint, not all of them again. Clicking a footprint selects its window;
``selected`` is an index into the windows last given to :meth:`show`. The layers are added to
the map the section is given and removed by :meth:`clear`, leaving the AOI as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipyleaflet
import traitlets

from stat_widgets.models import Opportunity
from stat_widgets.widgets.order_browser.footprint_map import StyledLayer

_EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}
ALL_STYLE = {
    "color": "#ef6c00",
    "fillColor": "#ef6c00",
    "weight": 1,
    "opacity": 0.7,
    "fillOpacity": 0.08,
}
SELECTED_STYLE = {
    "color": "#1976d2",
    "fillColor": "#1976d2",
    "weight": 3,
    "opacity": 1.0,
    "fillOpacity": 0.3,
}


def _feature(index: int, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "id": index, "geometry": geometry, "properties": {}}


class OpportunityFootprints(traitlets.HasTraits):
    """The footprints of the windows found, on ``map`` (an ``ipyleaflet.Map``)."""

    selected = traitlets.Int(-1, help="index of the highlighted window; -1 for none")

    def __init__(self, map_: ipyleaflet.Map | None = None) -> None:
        super().__init__()
        self.map = map_
        self.layer = StyledLayer(
            data=_EMPTY,
            style=ALL_STYLE,
            hover_style={"weight": 3, "fillOpacity": 0.25},
            name="Opportunities",
        )
        self.layer.on_click(self._clicked)
        self.highlight: StyledLayer | None = None  # made on the first choice
        self._features: list[dict[str, Any]] = []

    @property
    def layers(self) -> tuple[StyledLayer, ...]:
        return (self.layer,) if self.highlight is None else (self.layer, self.highlight)

    def show(self, opportunities: Sequence[Opportunity], selected: int = -1) -> None:
        """Draw the footprints of ``opportunities`` (on the map, over the AOI)."""
        self._features = [_feature(i, o.geometry) for i, o in enumerate(opportunities)]
        self.layer.data = {"type": "FeatureCollection", "features": self._features}
        self._attach()
        if self.selected != selected:
            self.selected = selected
        else:
            self._draw_selected()

    def clear(self) -> None:
        """No footprints; the layers leave the map."""
        self._features = []
        self.selected = -1
        self.layer.data = _EMPTY
        if self.highlight is not None:
            self.highlight.data = _EMPTY
        if self.map is not None and self.map.comm is not None:
            kept = tuple(x for x in self.map.layers if x not in self.layers)
            if len(kept) != len(self.map.layers):
                self.map.layers = kept

    def _attach(self) -> None:
        if self.map is None:
            return
        missing = [x for x in self.layers if x not in self.map.layers]
        if missing:
            self.map.layers = (*self.map.layers, *missing)

    @traitlets.observe("selected")
    def _on_selected(self, _change: object) -> None:
        self._draw_selected()

    def _draw_selected(self) -> None:
        if 0 <= self.selected < len(self._features):
            data = {"type": "FeatureCollection", "features": [self._features[self.selected]]}
            if self.highlight is None:
                self.highlight = StyledLayer(data=data, style=SELECTED_STYLE, name="Chosen window")
                self.highlight.on_click(self._clicked)
                self._attach()
            else:
                self.highlight.data = data
        elif self.highlight is not None:
            self.highlight.data = _EMPTY

    # -- events ---------------------------------------------------------------------------------
    def _clicked(self, feature: dict | None = None, **event: Any) -> None:
        index = event.get("id", (feature or {}).get("id"))
        if isinstance(index, int) and 0 <= index < len(self._features):
            self.selected = index

    def click_feature(self, index: int) -> None:
        """Do what a click on footprint ``index`` in the browser does: the layers' ``on_click``
        callback, with the event's arguments (no private ipyleaflet handler;
        tests/widgets/test_footprint_click.py feeds the browser's message itself)."""
        feature = self._features[index]
        self._clicked(feature=feature, properties={}, id=index, event="click")


__all__ = ["ALL_STYLE", "SELECTED_STYLE", "OpportunityFootprints"]
