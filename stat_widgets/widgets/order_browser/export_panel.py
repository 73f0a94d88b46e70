"""The export controls under the browser: format, optional file, the current page or every
matching order, and a progress bar while pages are read.

The panel is given the two exports as callables, so it knows nothing of the browser (and the
browser imports it, not the other way round).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from stat_widgets.errors import StatError
from stat_widgets.widgets import _html

#: ``export(fmt, path, progress)`` → (what was exported, how many orders); ``progress(read,
#: total)`` moves the bar while pages are read.
Export = Callable[[str, "str | Path | None", Callable[[int, int | None], None]], tuple[Any, int]]


def _summary(result: Any, count: int) -> str:
    noun = "order" if count == 1 else "orders"
    if isinstance(result, Path):
        return f"{count:,} {noun} written to {result}"
    return f"{count:,} {noun} exported to the browser's last_export attribute"


class ExportPanel(widgets.VBox):
    def __init__(self, export_page: Export, export_all: Export, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._exports = {"page": export_page, "all": export_all}
        self.format_picker = widgets.Dropdown(
            options=[
                ("GeoJSON FeatureCollection", "geojson"),
                ("list of dicts", "records"),
                ("GeoDataFrame (needs geopandas)", "geodataframe"),
            ],
            value="geojson",
            description="Format",
            layout=widgets.Layout(width="320px"),
        )
        self.path_text = widgets.Text(
            placeholder="orders.geojson (empty: keep in Python)",
            description="File",
            layout=widgets.Layout(width="320px"),
        )
        self.page_button = widgets.Button(description="Export this page", icon="download")
        self.all_button = widgets.Button(
            description="Export all matching",
            icon="download",
            tooltip="Every order matching the status and product filters, page by page",
        )
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="", layout=widgets.Layout(width="240px")
        )
        self.progress.layout.visibility = "hidden"
        self.result = widgets.HTML()
        self.page_button.on_click(lambda _b: self.run("page"))
        self.all_button.on_click(lambda _b: self.run("all"))
        self.children = (
            widgets.HBox([self.format_picker, self.path_text]),
            widgets.HBox([self.page_button, self.all_button, self.progress]),
            self.result,
        )

    def show_progress(self, read: int, total: int | None) -> None:
        self.progress.layout.visibility = "visible"
        self.progress.max = max(total or 0, read, 1)
        self.progress.value = read

    def run(self, which: str) -> None:
        """A button press (``"page"`` or ``"all"``): errors are shown here, never raised
        into the notebook."""
        fmt = self.format_picker.value
        path = self.path_text.value.strip() or None
        self.result.value = _html.muted("Exporting…")
        try:
            result, count = self._exports[which](fmt, path, self.show_progress)
        except (StatError, ImportError, OSError, ValueError) as exc:
            self.result.value = _html.error(f"Export failed: {exc}")
            return
        self.result.value = _html.text(_summary(result, count))


__all__ = ["Export", "ExportPanel"]
