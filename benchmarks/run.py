"""Every performance figure of issue #7 in one run: ours against what users would use instead.

Prints one line per figure (``name value baseline ratio target PASS/FAIL unit # what``) and a
summary. Only ratios compare across runs: each figure measures ours and its baseline
alternately in the same run and keeps the best of N. Exits 0 when targets are missed (this is
a report; FAIL is printed), 1 only when a figure could not run at all.

    .venv/bin/python benchmarks/run.py                  # full sizes (a few minutes)
    .venv/bin/python benchmarks/run.py --quick          # small sizes (< 40 s)
    .venv/bin/python benchmarks/run.py --only paging --only server
    .venv/bin/python benchmarks/run.py --quick --only validation --profile
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import platform
import pstats
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import browser_page
import first_paint
import large_aoi
import opportunities
import opportunity_widgets
import paging
import server_load
import startup
import validation
import world_layer
from _common import HEADER, Row

# name -> (figure function, keyword arguments per size)
FIGURES: dict[str, tuple[Callable[..., list[Row]], dict[str, dict[str, Any]]]] = {
    "paging": (
        paging.figure,
        {
            # best of 9: the server's share of the time varies most between rounds
            "full": {"orders": 10_000, "limit": 100, "repeat": 11, "memory_sample": 1000},
            "quick": {"orders": 2000, "limit": 100, "repeat": 3, "memory_sample": 1000},
            "tiny": {"orders": 200, "limit": 50, "repeat": 1, "memory_sample": 100},
        },
    ),
    "validation": (
        validation.figure,
        {
            "full": {"count": 10_000, "vertices": 100, "repeat": 5, "filtered": 100},
            "quick": {"count": 1000, "vertices": 100, "repeat": 3, "filtered": 10},
            "tiny": {"count": 50, "vertices": 100, "repeat": 1, "filtered": 2},
        },
    ),
    "large_aoi": (
        large_aoi.figure,
        {
            "full": {"vertices": 200_000, "repeat": 5},
            "quick": {"vertices": 50_000, "repeat": 2},
            "tiny": {"vertices": 5000, "repeat": 1},
        },
    ),
    "server": (
        server_load.figure,
        {
            "full": {"orders": 2000, "clients": 8, "repeat": 3},
            "quick": {"orders": 300, "clients": 8, "repeat": 1},
            "tiny": {"orders": 40, "clients": 4, "repeat": 1},
        },
    ),
    "import": (
        startup.figure,
        {"full": {"repeat": 7}, "quick": {"repeat": 3}, "tiny": {"repeat": 1}},
    ),
    "browser": (
        browser_page.figure,
        {
            "full": {"orders": 100, "repeat": 5},
            "quick": {"orders": 100, "repeat": 2},
            "tiny": {"orders": 10, "repeat": 1},
        },
    ),
    "opportunities": (
        opportunities.figure,
        {
            "full": {"days": 30, "repeat": 7},
            "quick": {"days": 30, "repeat": 3},
            "tiny": {"days": 3, "repeat": 1},
        },
    ),
    "opportunity_widgets": (
        opportunity_widgets.figure,
        {
            "full": {"windows": 200, "repeat": 15},
            "quick": {"windows": 200, "repeat": 5},
            "tiny": {"windows": 20, "repeat": 1},
        },
    ),
    # Chromium + JupyterLab, a fresh kernel per cell (a round of two takes ~6 s once Lab runs);
    # single rounds' ratios spread over 1.3-1.75, so the median of 9. Not at --tiny.
    "first_paint": (first_paint.figure, {"full": {"repeat": 9}, "quick": {"repeat": 2}}),
    # Bytes, not time: the same at every size.
    "world": (world_layer.figure, {"full": {}, "quick": {}, "tiny": {}}),
}


def _profiled(run: Callable[[], list[Row]], top: int) -> list[Row]:
    """Run under cProfile and print the functions that took the most time (cumulative, then
    own time). Subprocess servers and imports are not seen: profile those separately."""
    profiler = cProfile.Profile()
    rows = profiler.runcall(run)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print("\n".join("#   " + line for line in out.getvalue().splitlines() if line.strip()))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", dest="size", const="quick")
    size.add_argument(
        "--tiny", action="store_const", dest="size", const="tiny", help="for the smoke test"
    )
    parser.set_defaults(size="full")
    parser.add_argument(
        "--only", action="append", choices=list(FIGURES), help="run this figure (repeatable)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile summary after each figure"
    )
    parser.add_argument("--top", type=int, default=25, help="profile lines to print")
    args = parser.parse_args(argv)

    names = args.only or list(FIGURES)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"# stat_widgets benchmarks ({args.size}) {now}; Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()} {platform.system()}"
    )
    print(HEADER, flush=True)
    rows: list[Row] = []
    crashed: list[str] = []
    started = time.perf_counter()
    for name in names:
        function, sizes = FIGURES[name]
        if args.size not in sizes:
            print(f"#   ({name}: not run at --{args.size})", flush=True)
            continue
        kwargs = sizes[args.size]
        figure_started = time.perf_counter()
        try:
            if args.profile:
                figure_rows = _profiled(lambda f=function, k=kwargs: f(**k), args.top)
            else:
                figure_rows = function(**kwargs)
        except Exception:
            crashed.append(name)
            print(f"{name:<34} ERROR: the figure could not run", flush=True)
            traceback.print_exc()
            continue
        for row in figure_rows:
            print(row.line(), flush=True)
        print(f"#   ({name}: {time.perf_counter() - figure_started:.1f}s)", flush=True)
        rows.extend(figure_rows)

    judged = [r for r in rows if r.passed is not None]
    failed = [r.name for r in judged if not r.passed]
    print(
        f"# summary: {len(judged) - len(failed)}/{len(judged)} targets met"
        + (f"; FAIL: {', '.join(failed)}" if failed else "")
        + (f"; ERROR (did not run): {', '.join(crashed)}" if crashed else "")
        + f"; {time.perf_counter() - started:.0f}s in total"
    )
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
