"""Notebook-start figure: ``import stat_widgets`` against ``import ipyleaflet``, each in a fresh
interpreter (the cost a notebook's first cell pays), best of ``repeat``, alternating.

``import stat_widgets`` must not import the server stack (FastAPI, uvicorn): the figure checks
that in a fresh interpreter too. ``from stat_widgets import OrderForm`` (what a notebook really
runs, which loads the widgets, models and ipyleaflet) is reported as information.

    .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import argparse
import subprocess
import time

from _common import PYTHON, REPO, Row, print_rows

TARGET = 1.2
OURS = "import stat_widgets"
THEIRS = "import ipyleaflet"
FORM = "from stat_widgets import OrderForm"
SERVER_MODULES = ("fastapi", "uvicorn", "starlette")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
    )


def _best(codes: list[str], repeat: int) -> list[float]:
    best = [float("inf")] * len(codes)
    for _ in range(repeat):
        for i, code in enumerate(codes):
            started = time.perf_counter()
            _python(code)
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def server_modules_after(code: str) -> list[str]:
    names = f"[m for m in {SERVER_MODULES!r} if m in sys.modules]"
    probe = f"{code}\nimport sys\nprint(' '.join({names}))"
    return _python(probe).stdout.split()


def figure(repeat: int = 7) -> list[Row]:
    leaked = server_modules_after(OURS)
    leaked_form = server_modules_after(FORM)
    _best(["pass", OURS, THEIRS, FORM], 1)  # warm the file cache for all of them
    bare, ours, theirs, form = _best(["pass", OURS, THEIRS, FORM], repeat)
    ratio = ours / theirs
    return [
        Row(
            "import_stat_widgets",
            ours,
            theirs,
            f"<= {TARGET}",
            ratio <= TARGET and not leaked,
            note=f"fresh interpreter each; baseline: {THEIRS}; bare interpreter {bare:.3f}s; "
            f"server modules imported: {', '.join(leaked) or 'none'}",
        ),
        Row(
            "import_order_form",
            form,
            theirs,
            note=f"{FORM} vs {THEIRS}; server modules imported: {', '.join(leaked_form) or 'none'}",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print_rows(figure(args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
