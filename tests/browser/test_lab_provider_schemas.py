"""Real providers' product shapes in the browser: a server whose catalogue is the
real-world-shaped STAT-era products of ``tests/models/schemas`` (fields under ``parameters``,
bare name → schema ``constraints``, ``allOf`` + ``$ref``, tuple ``items``). In JupyterLab a person
picks such a product, finds its fields offered by title in "Add filter", picks allowed values
from a list (not free text), draws an AOI and orders; the server receives that filter."""

from __future__ import annotations

import time
from typing import Any

import pytest
from models.corpus import STAT_ERA, document
from playwright.sync_api import Page, expect

from . import _order_flow as flow
from ._pages import Screenshots
from .conftest import PageWatch, ServerFactory, StatServerFactory, order_app_notebook

pytestmark = pytest.mark.browser

EUSI_LIKE = "VHR tasking (vhr-tasking)"


def _corpus_products() -> list[dict[str, Any]]:
    products = [document(name) for name in STAT_ERA]
    for item in products:
        item.pop("x-shape", None)
    return products


def test_a_stat_era_product_is_filtered_by_its_own_fields_and_ordered(
    make_stat_server: StatServerFactory,
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat = make_stat_server(products=_corpus_products())
    lab = make_lab(stat.url, {"order-app.ipynb": order_app_notebook()})
    app = flow.run_order_app(page, lab, "order-app.ipynb")
    form = flow.order_form(app)

    flow.choose_product(app, EUSI_LIKE)
    form.get_by_role("button", name="Add filter").click()
    row = form.locator(".stat-widgets-filter-row").last
    expect(row).to_be_visible()
    names = row.locator("select").nth(0)
    offered = [t.replace("\xa0", " ") for t in names.locator("option").all_inner_texts()]
    # The product's 13 fields under ``parameters``, by title (the seed offered none of them).
    for title in ("Max cloud cover", "Scan direction", "Sensors", "Revisits", "Delivery"):
        assert title in offered, offered
    names.select_option(label="Scan direction")
    values = row.locator("select[multiple]")
    expect(values).to_be_visible()
    # the row's value list follows the chosen field after a round trip through the kernel
    expect(values.locator("option")).to_have_text(["Any", "Forward", "Reverse"])
    values.select_option(label="Forward")
    shots.take(page, "stat-era-fields", element=form)

    map_ = flow.aoi_map(app)
    flow.zoom_in(page, map_)
    flow.draw_polygon(page, map_)
    flow.click_preset(app, "Next 7 days")
    body = flow.request_preview(page, app, until=lambda b: "filter" in b)
    assert body["filter"] == {"op": "in", "args": [{"property": "scanDirection"}, ["Forward"]]}
    flow.submit(app)
    expect(flow.submit_result(app)).to_be_visible(timeout=15_000)
    shots.take(page, "stat-era-ordered", element=form)

    deadline = time.monotonic() + 10
    stored: list[Any] = []
    while not stored and time.monotonic() < deadline:
        stored = _orders(stat)
        time.sleep(0.2)
    assert len(stored) == 1, stored
    assert stored[0]["request"]["product_id"] == "vhr-tasking"
    assert stored[0]["request"]["filter"] == body["filter"]
    assert page_watch.page_errors == []


def _orders(stat: Any) -> list[dict[str, Any]]:
    import httpx

    return httpx.get(f"{stat.url}/orders", timeout=10).json()["orders"]
