"""First-paint figure: what a person waits for, in Chromium, from running the ``OrderForm(url)``
cell in a fresh kernel to a map with its draw toolbar and a filled product list, against a cell
that shows a bare ``ipyleaflet.Map`` with a ``GeomanDrawControl`` (the least a map to draw on
costs in the same JupyterLab).

Each round opens both notebooks in alternating order, each in a fresh kernel (the previous
one is shut down through the server's REST API): once the notebook is open and its kernel idle,
the cell is run with Shift+Enter, and the page itself times, from that keydown to the first
animation frame where the map's Geoman toolbar is in the page (and, for the form, the product
list holds the server's products). The figure is the median of the rounds' ratios. Offline, as
in the browser tests: tiles and any other non-loopback request fail at once.

Both sides load compiled bytecode, as after any install: pip compiles ``ipyleaflet`` when it
installs it, and the package's own modules are compiled first here (``compileall``), because a
checkout where ``PYTHONDONTWRITEBYTECODE`` is set (these test machines) would otherwise have
every kernel compile the package's ~80 modules from source, a cost no user's second run pays.
Both notebooks run once before the rounds (Lab's page cache, the operating system's file cache).

    .venv/bin/python benchmarks/first_paint.py --repeat 5
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from _common import PYTHON, REPO, Row, free_port, print_rows, subprocess_server

sys.path.insert(0, str(REPO))  # the browser tests' JupyterLab launcher, reused
from tests.browser._servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ServerProcess,
    one_cell_notebook,
    start_lab,
)

TARGET = 1.5
OURS = "import os\nfrom stat_widgets import OrderForm\n\nOrderForm(os.environ['STAT_API_URL'])"
THEIRS = "import ipyleaflet\n\nm = ipyleaflet.Map()\nm.add(ipyleaflet.GeomanDrawControl())\nm"
#: What "ready" means on the page: the map's draw toolbar, and for the form a product list
#: with more than its placeholder.
READY = {
    "ours": r"""() => {
        const form = document.querySelector('.stat-widgets-order-form');
        if (!form || !form.querySelector('.leaflet-container .leaflet-pm-toolbar')) return false;
        const select = [...form.querySelectorAll('select')]
            .find(s => [...s.options].some(o => /choose\sa\sproduct/.test(o.text)));
        return !!select && select.options.length > 1;
    }""",
    "theirs": """() => !!document.querySelector(
        '.jp-OutputArea .leaflet-container .leaflet-pm-toolbar')""",
}
#: Installed before the keypress: note the time of the Shift+Enter keydown, then check the
#: condition on every animation frame and keep the elapsed time once it holds.
TIMER = """(ready) => {
    const check = new Function('return (' + ready + ')()');
    window.__firstPaint = undefined;
    document.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' || !event.shiftKey || window.__t0 !== undefined) return;
        window.__t0 = performance.now();
        const frame = () => {
            if (check()) { window.__firstPaint = performance.now() - window.__t0; return; }
            requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
    }, {capture: true});
}"""


def _shut_down_kernels(lab: ServerProcess) -> None:
    headers = {"Authorization": f"token {lab.token}"}
    with httpx.Client(base_url=lab.url, headers=headers, timeout=30) as http:
        for session in http.get("/api/sessions").json():
            http.delete(f"/api/sessions/{session['id']}")
        for kernel in http.get("/api/kernels").json():
            http.delete(f"/api/kernels/{kernel['id']}")


def run_cell(page: Any, lab: ServerProcess, name: str) -> None:
    """Open ``name`` in ``page`` (a fresh kernel), run its one cell with Shift+Enter, and wait
    until ``READY[name]`` holds; a cell that fails raises with its traceback."""
    from playwright.sync_api import expect

    page.goto(f"{lab.url}/doc/tree/{name}.ipynb?token={lab.token}")
    editor = page.locator(".jp-NotebookPanel .jp-Cell .cm-content").first
    expect(editor).to_be_visible(timeout=90_000)
    status = page.locator("#jp-main-statusbar")
    expect(status).to_contain_text("Idle", timeout=90_000)
    page.wait_for_timeout(500)  # the kernel's first "idle" settles before we start
    page.evaluate(TIMER, READY[name])
    editor.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("() => window.__firstPaint !== undefined", timeout=120_000)
    errors = page.locator(".jp-OutputArea-output[data-mime-type*='error']").all_inner_texts()
    if errors:
        raise RuntimeError(f"the {name} cell failed: {errors[0][-2000:]}")


def _time_cell(context: Any, lab: ServerProcess, name: str) -> float:
    """Open ``name`` (a fresh kernel), run its one cell, return seconds until it is ready."""
    page = context.new_page()
    try:
        run_cell(page, lab, name)
        return float(page.evaluate("() => window.__firstPaint")) / 1000
    finally:
        page.close()
        _shut_down_kernels(lab)


def _api_server(tmp: str) -> AbstractContextManager[str]:
    """The reference server the form's cell asks for its products, in a process of its own as
    ``stat-widgets lab`` runs it (a thread of the launcher, which does nothing else): in this
    process it would share the GIL and the heap with the Playwright client, whose event loop
    is busy relaying the page's events while the kernel waits for the products."""
    port = free_port()
    command = [PYTHON, "-m", "stat_widgets.cli", "serve", "--host", "127.0.0.1"]
    return subprocess_server([*command, "--port", str(port), "--db", f"{tmp}/orders.db"], port)


@contextmanager
def offline_lab(init_script: str | None = None) -> Iterator[tuple[Any, ServerProcess]]:
    """A reference server, a JupyterLab holding the two cells as ``ours.ipynb`` and
    ``theirs.ipynb``, and a Chromium context where only loopback answers (``init_script``, if
    given, runs in each page before Lab's own scripts); yields the context and the Lab."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"Debian's chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    compileall.compile_dir(REPO / "stat_widgets", quiet=1)  # what pip install does
    with tempfile.TemporaryDirectory(prefix="first-paint-") as tmp, _api_server(tmp) as api:
        root = Path(tmp) / "root"
        root.mkdir()
        for name, source in (("ours", OURS), ("theirs", THEIRS)):
            (root / f"{name}.ipynb").write_text(json.dumps(one_cell_notebook(source)))
        lab = start_lab(root, Path(tmp) / "home", Path(tmp) / "lab.log", {"STAT_API_URL": api})
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                if init_script is not None:
                    context.add_init_script(init_script)
                context.route(
                    lambda url: not url.startswith(("http://127.0.0.1", "ws://127.0.0.1")),
                    lambda route: route.abort(),
                )
                try:
                    yield context, lab
                finally:
                    browser.close()
        finally:
            lab.stop()


def figure(repeat: int = 5) -> list[Row]:
    times: dict[str, list[float]] = {"ours": [], "theirs": []}
    with offline_lab() as (context, lab):
        names = ["theirs", "ours"]
        for name in names:  # warm Lab's page cache and the file cache
            _time_cell(context, lab, name)
        for round_no in range(repeat):
            for name in names[round_no % 2 :] + names[: round_no % 2]:
                times[name].append(_time_cell(context, lab, name))
    ratios = [o / t for o, t in zip(times["ours"], times["theirs"], strict=True)]
    ratio = statistics.median(ratios)
    return [
        Row(
            "first_paint_order_form",
            statistics.median(times["ours"]),
            statistics.median(times["theirs"]),
            f"<= {TARGET:g}",
            ratio <= TARGET,
            ratio=ratio,
            note="Chromium, JupyterLab, a fresh kernel each: Shift+Enter on OrderForm(url) to "
            "the map's draw toolbar and a filled product list, vs ipyleaflet.Map + "
            f"GeomanDrawControl; median of {repeat} alternating rounds' ratios "
            f"({min(ratios):.2f}-{max(ratios):.2f})",
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_rows(figure(args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
