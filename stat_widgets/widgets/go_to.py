""" "Go to": a text box above a map that moves it to a place, a point or a box, offline.

What the text means is the model's business (``parse_destination``: the bundled gazetteer,
``lat, lon``, ``west, south, east, north``); this widget moves the map there and says where it
went, which other places the name could have meant (each a button that goes there instead),
or, next to the box, why the text could not be used. A point or a place is shown at the zoom
where a 100-pixel square covers less than 2,000 km², so the first shape drawn there is
site-sized; a box or a country is fitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipyleaflet
import ipywidgets as widgets
import traitlets

from stat_widgets.errors import ValidationError
from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets._lifecycle import ShowsWhenFilled, close_tree, replace_children
from stat_widgets.widgets.map_view import centre_of, zoom_for_square, zoom_to_fit

if TYPE_CHECKING:  # the gazetteer and geometry models load on the first "Go to"
    from stat_widgets.models.places import Destination

PLACEHOLDER = "Go to place, lat, lon or bbox"
ATTRIBUTION = "Places: GeoNames (CC BY 4.0), cities of 15,000 people or more."
#: A drawn square of ``SQUARE_PX`` pixels stays under ``SQUARE_KM2`` where "Go to" lands.
SQUARE_PX = 100
SQUARE_KM2 = 2000.0
_MARKER_STYLE = {
    "radius": 6,
    "color": "#d84315",
    "weight": 2,
    "fillColor": "#ff7043",
    "fillOpacity": 0.6,
    "interactive": False,  # a click on the place still draws (Geoman listens on the map)
}


def go_to_marker() -> ipyleaflet.GeoJSON:
    """The layer where "Go to" marks the place it went to: tiny, and sent again on each move;
    never part of the world layer."""
    return ipyleaflet.GeoJSON(
        data={"type": "FeatureCollection", "features": []},
        point_style=_MARKER_STYLE,
        name="Go to",
    )


class GoToBox(ShowsWhenFilled, widgets.VBox):
    """The "Go to" row of a map: type, press Enter (or Go), and the map moves."""

    #: Why the last text could not be used ("" when it could).
    error = traitlets.Unicode("", help="why the last text could not be used, as shown; or ''")

    def __init__(
        self, map_: ipyleaflet.Map, *, marker: ipyleaflet.GeoJSON | None = None, **kwargs: Any
    ) -> None:
        """``marker``: the layer ``go_to_marker()`` made, when it is on ``map_`` already (made
        with the map); otherwise one is made and added."""
        self._map = map_
        #: Where the map went last (``None`` before the first success).
        self.destination: Destination | None = None
        self.text = widgets.Text(
            placeholder=PLACEHOLDER,
            continuous_update=False,  # the value arrives on Enter (or when the box loses focus)
            tooltip=ATTRIBUTION,
            layout=widgets.Layout(width="24em"),
            _dom_classes=("stat-widgets-go-to",),  # in the creation message, not an update
        )
        self.go_button = _shared.button(
            description="Go",
            icon="search",
            tooltip=ATTRIBUTION,
            layout=_shared.shared("layout_auto"),
        )
        self.result = _shared.optional_html()
        self.error_label = ErrorLabel()
        self._alternatives: widgets.HBox | None = None  # made on the first ambiguous name
        self.marker = go_to_marker() if marker is None else marker
        if self.marker not in map_.layers:
            map_.add(self.marker)
        content = [_shared.hbox([self.text, self.go_button, self.error_label]), self.result]
        super().__init__(
            self._shown_when_filled(content, self.result),
            **{"_dom_classes": ("stat-widgets-go-to-box",), **kwargs},
        )
        self._typing = False
        self.text.observe(self._on_text, names="value")
        self.go_button.on_click(lambda _b: self.go(self.text.value))

    def go(self, text: str) -> Destination | None:
        """Move the map to ``text``; on bad input leave it where it is and say why."""
        if self.text.value != text:
            self._typing = True
            try:
                self.text.value = text
            finally:
                self._typing = False
        from stat_widgets.models.places import parse_destination

        try:
            destination = parse_destination(text)
        except ValidationError as exc:
            self.error = exc.message
            return None
        self.show(destination)
        return destination

    def show(self, destination: Destination) -> None:
        """Move the map to ``destination`` and list the other places its name matched."""
        self.error = ""
        self.destination = destination
        if destination.bounds is not None:
            self._map.center = centre_of(destination.bounds)
            self._map.zoom = zoom_to_fit(destination.bounds)
        else:
            self._map.center = (destination.lat, destination.lon)
            self._map.zoom = zoom_for_square(
                destination.lat, side_px=SQUARE_PX, max_area_km2=SQUARE_KM2
            )
        self.marker.data = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": destination.label},
                    "geometry": {
                        "type": "Point",
                        "coordinates": [destination.lon, destination.lat],
                    },
                }
            ],
        }
        self.result.value = _html.muted(f"Map centred on {destination.label}.")
        self._list_alternatives(destination)

    def _list_alternatives(self, destination: Destination) -> None:
        self._clear_alternatives()
        if not destination.alternatives:
            return
        chosen = destination.place
        buttons: list[widgets.Widget] = [widgets.HTML(_html.muted("Did you mean:"))]
        for place in destination.alternatives:
            others = tuple(p for p in (chosen, *destination.alternatives) if p and p != place)
            button = widgets.Button(
                description=place.label,
                tooltip=f"Go to {place.label}",
                layout={"width": "auto"},
            )
            button.on_click(lambda _b, p=place, o=others: self.show(type(destination).of(p, o)))
            buttons.append(button)
        self.alternatives.children = tuple(buttons)

    @property
    def alternatives(self) -> widgets.HBox:
        """The buttons for the other places a name matched, under the result: made (and
        shown) the first time a name matches several places, or when asked for (empty, it
        shows nothing: two models fewer for a map that never needs it)."""
        if self._alternatives is None:
            self._alternatives = widgets.HBox(layout={"flex_flow": "row wrap"})
            self._content = (*self._content, self._alternatives)
            self._show_filled()
        return self._alternatives

    def _clear_alternatives(self) -> None:
        if self._alternatives is not None:
            replace_children(self._alternatives, ())

    def _on_text(self, change: dict[str, Any]) -> None:
        if not self._typing and change["new"].strip():
            self.go(change["new"])

    def close(self) -> None:
        """Close the box, the buttons it made and its marker, taken off the map (the map is
        its owner's to close)."""
        # Also called from ``Widget.__del__``: after a failed ``__init__`` (no marker yet), or
        # at interpreter exit, when the map and its layers may already be closed. A map being
        # torn down needs no marker taken off it.
        marker, map_ = getattr(self, "marker", None), getattr(self, "_map", None)
        if marker is None or map_ is None:
            widgets.Widget.close(self)
            return
        if all(w.comm is not None for w in (map_, marker, *map_.layers)) and marker in map_.layers:
            map_.remove(marker)
        close_tree(self, marker, keep=(map_,))

    @traitlets.observe("error")
    def _on_error(self, change: dict[str, Any]) -> None:
        self.error_label.message = change["new"]
        if change["new"]:
            self.result.value = ""
            self._clear_alternatives()


__all__ = ["PLACEHOLDER", "GoToBox", "go_to_marker"]
