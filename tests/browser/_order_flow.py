"""What a user does with the mouse in ``OrderApp``, shared by the JupyterLab and Voila tests
(both render the same widget DOM): zoom the map, draw a polygon with Geoman's polygon tool,
pick a product and a preset, add a cloud-cover filter, read the preview, submit, and look at
"My orders"."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from playwright.sync_api import Locator, Page, expect

from ._pages import cell_errors, open_notebook, run_all_cells
from ._servers import ServerProcess

#: The AOI map opens on the whole world (zoom 2); a user zooms in before drawing so that the
#: polygon stays under the product's maximum area.
ZOOM_CLICKS = 9
#: Pixel offsets from the map's centre of the clicked vertices: an irregular quadrilateral, so
#: that vertices swapped or lost on the way to the server would show.
VERTICES = ((-120, -60), (100, -90), (140, 60), (-60, 100))


#: The demo product every ordering test picks, as the product dropdown lists it.
OPTICAL_VHR = "Optical very high resolution (30 cm) (optical-vhr)"


@dataclass(frozen=True)
class DrawnPolygon:
    """Where the user clicked, to compare with the geometry that reached the server."""

    clicks: tuple[tuple[float, float], ...]


def run_order_app(page: Page, lab: ServerProcess, notebook: str) -> Locator:
    """Open ``notebook`` in JupyterLab, Run All Cells, check that none failed, and return the
    ``OrderApp`` it shows."""
    open_notebook(page, lab.url, lab.token, notebook)
    run_all_cells(page)
    assert cell_errors(page) == []
    return page.locator(".stat-order-app")


def order_form(app: Locator) -> Locator:
    return app.locator(".stat-widgets-order-form")


def aoi_map(app: Locator) -> Locator:
    return order_form(app).locator(".leaflet-container").first


def zoom_in(page: Page, map_: Locator, clicks: int = ZOOM_CLICKS) -> None:
    """Click the map's "+" control ``clicks`` times, letting each zoom animation finish."""
    button = map_.locator(".leaflet-control-zoom-in")
    for _ in range(clicks):
        button.click()
        # Leaflet ignores a zoom click while the previous zoom still animates (250 ms).
        page.wait_for_timeout(400)
        expect(map_).not_to_have_class(re.compile(r"leaflet-zoom-anim"), timeout=10_000)


def draw_polygon(page: Page, map_: Locator) -> DrawnPolygon:
    """Geoman's polygon tool: click each vertex, then the first one again to close the ring."""
    map_.evaluate("element => element.scrollIntoView({block: 'center'})")
    map_.locator(".leaflet-pm-icon-polygon").click()
    tool = map_.locator(".button-container:has(.leaflet-pm-icon-polygon)")
    expect(tool).to_have_class(re.compile(r"\bactive\b"), timeout=5_000)
    box = map_.bounding_box()
    assert box is not None, "the AOI map is not on screen"
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    clicks = tuple((cx + dx, cy + dy) for dx, dy in VERTICES)
    for x, y in (*clicks, clicks[0]):
        page.mouse.move(x, y, steps=4)
        page.mouse.click(x, y)
        page.wait_for_timeout(200)  # not a double click: Geoman would finish early
    expect(map_.locator("path.leaflet-interactive")).to_have_count(1, timeout=10_000)
    return DrawnPolygon(clicks=clicks)


def choose_product(app: Locator, label: str) -> None:
    order_form(app).get_by_label("Product", exact=True).select_option(label=label)


def click_preset(app: Locator, preset: str) -> None:
    order_form(app).get_by_role("button", name=preset, exact=True).click()


def add_cloud_cover_filter(app: Locator, maximum: int) -> None:
    """Add filter ▸ property "Cloud cover" ▸ operator ``<=`` ▸ type the maximum."""
    form = order_form(app)
    form.get_by_role("button", name="Add filter").click()
    row = form.locator(".stat-widgets-filter-row").last
    expect(row).to_be_visible()
    selects = row.locator("select")
    selects.nth(0).select_option(label="Cloud cover")
    selects.nth(1).select_option(label="<=")
    value = row.locator("input[type=number]").first
    value.fill(str(maximum))
    value.press("Enter")


def request_preview(
    page: Page, app: Locator, until: Callable[[dict[str, Any]], bool], timeout: float = 15.0
) -> dict[str, Any]:
    """The request body the review section shows, parsed as the user would read it, once it
    shows what ``until`` waits for (each change makes a round trip through the kernel)."""
    preview = order_form(app).locator("pre", has_text='"product_id"')
    deadline = time.monotonic() + timeout
    while True:
        body = json.loads(preview.inner_text()) if preview.count() == 1 else None
        if body is not None and until(body):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"the request preview never got there; it shows {body}")
        page.wait_for_timeout(200)


def interval_length(body: dict[str, Any]) -> timedelta:
    start, end = (datetime.fromisoformat(part) for part in body["datetime"].split("/"))
    return end - start


def submit(app: Locator) -> None:
    button = order_form(app).get_by_role("button", name="Submit order")
    expect(button).to_be_enabled(timeout=15_000)
    button.click()


def submit_result(app: Locator) -> Locator:
    """The line under the Submit button that reports the created order."""
    return order_form(app).locator(".widget-html", has_text="Order submitted.")


def open_my_orders(app: Locator) -> Locator:
    app.locator(".lm-TabBar-tab", has_text=re.compile(r"^My orders$")).click()
    table = app.locator(".stat-order-table")
    expect(table).to_be_visible()
    return table


def order_row_button(app: Locator, order_id: str) -> Locator:
    return app.locator(".stat-order-table").get_by_title(f"Show order {order_id}", exact=True)


def assert_polygon_matches_clicks(geometry: dict[str, Any], drawn: DrawnPolygon) -> None:
    """One vertex per click, where the user clicked: longitudes are linear in screen x with a
    Web Mercator scale (360° / (256·2^z) per pixel, z a whole zoom level), to within two
    pixels, and latitudes decrease down the screen. The models may re-wind the ring, so
    vertices are matched to clicks by position, not by order."""
    assert geometry["type"] == "Polygon", geometry
    ring = geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == len(drawn.clicks) + 1, ring
    vertices = sorted(ring[:-1])  # west to east
    clicks = sorted(drawn.clicks)  # left to right
    scale = (vertices[-1][0] - vertices[0][0]) / (clicks[-1][0] - clicks[0][0])
    zoom = math.log2(360.0 / (256 * scale))
    assert abs(zoom - round(zoom)) < 0.02, f"{scale}°/px is no Web Mercator zoom level"
    for (lon, _lat), (x, _y) in zip(vertices, clicks, strict=True):
        expected = vertices[0][0] + (x - clicks[0][0]) * scale
        assert abs(lon - expected) <= 2 * scale, (vertices, clicks, scale)
    pairs = sorted(zip(vertices, clicks, strict=True), key=lambda pair: pair[1][1])
    lats_down_the_screen = [vertex[1] for vertex, _click in pairs]
    assert lats_down_the_screen == sorted(lats_down_the_screen, reverse=True), pairs
