"""Notebook-start figure: ``import stat_widgets`` and ``from stat_widgets import OrderForm``
against ``import ipyleaflet``, each in a fresh interpreter (the cost a notebook's first cell
pays), in alternating rounds; each figure is the median over rounds of the round's ratio.

``import stat_widgets`` must not import the server stack (FastAPI, uvicorn): the figure checks
that in a fresh interpreter too. ``from stat_widgets import OrderForm`` loads the form's widget
modules and ipyleaflet, but not the client (httpx) or the pydantic models: those load when a
form is made (the list of what it imported is in the note).

    .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess

from _common import PYTHON, REPO, Row, paired_times, print_rows

TARGET = 1.2
FORM_TARGET = 1.2
OURS = "import stat_widgets"
THEIRS = "import ipyleaflet"
FORM = "from stat_widgets import OrderForm"
SERVER_MODULES = ("fastapi", "uvicorn", "starlette")
#: What the form could import first and need only once it is made (named in the figure's note).
FIRST_USE_MODULES = ("httpx", "pydantic", "jsonschema", "referencing", "pyproj", "sgp4")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
    )


def modules_after(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` are imported after running ``code`` in a fresh interpreter."""
    listed = f"[m for m in {names!r} if m in sys.modules]"
    probe = f"{code}\nimport sys\nprint(' '.join({listed}))"
    return _python(probe).stdout.split()


def server_modules_after(code: str) -> list[str]:
    return modules_after(code, SERVER_MODULES)


def figure(repeat: int = 7) -> list[Row]:
    # Compiled bytecode on both sides, as after a pip install (which compiles ipyleaflet): with
    # PYTHONDONTWRITEBYTECODE set, a checkout would compile the package from source each run.
    compileall.compile_dir(REPO / "stat_widgets", quiet=1)
    leaked = server_modules_after(OURS)
    leaked_form = server_modules_after(FORM)
    first_use = modules_after(FORM, FIRST_USE_MODULES)
    codes = ["pass", THEIRS, OURS, FORM]
    runs = [lambda code=code: _python(code) for code in codes]
    paired_times(1, runs)  # warm the file cache for all of them
    times = paired_times(repeat, runs)

    def ratio(i: int) -> float:  # the median of the rounds' ratios against ipyleaflet
        return statistics.median(
            ours / theirs for ours, theirs in zip(times.wall[i], times.wall[1], strict=True)
        )

    def spread(i: int) -> str:
        ratios = [ours / theirs for ours, theirs in zip(times.wall[i], times.wall[1], strict=True)]
        return f"{min(ratios):.2f}-{max(ratios):.2f}"

    bare, theirs, ours, form = (times.median(i) for i in range(4))
    return [
        Row(
            "import_stat_widgets",
            ours,
            theirs,
            f"<= {TARGET}",
            ratio(2) <= TARGET and not leaked,
            ratio=ratio(2),
            note=f"fresh interpreter each, median of {repeat} alternating rounds (ratios "
            f"{spread(2)}); baseline: {THEIRS}; bare interpreter {bare:.3f}s; "
            f"server modules imported: {', '.join(leaked) or 'none'}",
        ),
        Row(
            "import_order_form",
            form,
            theirs,
            f"<= {FORM_TARGET}",
            ratio(3) <= FORM_TARGET and not leaked_form,
            ratio=ratio(3),
            note=f"{FORM} vs {THEIRS} (ratios {spread(3)}); server modules imported: "
            f"{', '.join(leaked_form) or 'none'}; left for first use: "
            f"{', '.join(m for m in FIRST_USE_MODULES if m not in first_use)}"
            + (f"; imported early: {', '.join(first_use)}" if first_use else ""),
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
