"""Drafts and the reason list in JupyterLab, as a person uses them: the list next to Submit
says what is missing and a click on an item brings its section into view; an AOI drawn with
the mouse, a product and a preset survive "Restart Kernel and Run All Cells" as the same
request."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from . import _order_flow as flow
from ._pages import Screenshots, cell_errors, open_notebook, run_all_cells, wait_for_kernel_idle
from .conftest import PageWatch, ServerFactory, StatServerFactory
from .test_lab_offline_map import notebook

pytestmark = pytest.mark.browser

DRAFT_NOTEBOOK = notebook(
    "from stat_widgets import OrderForm\n\nform = OrderForm(url, draft='lab-draft')\nform"
)


def _top_in_viewport(page: Page, element: Locator) -> float:
    box = element.bounding_box()
    assert box is not None
    return box["y"]


def _restart_and_run_all(page: Page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Kernel$")).click()
    page.locator(
        ".lm-Menu-itemLabel", has_text=re.compile(r"^Restart Kernel and Run All Cells")
    ).click()
    page.locator(".jp-Dialog .jp-mod-accept").click()


def test_reasons_scroll_to_their_section_and_a_draft_survives_a_restart(
    page: Page,
    make_lab: ServerFactory,
    make_stat_server: StatServerFactory,
    shots: Screenshots,
    page_watch: PageWatch,
) -> None:
    server = make_stat_server()
    lab = make_lab(server.url, {"draft.ipynb": DRAFT_NOTEBOOK})
    open_notebook(page, lab.url, lab.token, "draft.ipynb")
    run_all_cells(page)
    assert cell_errors(page) == []
    notebook_ = page.locator(".jp-Notebook")
    form = flow.order_form(notebook_)
    expect(form.locator(".stat-widgets-draft")).to_contain_text("saved as draft 'lab-draft'")

    # The reasons sit next to the button; a click brings the map's section into view.
    reasons = form.locator(".stat-widgets-reason")
    expect(reasons).to_have_count(3)
    expect(reasons.first).to_have_text("↑ Area of interest: still needed")
    reasons.first.scroll_into_view_if_needed()
    aoi_section = form.locator(".stat-widgets-section").first
    assert _top_in_viewport(page, aoi_section) < 0  # scrolled out of view above
    shots.take(page, "reasons-next-to-submit")
    reasons.first.click()
    page.wait_for_timeout(1_000)  # the smooth scroll
    assert 0 <= _top_in_viewport(page, aoi_section) < 300
    shots.take(page, "scrolled-to-the-map")

    map_ = flow.aoi_map(notebook_)
    flow.zoom_in(page, map_)
    flow.draw_polygon(page, map_)
    flow.choose_product(notebook_, flow.OPTICAL_VHR)
    flow.click_preset(notebook_, "Next 7 days")
    before = flow.request_preview(
        page, notebook_, until=lambda b: b["product_id"] == "optical-vhr" and "datetime" in b
    )
    expect(reasons).to_have_count(0)
    shots.take(page, "drawn-before-restart", element=form)
    assert page_watch.dialogs == [] and page_watch.page_errors == []

    _restart_and_run_all(page)
    restored = form.locator(".stat-widgets-draft")
    expect(restored).to_contain_text("Restored draft 'lab-draft'", timeout=120_000)
    wait_for_kernel_idle(page)
    assert cell_errors(page) == []
    after = flow.request_preview(page, notebook_, until=lambda b: b["product_id"] == "optical-vhr")
    assert after == before
    expect(form.get_by_role("button", name="Submit order")).to_be_enabled()
    expect(form.locator("path.leaflet-interactive")).to_have_count(1)  # the AOI is on the map
    shots.take(page, "restored-after-restart", element=form)
    # The previous kernel's widget views may still try to talk to their closed comms.
    assert page_watch.dialogs == []
    assert set(page_watch.page_errors) <= {"Cannot send"}
