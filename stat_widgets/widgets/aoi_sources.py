"""The ways to give an AOI besides drawing it: the Upload, Paste and Bounding box tabs under the
map of ``AOIMap``.

Most people draw. The controls of a tab that is not shown (a text area, four number boxes, their
buttons: about two dozen widget models, each built by the front end before the form first
appears) are made when the tab is first selected, or first used from Python
(``aoi.paste_text``, ``aoi.bbox_inputs``), whichever comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from stat_widgets.widgets import _shared

UPLOAD, PASTE, BBOX = 0, 1, 2
TITLES = ("Upload", "GeoJSON / WKT", "Bounding box")  # short: tabs cut longer titles
BBOX_NAMES = ("west", "south", "east", "north")


class AOISources(widgets.Tab):
    """The tabs; each page's controls are made on first use (``page``)."""

    def __init__(
        self,
        *,
        on_upload: Callable[[dict[str, Any]], None],
        on_paste: Callable[[str], object],
        on_bbox: Callable[[float, float, float, float], object],
    ) -> None:
        self._on_upload = on_upload
        self._on_paste = on_paste
        self._on_bbox = on_bbox
        # The first tab's controls (the one shown) in its page's creation message.
        controls, children = self._make_upload()
        self._controls: dict[int, dict[str, Any]] = {UPLOAD: controls}
        pages = [_shared.vbox(children if i == UPLOAD else ()) for i in range(len(TITLES))]
        super().__init__(children=pages, titles=TITLES, selected_index=UPLOAD)
        self.observe(lambda change: self.page(change["new"]), names="selected_index")

    def page(self, index: int | None) -> dict[str, Any]:
        """The controls of tab ``index``, made (and shown in the tab) the first time."""
        if index is None or not 0 <= index < len(TITLES):
            return {}
        if index not in self._controls:
            make = (self._make_upload, self._make_paste, self._make_bbox)[index]
            controls, children = make()
            self._controls[index] = controls
            self.children[index].children = children
        return self._controls[index]

    def _make_upload(self) -> tuple[dict[str, Any], list[widgets.Widget]]:
        upload = widgets.FileUpload(
            accept=".geojson,.json,.wkt,.txt,application/geo+json,application/json",
            multiple=False,
            description="GeoJSON file",
            layout=_shared.shared("layout"),
            style=_shared.shared("button"),
        )
        upload.observe(self._on_upload, names="value")
        return {"upload": upload}, [upload]

    def _make_paste(self) -> tuple[dict[str, Any], list[widgets.Widget]]:
        text = widgets.Textarea(
            placeholder='{"type": "Polygon", ...}  or  POLYGON ((...))',
            layout=widgets.Layout(width="100%", height="6em"),
        )
        button = _shared.button(description="Use pasted AOI", icon="check")
        button.on_click(lambda _b: self._on_paste(text.value))
        return {"text": text, "button": button}, [text, button]

    def _make_bbox(self) -> tuple[dict[str, Any], list[widgets.Widget]]:
        inputs = {
            name: widgets.FloatText(description=name, layout=widgets.Layout(width="11em"))
            for name in BBOX_NAMES
        }
        button = _shared.button(description="Use bbox", icon="check")
        button.on_click(lambda _b: self._on_bbox(*(inputs[n].value for n in BBOX_NAMES)))
        return {"inputs": inputs, "button": button}, [_shared.hbox(list(inputs.values())), button]


__all__ = ["BBOX", "PASTE", "UPLOAD", "AOISources"]
