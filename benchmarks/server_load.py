"""Server figure: the reference server (durable SQLite) against a stapi-fastapi 0.8.0 server
with an in-memory backend, each in its own process on 127.0.0.1, under the same load client.

The load client (in this process) runs ``clients`` concurrent workers, each on its own
keep-alive connection, that create ``orders`` orders in total, then lists every order by
following ``next`` links with httpx. It counts errors (any non-201 answer, timeout or dropped
connection) and lost orders (created ids that the listing does not return). Each round starts
both servers afresh; rounds alternate and the best throughput of each is kept.

The creating workers speak HTTP/1.1 over asyncio streams, not through httpx: httpx's async
client spends about 1.5 ms of CPU per request, more than either server, so on a 2-core machine
it set the pace and both servers measured the same. With a lean load client the servers do.
The servers' own CPU time per order (from ``/proc``) is reported as well: it does not depend on
the load client at all.

    .venv/bin/python benchmarks/server_load.py --orders 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from _common import PYTHON, Row, ServerURL, free_port, print_rows, subprocess_server

TARGET = 1.0
REQUEST_TIMEOUT = 30.0
ROUND_TIMEOUT = 240.0
# a refused or dropped connection, a timeout, a cut or unreadable answer
LOAD_ERRORS = (TimeoutError, OSError, EOFError, ValueError, asyncio.LimitOverrunError)
PAGE = 100
# Next year: the server refuses intervals that have already ended.
YEAR = datetime.now(UTC).year + 1
INTERVAL = f"{YEAR}-06-01T00:00:00Z/{YEAR}-06-08T00:00:00Z"


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
    create_server_cpu: float | None  # the server process's CPU seconds while creating
    list_seconds: float
    created: int
    listed: int
    errors: int
    lost: int
    first_error: str = ""


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs JSON and reads a ``Content-Length``
    answer: just enough protocol for the load, at a few percent of httpx's CPU per request.
    Any failure closes it; the next request opens a new one."""

    def __init__(self, url: str) -> None:
        parsed = urlsplit(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self._host_header = f"{self.host}:{self.port}".encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        try:
            return await asyncio.wait_for(self._post(path, body), REQUEST_TIMEOUT)
        except BaseException:
            self.close()
            raise

    async def _post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(
            b"POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (path.encode(), self._host_header, len(body), body)
        )
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        headers = head.lower()
        start = headers.find(b"\r\ncontent-length:")
        if start < 0:
            raise ValueError(f"answer without Content-Length: {head[:200]!r}")
        length = int(headers[start + 17 : headers.index(b"\r\n", start + 2)])
        answer = await self._reader.readexactly(length)
        if b"\r\nconnection: close" in headers:
            self.close()
        return status, answer

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def load(url: ServerURL | str, target: Target, orders: int, clients: int) -> Result:
    created: list[str] = []
    errors: list[str] = []
    counter = iter(range(orders))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as http:

        async def worker() -> None:
            connection = Connection(url)
            try:
                for i in counter:  # shared: each order number is taken by exactly one worker
                    body = json.dumps(target.body(i)).encode()
                    try:
                        status, answer = await connection.post(target.create_path, body)
                    except LOAD_ERRORS as exc:
                        errors.append(f"{type(exc).__name__}: {exc}")
                        continue
                    if status != 201:
                        errors.append(f"{status}: {answer[:200].decode(errors='replace')}")
                        continue
                    created.append(json.loads(answer)["id"])
            finally:
                connection.close()

        cpu_before = url.cpu_seconds() if isinstance(url, ServerURL) else None
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        create_seconds = time.perf_counter() - started
        cpu_after = url.cpu_seconds() if isinstance(url, ServerURL) else None
        create_cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before

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
        create_cpu,
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
    cpu_rows = []
    ours_cpu = [r.create_server_cpu for r in ours if r.create_server_cpu is not None]
    theirs_cpu = [r.create_server_cpu for r in theirs if r.create_server_cpu is not None]
    if ours_cpu and theirs_cpu:
        per_order = min(ours_cpu) / orders * 1000, min(theirs_cpu) / orders * 1000
        cpu_rows.append(
            Row(
                "server_create_cpu_ms_per_order",
                per_order[0],
                per_order[1],
                unit="ms",
                note="the server process's CPU time per created order (lowest round), "
                "independent of the load client",
            )
        )
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
        *cpu_rows,
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
    print_rows(figure(args.orders, args.clients, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
