"""Status progression driven by the injectable clock."""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from stat_widgets.models import Order, StatusRecord
from stat_widgets.server import EmbeddedServer, ManualClock
from stat_widgets.server.lifecycle import PATHS, STATUSES, Fate, current, fate_of, status_sql

from .bodies import link, order_body

START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_manual_clock_moves_only_forward() -> None:
    clock = ManualClock(START)
    assert clock.now() == START
    assert clock.advance(90) == START + timedelta(seconds=90)
    assert clock.now() == START + timedelta(seconds=90)
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        ManualClock(datetime(2025, 1, 1))


def test_fates_come_from_the_id_in_roughly_the_documented_shares() -> None:
    fates = Counter(fate_of(uuid.UUID(int=i).hex) for i in range(4000))
    assert 300 < fates[Fate.REJECTED] < 500
    assert 300 < fates[Fate.FAILED] < 500
    assert fate_of("abc") == fate_of("abc")


def test_sql_status_condition_agrees_with_python() -> None:
    """The ``status`` filter (SQL) and the order's status (Python) come from one rule."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE orders (n INTEGER, fate TEXT, created_ms INTEGER,"
        " window_start_ms INTEGER, window_end_ms INTEGER)"
    )
    now = 10_000_000
    ages = [0, 1, 59_999, 60_000, 60_001, 119_999, 120_000, 659_999, 660_000, 7_859_999]
    ages += [7_860_000, 9_999_999]
    # blind orders, and orders of windows that closed, are open or are to come (seen from
    # now), placed early enough to task them or too late
    windows: list[tuple[int, int] | None] = [None]
    for opens in (-3_600_000, -60_000, -1, 0, 1, 300_000, 3_600_000, 9_000_000):
        windows += [(now + opens, now + opens + 60_000), (now + opens, now + opens + 1)]
    rows: list[tuple] = []
    for fate in Fate:
        for age in ages:
            for window in windows:
                rows.append((len(rows), fate.value, now - age, *(window or (None, None))))
    db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", rows)
    reached = {current(Fate(f), c, now, None if s is None else (s, e)) for _, f, c, s, e in rows}
    assert len(reached) == 10  # every step of every path (blind, window, too late) occurs
    for status in [*STATUSES, "cancelled"]:
        where, params = status_sql(status, now)
        got = {n for (n,) in db.execute(f"SELECT n FROM orders WHERE {where}", params)}
        expected = {
            n
            for n, fate, created, start, end in rows
            if current(Fate(fate), created, now, None if start is None else (start, end)).status
            == status
        }
        assert got == expected, status


def _orders_with_every_fate(url: str) -> dict[Fate, str]:
    found: dict[Fate, str] = {}
    with httpx.Client(base_url=url) as client:
        for _ in range(400):
            order_id = client.post("/order", json=order_body()).json()["id"]
            found.setdefault(fate_of(order_id), order_id)
            if len(found) == len(Fate):
                return found
    raise AssertionError(f"no order of every fate in 400 tries: {found}")


def test_statuses_progress_with_the_clock(make_stat_server: Callable) -> None:
    clock = ManualClock(START)
    server: EmbeddedServer = make_stat_server(clock=clock)
    orders = _orders_with_every_fate(server.url)
    expected = {
        0: {Fate.OK: "received", Fate.REJECTED: "received", Fate.FAILED: "received"},
        60: {Fate.OK: "accepted", Fate.REJECTED: "rejected", Fate.FAILED: "accepted"},
        600: {Fate.OK: "scheduled", Fate.REJECTED: "rejected", Fate.FAILED: "scheduled"},
        2 * 3600: {Fate.OK: "completed", Fate.REJECTED: "rejected", Fate.FAILED: "failed"},
    }
    with httpx.Client(base_url=server.url) as client:
        total = client.get("/orders").json()["numberMatched"]
        for step, statuses in expected.items():
            clock.advance(step)
            for fate, order_id in orders.items():
                order = Order.model_validate(client.get(f"/order/{order_id}").json())
                assert order.status == statuses[fate], (step, fate)
            counts = {
                status: client.get("/orders", params={"status": status}).json()["numberMatched"]
                for status in STATUSES
            }
            assert sum(counts.values()) == total  # every order has exactly one status
            for fate, order_id in orders.items():
                listed = client.get(
                    "/orders", params={"status": statuses[fate], "limit": 1000}
                ).json()
                assert order_id in {o["id"] for o in listed["orders"]}


def test_status_history_is_newest_last_with_reasons(make_stat_server: Callable) -> None:
    clock = ManualClock(START)
    server: EmbeddedServer = make_stat_server(clock=clock)
    orders = _orders_with_every_fate(server.url)
    clock.advance(3 * 3600)
    with httpx.Client(base_url=server.url) as client:
        for fate, order_id in orders.items():
            body = client.get(f"/order/{order_id}/statuses").json()
            records = [StatusRecord.model_validate(item) for item in body["statuses"]]
            assert [r.status for r in records] == [step.status for step in PATHS[fate]]
            assert [r.timestamp for r in records] == sorted(r.timestamp for r in records)
            assert records[0].timestamp == START
            assert records[1].timestamp == START + timedelta(seconds=60)
            assert body["statuses"][0]["timestamp"].endswith("Z")
            if fate is Fate.OK:
                assert all(r.reason_code is None for r in records)
            else:
                assert records[-1].reason_code and records[-1].reason_text
            self_link = next(item for item in body["links"] if item["rel"] == "self")
            assert self_link["href"] == f"{server.url}/order/{order_id}/statuses"


def test_history_so_far_only(make_stat_server: Callable) -> None:
    clock = ManualClock(START)
    server: EmbeddedServer = make_stat_server(clock=clock)
    order_id = httpx.post(f"{server.url}/order", json=order_body()).json()["id"]
    statuses = httpx.get(f"{server.url}/order/{order_id}/statuses").json()["statuses"]
    assert [s["status"] for s in statuses] == ["received"]


def test_status_filter_pages_are_full_and_complete(make_stat_server: Callable) -> None:
    clock = ManualClock(START)
    server: EmbeddedServer = make_stat_server(clock=clock)
    with httpx.Client(base_url=server.url) as client:
        ids = [client.post("/order", json=order_body()).json()["id"] for _ in range(40)]
        clock.advance(60)
        later = [client.post("/order", json=order_body()).json()["id"] for _ in range(3)]
        for status, fates in (("accepted", {Fate.OK, Fate.FAILED}), ("rejected", {Fate.REJECTED})):
            expected = [i for i in reversed(ids) if fate_of(i) in fates]
            seen: list[str] = []
            sizes: list[int] = []
            url: str | None = f"/orders?status={status}&limit=4"
            while url:
                page = client.get(url).json()
                assert page["numberMatched"] == len(expected)
                sizes.append(len(page["orders"]))
                assert all(order["status"] == status for order in page["orders"])
                seen += [order["id"] for order in page["orders"]]
                url = link(page, "next")
                assert url is None or f"status={status}" in url
            assert seen == expected
            assert all(size == 4 for size in sizes[:-1])
        received = client.get("/orders", params={"status": "received"}).json()
        assert [o["id"] for o in received["orders"]] == later[::-1]
        both = client.get("/orders", params={"status": "received,rejected"}).json()
        assert both["numberMatched"] == 3 + sum(fate_of(i) is Fate.REJECTED for i in ids)
