"""The export controls under the browser: format, optional file, the current page or all
matching orders, and a progress bar while pages are read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from stat_widgets.errors import StatError
from stat_widgets.widgets import _html

if TYPE_CHECKING:
    from stat_widgets.widgets.order_browser import OrderBrowser


def _summary(result: Any, count: int) -> str:
    noun = "order" if count == 1 else "orders"
    if hasattr(result, "resolve"):  # a Path
        return f"{count:,} {noun} written to {result}"
    return f"{count:,} {noun} exported to the browser's last_export attribute"


class ExportPanel(widgets.VBox):
    def __init__(self, browser: OrderBrowser, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._browser = browser
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
        self.page_button.on_click(lambda _b: self._run(all_matching=False))
        self.all_button.on_click(lambda _b: self._run(all_matching=True))
        self.children = (
            widgets.HBox([self.format_picker, self.path_text]),
            widgets.HBox([self.page_button, self.all_button, self.progress]),
            self.result,
        )

    def show_progress(self, seen: int, total: int | None) -> None:
        self.progress.layout.visibility = "visible"
        self.progress.max = max(total or 0, seen, 1)
        self.progress.value = seen

    def _run(self, *, all_matching: bool) -> None:
        """A button press: errors are shown here, never raised into the notebook."""
        fmt = self.format_picker.value
        path = self.path_text.value.strip() or None
        self.result.value = _html.muted("Exporting…")
        try:
            if all_matching:
                result = self._browser.export_all(fmt=fmt, path=path)
            else:
                result = self._browser.export_page(fmt=fmt, path=path)
        except (StatError, ImportError, OSError, ValueError) as exc:
            self.result.value = _html.error(f"Export failed: {exc}")
            return
        self.result.value = _html.text(_summary(result, self._browser.last_export_count))


__all__ = ["ExportPanel"]
