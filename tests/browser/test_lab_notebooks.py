"""The documentation notebooks as a Binder user meets them: opened in JupyterLab with no
server configured (each starts the embedded reference server itself), Run All, and the widgets
render in the browser with no error in any cell."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ._pages import Screenshots, cell_errors, open_notebook, run_all_cells
from .conftest import PageWatch, ServerFactory, repo_notebook

pytestmark = pytest.mark.browser

NOTEBOOKS = ("01-order.ipynb", "02-browse.ipynb")


def test_documentation_notebooks_render(
    make_lab: ServerFactory,
    page: Page,
    page_watch: PageWatch,
    shots: Screenshots,
) -> None:
    lab = make_lab(None, {name: repo_notebook(name) for name in NOTEBOOKS})

    open_notebook(page, lab.url, lab.token, "01-order.ipynb")
    run_all_cells(page)
    assert cell_errors(page) == []
    form = page.locator(".stat-widgets-order-form")
    form.scroll_into_view_if_needed()
    expect(form.get_by_text("Polygon · 4 vertices", exact=False).first).to_be_visible()
    expect(form.get_by_text("Order submitted.")).to_be_visible()  # the cell that submits
    shots.take(page, "01-order", element=form)

    # A new tab: leaving the first one would ask whether to discard its unsaved outputs.
    page = page.context.new_page()
    open_notebook(page, lab.url, lab.token, "02-browse.ipynb")
    run_all_cells(page)
    assert cell_errors(page) == []
    browser = page.locator(".stat-order-browser").first  # the first of two: then OrderApp
    expect(browser.get_by_title("Show order ", exact=False)).to_have_count(20)  # one page
    expect(page.locator(".stat-order-app")).to_be_visible()
    shots.take(page, "02-browse", element=browser, publish="order-browser.png")
    assert page_watch.dialogs == [] and page_watch.page_errors == []
