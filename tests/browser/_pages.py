"""Browser-side helpers: screenshots of each step, and driving JupyterLab as a user does
(open a notebook, Run ▸ Run All Cells, wait until every cell has run)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "browser"
DOC_SCREENSHOTS = REPO / "docs" / "screenshots"


class Screenshots:
    """Numbered PNGs of each step in ``artifacts/browser/<test>/`` (kept by CI as artifacts).

    ``publish=True`` on a step also copies it to ``docs/screenshots/`` when
    ``STAT_WIDGETS_UPDATE_SCREENSHOTS=1``: the README's pictures are refreshed on purpose, never
    as a side effect of running the suite.
    """

    def __init__(self, directory: Path, *, update_docs: bool = False) -> None:
        self.directory = directory
        self.update_docs = update_docs
        self.taken: list[Path] = []
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)

    def take(
        self,
        page: Page,
        name: str,
        *,
        element: Locator | None = None,
        publish: str | None = None,
        full_page: bool = False,
    ) -> Path:
        path = self.directory / f"{len(self.taken) + 1:02d}-{name}.png"
        if element is not None:
            _whole_element_screenshot(page, element, path)
        else:
            page.screenshot(path=path, animations="disabled", full_page=full_page)
        self.taken.append(path)
        if publish and self.update_docs:
            DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOC_SCREENSHOTS / publish)
        return path


def _whole_element_screenshot(page: Page, element: Locator, path: Path) -> None:
    """JupyterLab scrolls the notebook inside a fixed-height panel, so an element taller than
    the window would be cut off: grow the window to fit it for this one picture."""
    size = page.viewport_size
    box = element.bounding_box()
    assert size is not None and box is not None, "the element to photograph is not on screen"
    if box["height"] + 200 > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 300})
    try:
        element.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)  # let Leaflet redraw after the resize
        element.screenshot(path=path, animations="disabled")
    finally:
        page.set_viewport_size(size)


def open_notebook(page: Page, lab_url: str, token: str, name: str) -> None:
    """Open ``name`` in JupyterLab's single-document mode (no side panels: the widgets get the
    whole width) and wait until its kernel is idle."""
    page.goto(f"{lab_url}/doc/tree/{name}?token={token}")
    expect(page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible(timeout=60_000)
    wait_for_kernel_idle(page)


def wait_for_kernel_idle(page: Page, timeout: float = 60_000) -> None:
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=timeout)


def run_all_cells(page: Page, timeout: float = 120_000) -> None:
    """Run ▸ Run All Cells from the menu bar, then wait until every code cell shows its
    execution count (``[n]``, not ``[*]`` or ``[ ]``) and the kernel is idle again."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt")
    count = prompts.count()
    for i in range(count):
        expect(prompts.nth(i)).to_have_text(re.compile(r"^\[\d+\]:$"), timeout=timeout)
    wait_for_kernel_idle(page, timeout)


def cell_errors(page: Page) -> list[str]:
    """Tracebacks shown in the notebook (a failed cell is a failed test, with its reason)."""
    return page.locator(".jp-OutputArea-output[data-mime-type*='error']").all_inner_texts()
