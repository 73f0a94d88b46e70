"""Server figure: the reference server (durable SQLite) against a stapi-fastapi 0.8.0 server
with an in-memory backend, each in its own process on 127.0.0.1, under the same load client.

The load client (async httpx, in this process) runs ``clients`` concurrent workers that create
``orders`` orders in total, then lists every order by following ``next`` links. It counts
errors (any non-201 answer, timeout or dropped connection) and lost orders (created ids that
the listing does not return). Each round starts both servers afresh; rounds alternate and the
best throughput of each is kept.

    .venv/bin/python benchmarks/server_load.py --orders 500
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from _common import HEADER, PYTHON, Row, free_port, subprocess_server

TARGET = 1.0
REQUEST_TIMEOUT = 30.0
ROUND_TIMEOUT = 240.0
PAGE = 100
INTERVAL = "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"


def footprint(i: int) -> dict[str, Any]:
    west, south = 10.0 + (i % 97) * 0.01, 50.0 + (i % 89) * 0.01
    ring = [[west, south], [west + 0.005, south], [west + 0.005, south + 0.005]]
    ring += [[west, south + 0.005], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass(frozen=True)
class Target:
    """Where and what to POST on one kind of server."""

    name: str
    create_path: str
    body: Callable[[int], dict[str, Any]]


OURS = Target(
    "reference",
    "/order",
    lambda i: {"datetime": INTERVAL, "product_id": "optical-vhr", "geometry": footprint(i)},
)
THEIRS = Target(
    "stapi-fastapi",
    "/products/optical/orders",
    lambda i: {"datetime": INTERVAL, "geometry": footprint(i), "order_parameters": {}},
)


@dataclass
class Result:
    create_seconds: float
    list_seconds: float
    created: int
    listed: int
    errors: int
    lost: int
    first_error: str = ""


async def load(url: str, target: Target, orders: int, clients: int) -> Result:
    created: list[str] = []
    errors: list[str] = []
    counter = iter(range(orders))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as http:

        async def worker() -> None:
            for i in counter:  # shared: each order number is taken by exactly one worker
                try:
                    response = await http.post(url + target.create_path, json=target.body(i))
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                if response.status_code != 201:
                    errors.append(f"{response.status_code}: {response.text[:200]}")
                    continue
                created.append(response.json()["id"])

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        create_seconds = time.perf_counter() - started

        listed: set[str] = set()
        count = 0
        started = time.perf_counter()
        next_url: str | None = f"{url}/orders?limit={PAGE}"
        while next_url:
            response = await http.get(next_url)
            if response.status_code != 200:
                errors.append(f"listing {response.status_code}: {response.text[:200]}")
                break
            data = response.json()
            page = data["orders"] if "orders" in data else data["features"]  # STAT / STAPI
            count += len(page)
            listed.update(order["id"] for order in page)
            next_url = next((ln["href"] for ln in data["links"] if ln["rel"] == "next"), None)
        list_seconds = time.perf_counter() - started
    return Result(
        create_seconds,
        list_seconds,
        len(created),
        count,
        len(errors),
        len(set(created) - listed),
        errors[0] if errors else "",
    )


def _run_round(target: Target, orders: int, clients: int) -> Result:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="stat-bench-") as tmp:
        if target is OURS:
            command = [PYTHON, "-m", "stat_widgets.cli", "serve", "--host", "127.0.0.1"]
            command += ["--port", str(port), "--db", str(Path(tmp) / "orders.db")]
        else:
            script = Path(__file__).with_name("_stapi_serve.py")
            command = [PYTHON, str(script), "--port", str(port)]
        with subprocess_server(command, port) as url:
            return asyncio.run(asyncio.wait_for(load(url, target, orders, clients), ROUND_TIMEOUT))


def figure(orders: int = 2000, clients: int = 8, repeat: int = 2) -> list[Row]:
    ours: list[Result] = []
    theirs: list[Result] = []
    for _ in range(repeat):
        ours.append(_run_round(OURS, orders, clients))
        theirs.append(_run_round(THEIRS, orders, clients))

    def best(results: list[Result], attr: str) -> float:
        return min(getattr(r, attr) for r in results)

    create = orders / best(ours, "create_seconds"), orders / best(theirs, "create_seconds")
    listing = (
        max(r.listed / r.list_seconds for r in ours),
        max(r.listed / r.list_seconds for r in theirs),
    )
    errors = sum(r.errors for r in ours), sum(r.errors for r in theirs)
    lost = sum(r.lost for r in ours), sum(r.lost for r in theirs)
    first_error = next((r.first_error for r in ours + theirs if r.first_error), "")
    load_note = f"{clients} concurrent clients, {orders} orders, best of {repeat} rounds"
    return [
        Row(
            "server_create_throughput",
            create[0],
            create[1],
            f">= {TARGET}",
            create[0] / create[1] >= TARGET,
            unit="orders/s",
            ratio=create[0] / create[1],
            note=f"reference (SQLite, durable) vs stapi-fastapi in-memory; {load_note}",
        ),
        Row(
            "server_list_throughput",
            listing[0],
            listing[1],
            f">= {TARGET}",
            listing[0] / listing[1] >= TARGET,
            unit="orders/s",
            ratio=listing[0] / listing[1],
            note=f"listing all orders by next links, pages of {PAGE}",
        ),
        Row(
            "server_errors",
            errors[0],
            errors[1],
            "== 0",
            errors[0] == 0,
            unit="errors",
            ratio=0.0,
            note=first_error[:160] or "non-201 answers, timeouts, dropped connections",
        ),
        Row(
            "server_lost_orders",
            lost[0],
            lost[1],
            "== 0",
            lost[0] == 0,
            unit="orders",
            ratio=0.0,
            note="created ids missing from the listing",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(HEADER)
    for row in figure(args.orders, args.clients, args.repeat):
        print(row.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
