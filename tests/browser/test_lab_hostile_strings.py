"""Strings from the server reach the page as text: a product title and an order id that are
HTML with script in them are shown literally in JupyterLab, and nothing runs."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from stat_widgets.models import OrderRequest

from . import _order_flow as flow
from ._pages import Screenshots
from .conftest import PageWatch, ServerFactory, StatServerFactory, order_app_notebook

if TYPE_CHECKING:
    from stat_widgets.server import EmbeddedServer

pytestmark = pytest.mark.browser

HOSTILE_TITLE = '<img src=x onerror=alert("title")>Evil <b class=injected>product</b>'
HOSTILE_DESCRIPTION = '<script class=injected>alert("description")</script>'
HOSTILE_ORDER_ID = '<img src=x onerror=alert("order-id")>'


def hostile_server(
    make_stat_server: StatServerFactory,
) -> tuple[EmbeddedServer, dict[str, Any]]:
    """The reference server with one product whose title and description are markup, and one
    stored order whose id is markup (the server never makes such ids itself, so the test puts
    the row into its database: fault injection on a real server, over real HTTP)."""
    from stat_widgets.server.catalog import DEMO_PRODUCTS

    product = copy.deepcopy(DEMO_PRODUCTS[0])
    product.update(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)
    stat = make_stat_server(products=[product])
    request = OrderRequest.from_input(
        {
            "datetime": "2031-03-01T00:00:00Z/2031-03-08T00:00:00Z",
            "product_id": product["id"],
            "geometry": "POLYGON((10 50, 10.1 50, 10.1 50.1, 10 50.1, 10 50))",
        }
    )
    state = stat.app.state.stat
    state.store.insert(
        order_id=HOSTILE_ORDER_ID,
        owner="anonymous",
        product_id=product["id"],
        created_ms=state.now_ms(),
        request=json.dumps(request.model_dump(mode="json")),
    )
    return stat, product


def test_hostile_title_and_order_id_show_as_text(
    make_stat_server: StatServerFactory,
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    stat, product = hostile_server(make_stat_server)
    lab = make_lab(stat.url, {"order-app.ipynb": order_app_notebook()})
    app = flow.run_order_app(page, lab, "order-app.ipynb")

    flow.choose_product(app, f"{HOSTILE_TITLE} ({product['id']})")
    form = flow.order_form(app)
    # In the product details and again in the review summary, each time as the literal text.
    expect(form.get_by_text(HOSTILE_TITLE, exact=True)).to_have_count(2)
    expect(form.get_by_text(HOSTILE_DESCRIPTION, exact=True)).to_be_visible()
    shots.take(page, "hostile-product", element=form.locator(".widget-dropdown").first)

    flow.open_my_orders(app)
    row = flow.order_row_button(app, HOSTILE_ORDER_ID)
    expect(row).to_be_visible(timeout=15_000)
    row.click()
    expect(app.get_by_text(f"Order {HOSTILE_ORDER_ID}", exact=True)).to_be_visible()
    shots.take(page, "hostile-order", element=app)

    # Markup stayed text: no element was made from it, and no script ran.
    made = app.locator("img[src='x'], script, .injected")
    assert made.evaluate_all("elements => elements.map(e => e.outerHTML)") == []
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page_watch.dialogs == []
    assert page_watch.page_errors == []
