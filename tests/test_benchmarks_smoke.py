"""The benchmark scripts run, at tiny sizes, and report a number for every figure.

No timing is asserted (the numbers mean nothing at these sizes and on a shared machine); this
only keeps ``benchmarks/`` from rotting as the package changes under it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
NUMBER = r"-?[\d,]+(?:\.\d+)?|inf"
LINE = re.compile(
    rf"^(?P<name>\w+)\s+(?P<value>{NUMBER})\s+(?P<baseline>{NUMBER})\s+(?P<ratio>{NUMBER})\s+"
    r"(?P<target>\(information\)|[<>=]=\s*\S+)\s+(?P<verdict>PASS|FAIL|info)\b"
)
# The first line of each figure, in run order.
FIGURE_LINES = (
    "paging_200_orders",
    "validation_50_requests",
    "large_aoi_5000_vertices",
    "server_create_throughput",
    "import_stat_widgets",
    "browser_page_10_orders",
    "opportunities_search_3d",
    "opportunity_widgets_20_build",
    "world_layer_bytes_per_map",
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BENCHMARKS.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _rows(stdout: str) -> dict[str, re.Match[str]]:
    return {m["name"]: m for m in map(LINE.match, stdout.splitlines()) if m is not None}


def test_run_reports_every_figure_with_numbers() -> None:
    result = _run(str(BENCHMARKS / "run.py"), "--tiny")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = _rows(result.stdout)
    assert list(rows)[: len(FIGURE_LINES)] != [], result.stdout
    missing = [name for name in FIGURE_LINES if name not in rows]
    assert not missing, f"no line for {missing}:\n{result.stdout}"
    others = (
        "server_list_throughput",
        "browser_page_bytes_per_order",
        "opportunities_compute_3d",
        "opportunity_widgets_20_bytes",
    )
    for name in (*FIGURE_LINES, *others):
        value = float(rows[name]["value"].replace(",", ""))
        assert value > 0, f"{name} reported {value}"
    assert "ERROR" not in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert re.match(r"# summary: \d+/\d+ targets met", summary), summary


def test_paging_script_still_runs_on_its_own() -> None:
    result = _run(
        str(BENCHMARKS / "paging.py"), "--orders", "200", "--memory-sample", "100", "--repeat", "1"
    )
    # Exit 1 means a target was missed, which tiny sizes may do; 2 or a traceback means rot.
    assert result.returncode in (0, 1), result.stderr[-3000:]
    rows = _rows(result.stdout)
    assert "paging_200_orders" in rows and "paging_peak_kib_200_vs_100" in rows, result.stdout


def test_the_load_client_counts_every_failure_as_an_error() -> None:
    """The server figure's own HTTP client: a refused answer and a refused connection are
    errors, never created orders (else a broken server would look fast)."""
    import asyncio
    import dataclasses

    sys.path.insert(0, str(BENCHMARKS))
    try:
        import server_load
    finally:
        sys.path.remove(str(BENCHMARKS))
    from stat_widgets.server import run_in_thread

    unknown = dataclasses.replace(
        server_load.OURS, body=lambda i: {**server_load.OURS.body(i), "product_id": "nope"}
    )
    server = run_in_thread()
    try:
        good = asyncio.run(server_load.load(server.url, server_load.OURS, 12, 3))
        bad = asyncio.run(server_load.load(server.url, unknown, 5, 2))
    finally:
        server.stop()
    assert (good.created, good.errors, good.lost, good.listed) == (12, 0, 0, 12)
    assert (bad.created, bad.errors) == (0, 5)
    assert bad.first_error.startswith("404")
    refused = server_load.Connection(server.url)
    with pytest.raises(OSError):
        asyncio.run(refused.post("/order", b"{}"))
