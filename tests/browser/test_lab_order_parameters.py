"""A STAPI product's order parameters in JupyterLab (stapi-fastapi with its own backend): the
section is not in the page before a product is chosen (``form_frame.SectionBox`` keeps its box
empty), appears under its numbered heading once the chosen product has parameters, and what a
person picks there is in the request the review shows."""

from __future__ import annotations

import pytest
from client.stapi_server import run_stapi_server
from playwright.sync_api import Page, expect

from . import _order_flow as flow
from ._pages import Screenshots
from .conftest import PageWatch, ServerFactory, order_app_notebook

pytestmark = pytest.mark.browser


def test_order_parameters_appear_with_the_product_that_has_them(
    make_lab: ServerFactory, page: Page, page_watch: PageWatch, shots: Screenshots
) -> None:
    with run_stapi_server() as (url, _backend):
        lab = make_lab(url, {"stapi.ipynb": order_app_notebook()})
        app = flow.run_order_app(page, lab, "stapi.ipynb")
        form = flow.order_form(app)
        expect(flow.aoi_map(app)).to_be_visible(timeout=60_000)
        headings = form.locator("h4")
        expect(headings.filter(has_text="Opportunities")).to_have_text(
            "5. Opportunities (optional)"
        )
        assert form.get_by_text("Delivery").count() == 0  # not built, not merely hidden

        flow.choose_product(app, "Optical 50 cm (optical)")
        expect(headings.filter(has_text="Order parameters")).to_have_text("5. Order parameters")
        expect(headings.filter(has_text="Opportunities")).to_have_text(
            "6. Opportunities (optional)"
        )
        heading = page.locator("h4", has_text="Order parameters")
        section = form.locator(".stat-widgets-section").filter(has=heading)
        delivery = section.locator("select")
        expect(delivery.locator("option:checked")).to_have_text("standard")  # schema default
        delivery.select_option(label="express")
        expect(form).to_contain_text("delivery = express")  # the review's summary
        shots.take(page, "order-parameters", element=section)
        assert page_watch.page_errors == []
