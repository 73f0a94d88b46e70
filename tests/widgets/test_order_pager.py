"""The order pager without any widget: one provider and several (our reference server and
stapi-fastapi servers with other page sizes), merged newest first and read lazily, filters per
provider, a provider that fails while the others stay, and the bound on empty pages."""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from stat_widgets.client import StatClient
from stat_widgets.widgets._clients import Provider
from stat_widgets.widgets.order_browser.pager import (
    MAX_EMPTY_PAGES,
    Filters,
    OrderPager,
    newest_first,
)

from ._providers import (
    RecordingTransport,
    at,
    dead_url,
    fast_client,
    recording_client,
    stapi_provider,
    stat_provider,
)

A_TIMES = [3 * k for k in range(25)]  # reference server
B_TIMES = [3 * k + 1 for k in range(17)]  # stapi-fastapi, 7 orders per page
C_TIMES = [3 * k + 2 for k in range(9)]  # reference server


def read_all(pager: OrderPager) -> list[tuple[str, str]]:
    """(provider, order id) of every row, paging forward from the first page."""
    assert pager.first()
    seen = [(r.provider, r.order.id) for r in pager.view.rows]
    while pager.next():
        seen += [(r.provider, r.order.id) for r in pager.view.rows]
    return seen


@pytest.fixture
def three(make_stat_server: Callable[..., Any]) -> Iterator[dict[str, Any]]:
    """Providers A (reference), B (stapi-fastapi) and C (reference) with interleaved times,
    each behind a client that records its requests."""
    a = stat_provider(make_stat_server, A_TIMES)
    c = stat_provider(make_stat_server, C_TIMES)
    with stapi_provider(B_TIMES, page_cap=7) as b:
        clients = {
            name: recording_client(url) for name, url in (("A", a.url), ("B", b.url), ("C", c.url))
        }
        try:
            yield {"servers": {"A": a, "B": b, "C": c}, "clients": clients}
        finally:
            for client, _transport in clients.values():
                client.close()


def providers(three: dict[str, Any], *names: str) -> list[Provider]:
    return [Provider(n, three["clients"][n][0]) for n in names]


def transport(three: dict[str, Any], name: str) -> RecordingTransport:
    return three["clients"][name][1]


def listing_requests(three: dict[str, Any], name: str) -> list[str]:
    return [str(u) for u in transport(three, name).urls if u.path.rstrip("/").endswith("orders")]


def test_one_provider_pages_forward_and_back(make_stat_server: Callable[..., Any]) -> None:
    server = stat_provider(make_stat_server, A_TIMES)
    with StatClient(server.url) as client:
        pager = OrderPager([Provider("A", client)], page_size=10)
        assert read_all(pager) == [("A", i) for i in reversed(server.order_ids)]
        positions = []
        while True:
            view = pager.view
            positions.append((view.offset, len(view.rows), view.total))
            if not pager.previous():
                break
        assert positions == [(20, 5, 25), (10, 10, 25), (0, 10, 25)]
        assert not pager.view.has_previous and pager.view.has_next


def test_three_providers_merge_newest_first_every_order_once(three: dict[str, Any]) -> None:
    pager = OrderPager(providers(three, "A", "B", "C"), page_size=10)
    assert pager.first()
    first = pager.view
    assert first.total == len(A_TIMES) + len(B_TIMES) + len(C_TIMES)
    # lazily: the first page of ten asked each provider for one page, no more
    for name in "ABC":
        assert len(listing_requests(three, name)) == 1, name
    created = [r.order.created for r in first.rows]
    assert created == [at(s) for s in sorted(A_TIMES + B_TIMES + C_TIMES, reverse=True)[:10]]

    pages = [first.rows]
    while pager.next():
        pages.append(pager.view.rows)
    everything = [r for page in pages for r in page]
    times = sorted(A_TIMES + B_TIMES + C_TIMES, reverse=True)
    assert [r.order.created for r in everything] == [at(s) for s in times]
    assert len({(r.provider, r.order.id) for r in everything}) == len(times)
    assert [len(p) for p in pages] == [10, 10, 10, 10, 10, 1]
    # B serves 7 per page: its 17 orders took 3 requests however the view pages fell
    assert len(listing_requests(three, "B")) == 3

    # back again, page by page: exactly the same rows
    back = [pager.view.rows]
    while pager.previous():
        back.insert(0, pager.view.rows)
    assert [[(r.provider, r.order.id) for r in p] for p in back] == [
        [(r.provider, r.order.id) for r in p] for p in pages
    ]


def test_filters_go_to_the_server_that_filters_and_are_applied_to_the_other(
    three: dict[str, Any],
) -> None:
    b = three["servers"]["B"]
    done = [order_id for i, order_id in enumerate(reversed(list(b.orders))) if i % 3 == 0]
    for order_id in done:
        b.set_status(order_id, "completed")
    a_client = three["clients"]["A"][0]
    a_completed = [o.id for o in a_client.orders() if o.matches(status="completed")]
    assert 0 < len(a_completed) < len(A_TIMES)
    transport(three, "A").urls.clear()

    pager = OrderPager(providers(three, "A", "B"), page_size=5, filters=Filters(status="completed"))
    rows = read_all(pager)
    assert sorted(rows) == sorted([("A", i) for i in a_completed] + [("B", i) for i in done])
    assert len(rows) == len(set(rows))
    # A filtered on the server: every listing request asked for the status ...
    assert all("status=completed" in url for url in listing_requests(three, "A"))
    # ... B cannot, so its pages were filtered here, and no total is claimed
    assert b.queries and all("status" not in q for q in b.queries)
    assert pager.view.total is None


def test_merged_rows_are_sorted_newest_first(three: dict[str, Any]) -> None:
    pager = OrderPager(providers(three, "A", "B", "C"), page_size=17)
    assert pager.first() and pager.next()
    keys = [newest_first(r.order) for r in pager.view.rows]
    assert keys == sorted(keys)


def test_a_failing_provider_is_set_aside_and_the_others_stay(
    make_stat_server: Callable[..., Any], tmp_path: Any
) -> None:
    from stat_widgets.server import ManualClock, run_in_thread

    a = stat_provider(make_stat_server, A_TIMES)
    db = tmp_path / "b.db"
    b = run_in_thread(db_path=db, clock=ManualClock(at(0)))
    with StatClient(b.url) as client:
        for s in (10, 40, 70):
            b.clock.advance((at(s) - b.clock.now()).total_seconds())
            client.create_order(
                {
                    "datetime": "2031-03-01T00:00:00Z/2031-03-08T00:00:00Z",
                    "product_id": "optical-vhr",
                    "geometry": {"type": "Point", "coordinates": [1, 2]},
                }
            )
    b.stop()
    with fast_client(a.url) as a_client, fast_client(b.url) as b_client:
        pager = OrderPager([Provider("A", a_client), Provider("B", b_client)], page_size=10)
        assert pager.first()  # A answered, so the page changes
        assert set(pager.problems) == {"B"} and "B" in pager.set_aside
        assert {r.provider for r in pager.view.rows} == {"A"}
        assert pager.view.total is None  # B's share is unknown
        assert pager.next()  # B is not asked again on every move
        assert {r.provider for r in pager.view.rows} == {"A"}
        assert pager.previous()

        again = run_in_thread(db_path=db, clock=ManualClock(at(100)), port=b.port)
        try:
            assert pager.retry("B")
            assert pager.problems == {} and pager.set_aside == {}
            rows = pager.view.rows
            assert [r.order.created for r in rows] == sorted(
                (r.order.created for r in rows), reverse=True
            )
            assert [r.provider for r in rows if r.order.created == at(70)] == ["B"]
            assert pager.view.total == len(A_TIMES) + 3
        finally:
            again.stop()


def test_when_nobody_answers_the_page_stays_and_retry_repeats_the_move(
    make_stat_server: Callable[..., Any],
) -> None:
    with fast_client(dead_url()) as client:
        pager = OrderPager([Provider("only", client)], page_size=10)
        assert not pager.first()
        assert pager.view is None and "only" in pager.problems
        assert pager.set_aside == {}  # nobody answered: the next move asks again
        assert not pager.retry()
        assert "only" in pager.problems


def test_a_listing_of_empty_pages_stops_the_view_page_and_next_reads_on() -> None:
    count = MAX_EMPTY_PAGES * 2 + 3
    with stapi_provider(range(count), page_cap=1) as b, StatClient(b.url) as client:
        oldest = next(iter(b.orders))
        b.set_status(oldest, "completed")  # the one match, at the very end of the listing
        pager = OrderPager(
            [Provider("B", client)], page_size=5, filters=Filters(status="completed")
        )
        assert pager.first()
        assert pager.view.rows == [] and pager.view.has_next
        assert "pages in a row without a matching order" in pager.view.notes["B"]
        assert len(b.queries) == MAX_EMPTY_PAGES  # then the view page stopped
        moves = 0
        while not pager.view.rows and pager.next():
            moves += 1
        assert [r.order.id for r in pager.view.rows] == [oldest]
        assert moves == 2 and not pager.view.has_next
        assert len(b.queries) == count  # every page read once, none twice


def test_every_order_merges_all_providers_newest_first(three: dict[str, Any]) -> None:
    pager = OrderPager(providers(three, "A", "B", "C"), page_size=10)
    progress: list[tuple[int, int | None]] = []
    rows = list(
        pager.every_order(limit=8, progress=lambda read, total: progress.append((read, total)))
    )
    times = sorted(A_TIMES + B_TIMES + C_TIMES, reverse=True)
    assert [r.order.created for r in rows] == [at(s) for s in times]
    assert progress[-1] == (len(times), len(times))
    assert all(total is None for _read, total in progress[:2])  # until every provider spoke


WIDGET_LIBRARIES = ("ipywidgets", "anywidget", "ipyleaflet", "traitlets", "IPython")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _file_of(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    return Path(spec.origin) if spec is not None and spec.origin else None


def test_the_pager_and_what_it_imports_use_no_widget_library() -> None:
    """The pager, and every module of the package it imports (followed to the end), import no
    widget library: it runs, and is tested, without one (the package's ``__init__`` files,
    which it does not need, are not followed)."""
    seen: set[str] = set()
    todo = ["stat_widgets.widgets.order_browser.pager"]
    used: dict[str, set[str]] = {}
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _file_of(module)
        assert path is not None, module
        imported = _imports(path)
        used[module] = {n for n in imported if n.split(".")[0] in WIDGET_LIBRARIES}
        todo += [n for n in imported if n.startswith("stat_widgets.")]
    assert "stat_widgets.widgets._clients" in seen and "stat_widgets.client" in seen
    assert {m: u for m, u in used.items() if u} == {}
