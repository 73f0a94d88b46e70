"""The order browser in a real browser, with two providers (our reference server and a
stapi-fastapi server): a click on a column's header sorts the page, the arrow keys move the
selection and the selected order's footprint is highlighted at the map's centre, a click on
another footprint selects its row, and an order
id that is markup shows as text with nothing run. In JupyterLab (light and dark themes), in
Voila and in Notebook 7."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Locator, Page, expect
from widgets._providers import INTERVAL, square, stapi_provider

from stat_widgets.models import OrderRequest

from ._pages import Screenshots, cell_errors, open_notebook, run_all_cells
from ._servers import one_cell_notebook, start_notebook
from .conftest import PageWatch, ServerFactory, StatServerFactory, _kernel_env, _stopped_after

if TYPE_CHECKING:
    from stat_widgets.server import EmbeddedServer

pytestmark = pytest.mark.browser

HOSTILE_ID = '<img src=x onerror=alert("order-id")>'
PRODUCTS = ("optical-vhr", "sar-x-band")


def reference_server(make_stat_server: StatServerFactory) -> EmbeddedServer:
    """Eleven orders on their own squares, alternating two products, then one whose id is
    markup (put into the store: the server never makes such ids itself)."""
    from stat_widgets.server import ManualClock

    stat = make_stat_server(clock=ManualClock())
    from stat_widgets.client import StatClient

    with StatClient(stat.url) as client:
        for i in range(11):
            stat.clock.advance(60)
            client.create_order(
                {
                    "datetime": INTERVAL,
                    "product_id": PRODUCTS[i % 2],
                    "geometry": square(8 + (i % 4) * 0.5, 46 + (i // 4) * 0.5, 0.2),
                }
            )
    request = OrderRequest.from_input(
        {"datetime": INTERVAL, "product_id": PRODUCTS[0], "geometry": square(10.5, 47.5, 0.2)}
    )
    state = stat.app.state.stat
    state.store.insert(
        order_id=HOSTILE_ID,
        owner="anonymous",
        product_id=PRODUCTS[0],
        created_ms=state.now_ms(),
        request=json.dumps(request.model_dump(mode="json")),
    )
    return stat


def browser_notebook(stapi_url: str) -> dict[str, Any]:
    source = (
        "import os\n\nfrom stat_widgets import OrderBrowser\n\n"
        "browser = OrderBrowser(\n"
        '    {"Reference": os.environ["STAT_API_URL"], "STAPI test": ' + repr(stapi_url) + "},\n"
        "    page_size=20,\n)\nbrowser"
    )
    return one_cell_notebook(source)


@pytest.fixture
def providers(make_stat_server: StatServerFactory) -> Iterator[tuple[EmbeddedServer, str]]:
    stat = reference_server(make_stat_server)
    with stapi_provider([0, 1, 2, 3], page_cap=3) as stapi:
        yield stat, stapi.url


def column(table: Locator, number: int) -> list[str]:
    """The texts of column ``number`` (1-based) of the rows shown, top to bottom."""
    return table.locator(f"tbody tr td:nth-child({number})").all_inner_texts()


def check_browser(
    page: Page,
    browser: Locator,
    watch: PageWatch,
    shots: Screenshots,
    *,
    known_errors: tuple[str, ...] = (),
) -> None:
    """What JupyterLab, Voila and Notebook 7 must show; screenshots of each step.
    ``known_errors``: the page's own, from before the notebook ran."""
    table = browser.locator(".stat-order-table")
    expect(table.locator("tbody tr")).to_have_count(16, timeout=30_000)  # 12 + 4, one page
    headers = table.locator("thead th").all_inner_texts()
    assert [h.split(" ")[0] for h in headers] == [
        "Provider",
        "Order",
        "Product",
        "Status",
        "Created",
        "User",
    ]
    assert set(column(table, 1)) == {"Reference", "STAPI test"}

    # The hostile id is a cell's text: no element was made from it, and nothing ran.
    hostile = table.get_by_title(f"Show order {HOSTILE_ID}", exact=True)
    expect(hostile).to_have_text(HOSTILE_ID)
    assert browser.locator("img[src='x'], script").count() == 0

    # Sorting: a click on "Product" sorts the page by it, a second click reverses it.
    table.get_by_role("button", name="Product").click()
    expect(table.locator("th[aria-sort=ascending]")).to_have_text("Product ▲")
    products = column(table, 3)
    assert products == sorted(products) and len(set(products)) > 1
    table.get_by_role("button", name="Product").click()
    expect(table.locator("th[aria-sort=descending]")).to_have_text("Product ▼")
    assert column(table, 3) == sorted(products, reverse=True)

    # The keyboard: a click selects a row, the arrow keys move the selection down the page.
    rows = table.locator("tbody tr")
    rows.nth(0).click()
    expect(rows.nth(0)).to_have_class("sot-selected")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(rows.nth(2)).to_have_class("sot-selected")
    expect(table.locator("tr.sot-selected")).to_have_count(1)
    chosen_id = rows.nth(2).locator("td").nth(1).inner_text()
    expect(browser.get_by_text(f"Order {chosen_id}", exact=True)).to_be_visible()  # details
    assert_highlighted_at_the_centre(page, browser)
    shots.take(page, "selected-with-the-keyboard", element=browser)

    select_on_the_map(browser, rows)
    shots.take(page, "selected-on-the-map", element=browser)

    table.locator(".sot-scroll").focus()  # the keys go to the table again, not the map
    page.keyboard.press("End")
    expect(rows.last).to_have_class("sot-selected")
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert watch.dialogs == []
    assert [e for e in watch.page_errors if e not in known_errors] == []


def select_on_the_map(browser: Locator, rows: Locator) -> None:
    """The other way round: a click on another footprint selects its row in the table (and
    its details), through ipyleaflet's click message."""
    map_ = browser.locator(".leaflet-container")
    highlighted = map_.locator("path.leaflet-interactive[stroke-width='4']")
    before = browser.locator(".stat-order-table tr.sot-selected").get_attribute("data-index")
    for _ in range(3):  # out far enough to see the other footprints (0.5 degrees apart)
        map_.locator(".leaflet-control-zoom-out").click()
        map_.page.wait_for_timeout(400)
    chosen = highlighted.bounding_box()
    assert chosen is not None
    others = map_.locator("path.leaflet-interactive[stroke-width='1.5']")
    target = None
    for i in range(others.count()):
        box = others.nth(i).bounding_box()
        apart = box is not None and (
            abs(box["x"] - chosen["x"]) > box["width"] + 4
            or abs(box["y"] - chosen["y"]) > box["height"] + 4
        )
        if apart and box["width"] > 6 and box["height"] > 6:
            target = box
            break
    assert target is not None, "no other footprint in view"
    map_.page.mouse.click(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2)
    selected = browser.locator(".stat-order-table tr.sot-selected")
    expect(selected).to_have_count(1)
    expect(selected).not_to_have_attribute("data-index", before or "", timeout=15_000)
    chosen_id = selected.locator("td").nth(1).inner_text()
    expect(browser.get_by_text(f"Order {chosen_id}", exact=True)).to_be_visible()
    expect(highlighted).to_have_count(1)


def assert_highlighted_at_the_centre(page: Page, browser: Locator) -> None:
    """The selected footprint is drawn heavier (weight 4) than the page's (1.5), once, and the
    map moves to centre it (Leaflet pans with an animation: wait for it to end)."""
    map_ = browser.locator(".leaflet-container")
    highlighted = map_.locator("path.leaflet-interactive[stroke-width='4']")
    expect(highlighted).to_have_count(1, timeout=15_000)
    expect(map_.locator("path.leaflet-interactive[stroke-width='1.5']").first).to_be_attached()
    deadline = time.monotonic() + 15
    while True:
        box, frame = highlighted.bounding_box(), map_.bounding_box()
        assert box is not None and frame is not None
        dx = box["x"] + box["width"] / 2 - (frame["x"] + frame["width"] / 2)
        dy = box["y"] + box["height"] / 2 - (frame["y"] + frame["height"] / 2)
        if abs(dx) < 40 and abs(dy) < 40:
            break
        assert time.monotonic() < deadline, f"the highlight is {dx:.0f}, {dy:.0f} px off centre"
        page.wait_for_timeout(200)
    assert 20 < box["width"] < frame["width"]  # zoomed to it, and all of it in view


def switch_lab_theme(page: Page, theme: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").click()
    page.locator(".lm-Menu-itemLabel", has_text="Theme").first.hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{theme}$")).click()
    expect(page.locator("body")).to_have_attribute(
        "data-jp-theme-light", "false" if "Dark" in theme else "true", timeout=15_000
    )
    page.wait_for_timeout(500)


def test_the_order_table_in_jupyterlab(
    providers: tuple[EmbeddedServer, str],
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat, stapi_url = providers
    lab = make_lab(stat.url, {"browser.ipynb": browser_notebook(stapi_url)})
    open_notebook(page, lab.url, lab.token, "browser.ipynb")
    run_all_cells(page)
    assert cell_errors(page) == []
    browser = page.locator(".stat-order-browser")
    check_browser(page, browser, page_watch, shots)
    shots.take(page, "light", element=browser)
    switch_lab_theme(page, "JupyterLab Dark")
    shots.take(page, "dark", element=browser, publish="order-browser-dark.png")
    # the table follows the theme: its text is light on dark
    colour = browser.locator(".stat-order-table td").first.evaluate(
        "cell => getComputedStyle(cell).color"
    )
    red, green, blue = (int(x) for x in colour[colour.index("(") + 1 :].split(",")[:3])
    assert min(red, green, blue) > 150, colour
    switch_lab_theme(page, "JupyterLab Light")


def test_the_order_table_in_voila(
    providers: tuple[EmbeddedServer, str],
    make_voila: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat, stapi_url = providers
    voila = make_voila(stat.url, {"browser.ipynb": browser_notebook(stapi_url)})
    page.goto(f"{voila.url}/?token={voila.token}")
    browser = page.locator(".stat-order-browser")
    expect(browser).to_be_visible(timeout=90_000)  # Voila runs the notebook before it shows
    expect(page.locator("body")).not_to_contain_text("Traceback")
    check_browser(page, browser, page_watch, shots)
    shots.take(page, "voila", element=browser)


@pytest.fixture
def make_notebook7(tmp_path: Any, shots: Screenshots) -> Iterator[ServerFactory]:
    """``make_notebook7(stat_url, {"name.ipynb": notebook})`` → a running Notebook 7."""
    pytest.importorskip("notebook", minversion="7")

    def launch(stat_url: str | None, notebooks: dict[str, dict[str, Any]]) -> Any:
        root = tmp_path / "notebook-root"
        root.mkdir()
        for name, notebook in notebooks.items():
            (root / name).write_text(json.dumps(notebook))
        log = shots.directory / "notebook.log"
        return start_notebook(root, tmp_path / "home", log, _kernel_env(stat_url))

    with _stopped_after(launch) as make:
        yield make


def test_the_order_table_in_notebook_7(
    providers: tuple[EmbeddedServer, str],
    make_notebook7: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat, stapi_url = providers
    server = make_notebook7(stat.url, {"browser.ipynb": browser_notebook(stapi_url)})
    page.goto(f"{server.url}/notebooks/browser.ipynb?token={server.token}")
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
    choose = page.get_by_role("button", name="Select Kernel")
    page.wait_for_timeout(2000)
    if choose.count():  # Notebook 7 may ask for the kernel the notebook names
        choose.click()
    # Notebook 7 itself reports one error on load in this isolated setup (a settings schema it
    # looks for); it comes before any cell runs, so it is not the widgets'.
    known = tuple(page_watch.page_errors)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    browser = page.locator(".stat-order-browser")
    expect(browser).to_be_visible(timeout=90_000)
    assert cell_errors(page) == []
    check_browser(page, browser, page_watch, shots, known_errors=known)
    shots.take(page, "notebook-7", element=browser)
