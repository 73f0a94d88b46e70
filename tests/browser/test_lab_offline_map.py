"""The first minutes offline, in JupyterLab with no network: the ``OrderForm`` map shows land
and borders at first paint, "Go to" Frankfurt brings it to a zoom where a square of about 100
pixels is a site-sized AOI, and after a product and a preset Submit is enabled. Where tiles do
load, they cover the world layer; a shape set from code is drawn on the map and the map moves
to it. Colours are counted in the screenshots themselves (decoded by the page's own canvas)."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from typing import Any

import pytest
import shapely.geometry
from playwright.sync_api import Locator, Page, Route, expect

from stat_widgets.widgets.world_layer import PANE

from . import _order_flow as flow
from ._pages import Screenshots, cell_errors, open_notebook, run_all_cells
from .conftest import PageWatch, ServerFactory, StatServerFactory, repo_notebook

pytestmark = pytest.mark.browser

LAND = (0xF4, 0xF2, 0xEC)  # world_layer's land and sea fills
SEA = (0xD4, 0xE3, 0xEE)
TILE = (0x6A, 0x3D, 0x9A)  # the colour of the stand-in tiles: nothing else on the map has it
GO_TO = "Go to place, lat, lon or bbox"
FRANKFURT = (8.684, 50.116)  # lon, lat: GeoNames' Frankfurt am Main


def notebook(*cells: str) -> dict[str, Any]:
    """The connection cell of ``notebooks/01-order.ipynb`` (``STAT_API_URL``, else the embedded
    server) followed by ``cells``."""
    source = repo_notebook("01-order.ipynb")
    setup = next(c for c in source["cells"] if c["cell_type"] == "code")
    code = [dict(setup, outputs=[], execution_count=None)]
    code += [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in cells
    ]
    for cell in code:
        cell.pop("id", None)
    return {"cells": code, "metadata": source["metadata"], "nbformat": 4, "nbformat_minor": 4}


FORM_NOTEBOOK = notebook("from stat_widgets import OrderForm\n\nform = OrderForm(url)\nform")


def colour_share(page: Page, png: bytes, colours: dict[str, tuple[int, int, int]]) -> dict:
    """The share of the picture's pixels within a small distance of each colour, counted by
    the page's canvas (no image library needed here)."""
    script = """async ([data, colours]) => {
        const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], {type: "image/png"}));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext("2d");
        context.drawImage(bitmap, 0, 0);
        const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
        const counts = Object.fromEntries(Object.keys(colours).map(k => [k, 0]));
        for (let i = 0; i < pixels.length; i += 4) {
            for (const [name, [r, g, b]] of Object.entries(colours)) {
                const d = Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g)
                    + Math.abs(pixels[i + 2] - b);
                if (d <= 12) counts[name] += 1;
            }
        }
        const total = pixels.length / 4;
        return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
    }"""
    return page.evaluate(script, [base64.b64encode(png).decode(), colours])


def solid_png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A one-colour PNG tile, encoded by hand (zlib and a CRC are all PNG needs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def open_form(page: Page, lab: Any, name: str) -> tuple[Locator, Locator]:
    open_notebook(page, lab.url, lab.token, name)
    run_all_cells(page)
    assert cell_errors(page) == []
    form = page.locator(".stat-widgets-order-form")
    map_ = form.locator(".leaflet-container").first
    expect(map_).to_be_visible()
    return form, map_


def world_paths(map_: Locator) -> Locator:
    return map_.locator(f".leaflet-{PANE}-pane path")


def wait_until_still(page: Page, map_: Locator) -> None:
    page.wait_for_timeout(400)
    expect(map_).not_to_have_class(re.compile(r"leaflet-zoom-anim"), timeout=10_000)


def set_theme(page: Page, theme: str) -> None:
    """Settings ▸ Theme ▸ ``theme``, as a person switches it."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Settings$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{theme}$")).click()
    light = "true" if theme == "JupyterLab Light" else "false"
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", light, timeout=10_000)
    page.wait_for_timeout(500)


def draw_square(page: Page, map_: Locator, side: int = 100) -> tuple[float, float, float, float]:
    """Geoman's rectangle tool: click one corner (here on the "Go to" marker, at the map's
    centre), then the opposite one ``side`` pixels away. Returns the clicked screen box."""
    map_.evaluate("element => element.scrollIntoView({block: 'center'})")
    map_.locator(".leaflet-pm-icon-rectangle").click()
    box = map_.bounding_box()
    assert box is not None
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x0, y0, steps=4)
    page.mouse.click(x0, y0)
    page.mouse.move(x0 + side, y0 + side, steps=8)
    page.mouse.click(x0 + side, y0 + side)
    expect(map_.locator("path.leaflet-interactive")).to_have_count(1, timeout=10_000)
    return x0, y0, x0 + side, y0 + side


def test_offline_first_paint_go_to_frankfurt_draw_and_submit(
    make_stat_server: StatServerFactory,
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat = make_stat_server()
    lab = make_lab(stat.url, {"form.ipynb": FORM_NOTEBOOK})
    form, map_ = open_form(page, lab, "form.ipynb")

    # First paint: sea, land and borders, with no tile at all (every outside request fails).
    expect(world_paths(map_)).to_have_count(3)
    first = shots.take(page, "first-paint-light", element=map_, publish="offline-map.png")
    share = colour_share(page, first.read_bytes(), {"land": LAND, "sea": SEA})
    assert share["land"] > 0.1 and share["sea"] > 0.2, share
    borders = world_paths(map_).nth(2)
    assert len(borders.get_attribute("d") or "") > 5000  # hundreds of border lines drawn
    assert "leaflet-interactive" not in (borders.get_attribute("class") or "")

    set_theme(page, "JupyterLab Dark")
    shots.take(page, "first-paint-dark", element=form.locator(".leaflet-container").first)
    set_theme(page, "JupyterLab Light")

    box = form.get_by_placeholder(GO_TO)
    box.fill("Qwzxplace near nowhere at all, 91, 200")
    box.press("Enter")
    error = form.locator(".stat-widgets-go-to-box .stat-widgets-error")
    expect(error).to_be_visible()
    # However long the message, the button beside it keeps its whole label.
    go = form.locator(".stat-widgets-go-to-box button").first
    assert go.evaluate("b => b.scrollWidth <= b.clientWidth && b.clientWidth >= 40"), go.evaluate(
        "b => [b.scrollWidth, b.clientWidth]"
    )
    shots.take(page, "go-to-refused", element=form.locator(".stat-widgets-go-to-box"))
    box.fill("Frankfurt")
    box.press("Enter")
    expect(form.get_by_text("Map centred on Frankfurt am Main, Germany.")).to_be_visible()
    expect(form.get_by_role("button", name="Frankfurt (Oder), Germany")).to_be_visible()
    wait_until_still(page, map_)
    expect(map_.locator(".leaflet-control-scale-line")).to_contain_text(re.compile(r"\d+ km"))
    shots.take(page, "went-to-frankfurt", element=form.locator(".stat-widgets-go-to-box"))

    clicked = draw_square(page, map_)
    summary = form.get_by_text(re.compile(r"Polygon · 4 vertices · [\d,.]+ km²"))
    expect(summary).to_be_visible()
    area = float(re.search(r"([\d,.]+) km²", summary.inner_text())[1].replace(",", ""))
    assert 1000 < area < 2000, area  # a 100-pixel square: under 2,000 km², not a speck
    shots.take(page, "square-drawn-light", element=map_)
    # For the README: the "Go to" box with its answer above the map, the square on Frankfurt.
    aoi_section = form.locator(".stat-widgets-section").first
    shots.take(
        page, "went-to-frankfurt-and-drew", element=aoi_section, publish="go-to-frankfurt.png"
    )

    notebook_panel = page.locator(".jp-NotebookPanel")  # what the flow helpers look inside
    flow.choose_product(notebook_panel, flow.OPTICAL_VHR)
    flow.click_preset(notebook_panel, "Next 7 days")
    body = flow.request_preview(
        page, notebook_panel, lambda b: b.get("product_id") == "optical-vhr"
    )
    square = shapely.geometry.shape(body["geometry"])
    west, _south, _east, north = square.bounds
    # The first corner was clicked on the map's centre, which is Frankfurt.
    assert west == pytest.approx(FRANKFURT[0], abs=0.02), (square.bounds, clicked)
    assert north == pytest.approx(FRANKFURT[1], abs=0.02), (square.bounds, clicked)
    expect(form.get_by_role("button", name="Submit order")).to_be_enabled(timeout=15_000)
    shots.take(page, "ready-to-submit-light", element=form)

    set_theme(page, "JupyterLab Dark")
    shots.take(page, "ready-to-submit-dark", element=form)
    assert page_watch.dialogs == [] and page_watch.page_errors == []


def test_tiles_cover_the_world_layer_and_a_shape_from_code_is_drawn(
    make_stat_server: StatServerFactory,
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    tile = solid_png(TILE)

    def serve_tile(route: Route) -> None:
        route.fulfill(status=200, content_type="image/png", body=tile)

    # Page routes come before the context's "loopback only": these tiles load, instantly.
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), serve_tile)
    stat = make_stat_server()
    square = "POLYGON ((8.60 50.05, 8.72 50.05, 8.72 50.13, 8.60 50.13, 8.60 50.05))"
    lab = make_lab(stat.url, {"tiles.ipynb": FORM_NOTEBOOK})
    form, map_ = open_form(page, lab, "tiles.ipynb")
    expect(world_paths(map_)).to_have_count(3)
    expect(map_.locator("img.leaflet-tile-loaded").first).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)  # Leaflet fades tiles in
    with_tiles = shots.take(page, "tiles-over-world", element=map_)
    share = colour_share(page, with_tiles.read_bytes(), {"land": LAND, "tile": TILE})
    assert share["land"] < 0.001 and share["tile"] > 0.8, share

    # A shape set from Python (here typed into a new cell) shows on the map, which moves to it.
    assert map_.locator("path.leaflet-interactive").count() == 0
    page.unroute(re.compile(r"^https://tile\.openstreetmap\.org/"))
    cell = page.locator(".jp-CodeCell").last
    cell.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below, in command mode
    editor = page.locator(".jp-CodeCell").last.locator(".cm-content")
    editor.click()
    editor.fill(f"form.aoi.set_geometry({square!r})")
    page.keyboard.press("Shift+Enter")
    drawn = map_.locator("path.leaflet-interactive")
    expect(drawn).to_have_count(1, timeout=15_000)
    wait_until_still(page, map_)
    box, map_box = drawn.bounding_box(), map_.bounding_box()
    assert box is not None and map_box is not None
    # Zoomed to it: a 13 × 9 km box drawn tens of pixels wide, inside the map.
    assert box["width"] > 60 and box["height"] > 40, box
    assert map_box["x"] < box["x"] and box["x"] + box["width"] < map_box["x"] + map_box["width"]
    expect(form.get_by_text("Polygon · 4 vertices", exact=False)).to_be_visible()
    shots.take(page, "shape-from-code", element=map_)
    assert page_watch.dialogs == [] and page_watch.page_errors == []
