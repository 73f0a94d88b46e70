"""Paging benchmark: ``StatClient.orders()`` against a plain httpx loop over the same links.

Starts the reference server in this process, fills it with orders, then times iterating every
order with the client (models, retries, cycle detection and all) and with the leanest loop
httpx allows (GET, ``json()``, follow ``next``), alternating the two and keeping the best of
``--repeat`` runs of each. A third loop (httpx + ``Order.model_validate`` per order) shows how
much of the difference is the models' validation rather than the client. Memory: tracemalloc's
peak while iterating 1,000 orders and while iterating all of them (the in-process server's
allocations are traced too); flat means the client holds one page, never the listing.

Prints one line per figure: ``name  value  baseline  ratio  target``.

    .venv/bin/python benchmarks/paging.py            # 10,000 orders, pages of 100
    .venv/bin/python benchmarks/paging.py --orders 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import time
import tracemalloc
import uuid
from collections.abc import Callable

import httpx

from stat_widgets.client import AsyncStatClient, StatClient
from stat_widgets.models import Order, bbox_geometry
from stat_widgets.server import run_in_thread

PRODUCT = "optical-vhr"
TIME_TARGET = 1.15
# Holding every order would make the 10,000-order peak ~10x the 1,000-order one; what remains
# is one page plus bounded stdlib caches (urllib/re) that fill during the first pages.
MEMORY_TARGET = 1.5
MEMORY_SAMPLE = 1000


def order_body(i: int) -> dict:
    west = 10.0 + (i % 100) * 0.01
    return {
        "datetime": "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z",
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


def line(name: str, value: float, baseline: float, target: str, fmt: str = ".3f") -> None:
    ratio = value / baseline if baseline else float("inf")
    print(f"{name:<28} {value:>12{fmt}} {baseline:>12{fmt}} {ratio:>7.3f}  {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=100, help="orders per page")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each, best kept")
    args = parser.parse_args()
    if args.orders < MEMORY_SAMPLE * 2:
        parser.error(f"--orders must be at least {MEMORY_SAMPLE * 2}")

    server = run_in_thread()
    try:
        started = time.perf_counter()
        how = fill(server, server.url, args.orders)
        print(f"# filled {args.orders} orders via {how} in {time.perf_counter() - started:.1f}s")
        assert plain_httpx(server.url, args.limit) == args.orders  # warm up both paths
        assert with_client(server.url, args.limit) == args.orders

        client_runs: list[float] = []
        httpx_runs: list[float] = []
        models_runs: list[float] = []
        for _ in range(args.repeat):
            for runs, run in (
                (httpx_runs, plain_httpx),
                (client_runs, with_client),
                (models_runs, httpx_and_models),
            ):
                gc.collect()
                started = time.perf_counter()
                count = run(server.url, args.limit)
                runs.append(time.perf_counter() - started)
                assert count == args.orders, count

        small, n_small = peak_growth(lambda: with_client(server.url, args.limit, MEMORY_SAMPLE))
        large, n_large = peak_growth(lambda: with_client(server.url, args.limit))
        assert (n_small, n_large) == (MEMORY_SAMPLE, args.orders)
    finally:
        server.stop()

    client_best, httpx_best, models_best = min(client_runs), min(httpx_runs), min(models_runs)
    print(f"{'# name':<28} {'value':>12} {'baseline':>12} {'ratio':>7}  target")
    line(f"orders_{args.orders}_seconds", client_best, httpx_best, f"<= {TIME_TARGET}")
    line(
        "models_only_seconds",
        models_best,
        httpx_best,
        "(information: httpx loop + Order.model_validate)",
    )
    line(
        "client_vs_models_seconds",
        client_best,
        models_best,
        "(information: the client's own overhead)",
    )
    line(
        "orders_per_second",
        args.orders / client_best,
        args.orders / httpx_best,
        "(information)",
        ".0f",
    )
    line(
        f"peak_kib_{args.orders}_vs_{MEMORY_SAMPLE}",
        large / 1024,
        small / 1024,
        f"<= {MEMORY_TARGET} (flat)",
        ".0f",
    )
    ok = client_best / httpx_best <= TIME_TARGET and large <= small * MEMORY_TARGET
    print(f"# {'PASS' if ok else 'FAIL'}: client/httpx time ratio and memory growth")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
