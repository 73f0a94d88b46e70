"""Paging benchmark: ``StatClient.orders()`` against a plain httpx loop over the same links.

Fills a database with orders (through the reference server's own store: seconds instead of
minutes), serves it with ``stat-widgets serve`` in a separate process, as a user's server would
be, then times iterating every order with the client (models, retries, cycle detection and
all) and with the leanest loop httpx allows (GET, ``json()``, follow ``next``), back to back in
each of ``--repeat`` rounds; the figure is the median of the rounds' ratios. (With the server
in this process its request handling competed with the client for the GIL and was counted in
both loops.) A third
loop (httpx + ``Order.model_validate`` per order) shows how much of the difference is the
models' validation rather than the client. Memory: tracemalloc's peak while iterating 1,000
orders and while iterating all of them; flat means the client holds one page, never the
listing.

Prints one line per figure: ``name  value  baseline  ratio  target``; ``benchmarks/run.py``
calls ``figure()`` for its paging line.

    .venv/bin/python benchmarks/paging.py            # 10,000 orders, pages of 100
    .venv/bin/python benchmarks/paging.py --orders 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
from _common import PYTHON, Row, free_port, paired_times, print_rows, subprocess_server

from stat_widgets.client import AsyncStatClient, StatClient
from stat_widgets.models import Order, bbox_geometry
from stat_widgets.server import run_in_thread

PRODUCT = "optical-vhr"
TIME_TARGET = 1.15
# Holding every order would make the 10,000-order peak ~10x the 1,000-order one; what remains
# is one page plus bounded stdlib caches (urllib/re) that fill during the first pages.
MEMORY_TARGET = 1.5
MEMORY_SAMPLE = 1000


# Next year: the server refuses intervals that have already ended.
YEAR = datetime.now(UTC).year + 1
INTERVAL = f"{YEAR}-06-01T00:00:00Z/{YEAR}-06-08T00:00:00Z"


def order_body(i: int) -> dict:
    west = 10.0 + (i % 100) * 0.01
    return {
        "datetime": INTERVAL,
        "product_id": PRODUCT,
        "geometry": bbox_geometry(west, 50.0, west + 0.005, 50.005),
    }


def fill(server: object, url: str, count: int) -> str:
    """``count`` orders: one over HTTP, the rest through the server's own store when it exposes
    one (seconds instead of minutes), else by concurrent POSTs. Says which it used."""
    with StatClient(url) as client:
        first = client.create_order(order_body(0))
    store = getattr(getattr(getattr(server, "app", None), "state", None), "stat", None)
    store = getattr(store, "store", None)
    stored = store.get(first.id, first.user or "anonymous") if store is not None else None
    if stored is not None:
        for i in range(1, count):
            store.insert(
                order_id=uuid.uuid4().hex,
                owner=stored.owner,
                product_id=stored.product_id,
                created_ms=stored.created_ms + i,
                request=stored.request,
            )
        return "server store"
    asyncio.run(_post_concurrently(url, count - 1))
    return "concurrent POSTs"


async def _post_concurrently(url: str, count: int) -> None:
    gate = asyncio.Semaphore(8)
    async with AsyncStatClient(url) as client:

        async def one(i: int) -> None:
            async with gate:
                await client.create_order(order_body(i))

        await asyncio.gather(*(one(i) for i in range(1, count + 1)))


@contextlib.contextmanager
def served_orders(count: int) -> Iterator[tuple[str, str]]:
    """A ``stat-widgets serve`` process on 127.0.0.1 over a database holding ``count`` orders;
    yields its URL and how the orders were put in."""
    with tempfile.TemporaryDirectory(prefix="stat-bench-") as tmp:
        db = Path(tmp) / "orders.db"
        filler = run_in_thread(db_path=db)
        try:
            how = fill(filler, filler.url, count)
        finally:
            filler.stop()
        port = free_port()
        command = [PYTHON, "-m", "stat_widgets.cli", "serve", "--host", "127.0.0.1"]
        with subprocess_server([*command, "--port", str(port), "--db", str(db)], port) as url:
            yield url, how


def with_client(url: str, limit: int, stop: int | None = None) -> int:
    with StatClient(url) as client:
        count = 0
        for _ in itertools.islice(client.orders(limit=limit), stop):
            count += 1
        return count


def plain_httpx(url: str, limit: int) -> int:
    with httpx.Client() as http:
        count = 0
        next_url: str | None = f"{url}/orders?limit={limit}"
        while next_url:
            data = http.get(next_url).json()
            count += len(data["orders"])
            next_url = next((ln["href"] for ln in data["links"] if ln["rel"] == "next"), None)
        return count


def httpx_and_models(url: str, limit: int) -> int:
    """The plain loop plus ``Order.model_validate`` per order: what the models alone cost, so
    the report can separate the client's own overhead from the models' validation."""
    with httpx.Client() as http:
        count = 0
        next_url: str | None = f"{url}/orders?limit={limit}"
        while next_url:
            data = http.get(next_url).json()
            for item in data["orders"]:
                Order.model_validate(item)
                count += 1
            next_url = next((ln["href"] for ln in data["links"] if ln["rel"] == "next"), None)
        return count


def peak_growth(run: Callable[[], int]) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    count = run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - base, count


def _counted(run: Callable[[str, int], int], url: str, limit: int, expected: int) -> Callable:
    def timed() -> None:
        count = run(url, limit)
        assert count == expected, f"{run.__name__} saw {count} orders, expected {expected}"

    return timed


def figure(
    orders: int = 10_000, limit: int = 100, repeat: int = 9, memory_sample: int = MEMORY_SAMPLE
) -> list[Row]:
    """The paging rows: the client against the plain httpx loop (the target), what the models
    alone cost, and the client's peak memory for all orders against ``memory_sample`` orders."""
    if orders < memory_sample * 2:
        raise ValueError(f"orders ({orders}) must be at least twice memory_sample")
    started = time.perf_counter()
    with served_orders(orders) as (url, how):
        filled = time.perf_counter() - started
        assert plain_httpx(url, limit) == orders  # warm up both paths
        assert with_client(url, limit) == orders
        timings = paired_times(
            repeat,
            [
                _counted(plain_httpx, url, limit, orders),
                _counted(with_client, url, limit, orders),
                _counted(httpx_and_models, url, limit, orders),
            ],
        )
        small, n_small = peak_growth(lambda: with_client(url, limit, memory_sample))
        large, n_large = peak_growth(lambda: with_client(url, limit))
        assert (n_small, n_large) == (memory_sample, orders)

    time_ratio = timings.ratio(1)
    httpx_time, client_time, models_time = (timings.median(i) for i in range(3))
    return [
        Row(
            f"paging_{orders}_orders",
            client_time,
            httpx_time,
            f"<= {TIME_TARGET}",
            time_ratio <= TIME_TARGET,
            ratio=time_ratio,
            note=f"StatClient.orders() vs plain httpx loop, pages of {limit}, server in its "
            f"own process; median times and median of {repeat} paired ratios "
            f"(range {timings.spread(1)}); filled via {how} and started in {filled:.1f}s",
        ),
        Row(
            "paging_models_only",
            models_time,
            httpx_time,
            ratio=timings.ratio(2),
            note="httpx loop + Order.model_validate per order vs plain httpx loop",
        ),
        Row(
            "paging_client_vs_models",
            client_time,
            models_time,
            note="the client's own overhead over httpx + models (ratio of the medians)",
        ),
        Row(
            "paging_client_cpu_seconds",
            timings.median_cpu(1),
            timings.median_cpu(0),
            ratio=timings.ratio(1, cpu=True),
            note="CPU time of this process only (the server runs in another): steadier than "
            "wall time on a shared machine",
        ),
        Row(
            "paging_orders_per_second",
            orders / client_time,
            orders / httpx_time,
            unit="orders/s",
            note="client vs plain httpx",
        ),
        Row(
            f"paging_peak_kib_{orders}_vs_{memory_sample}",
            large / 1024,
            small / 1024,
            f"<= {MEMORY_TARGET}",
            large <= small * MEMORY_TARGET,
            unit="KiB",
            note="tracemalloc peak iterating all orders vs the first few (flat = one page held)",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=100, help="orders per page")
    parser.add_argument("--repeat", type=int, default=9, help="rounds; the median ratio counts")
    parser.add_argument(
        "--memory-sample", type=int, default=MEMORY_SAMPLE, help="orders in the small memory run"
    )
    args = parser.parse_args()
    if args.orders < args.memory_sample * 2:
        parser.error(f"--orders must be at least {args.memory_sample * 2}")
    rows = figure(args.orders, args.limit, args.repeat, args.memory_sample)
    print_rows(rows)
    ok = all(row.passed is not False for row in rows)
    print(f"# {'PASS' if ok else 'FAIL'}: client/httpx time ratio and memory growth")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
