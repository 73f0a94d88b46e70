"""``OrderPager``: pages of orders from one or more providers, newest first. Plain Python (no
widgets): the browser drives it, and tests use it on its own.

Each provider's listing is read through ``StatClient.pages()`` (the client's one loop over
``next`` links), lazily, and the providers' listings are merged on ``created`` (a k-way merge:
each step takes the newest of the providers' next orders). A page of the view reads only as
far into each listing as it needs; one listing page per provider is held. Where each view page
starts is kept as a cursor per provider (the request of the listing page and how many of its
orders earlier view pages took), so Previous and Refresh ask for exactly the pages they show.

The filters go to every provider with its requests; the client applies them on the server
where the server filters (``filters_orders``), else to each page as it arrives. A provider
that fails is set aside with its error until ``retry()``; the others stay on the page. A move
for which every provider fails changes nothing, so the page on screen stays (and ``retry()``
repeats the move). Listings are assumed newest first, as the STAT draft and STAPI servers
send them; a provider listing in another order is merged as it comes.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from stat_widgets.errors import StatError
from stat_widgets.models import Link, Order, OrdersPage
from stat_widgets.widgets._clients import Provider

#: Listing pages a provider may return without one matching order before a view page stops
#: there (a filter the server cannot apply, or a hostile server's endless empty pages); Next
#: reads on from where it stopped.
MAX_EMPTY_PAGES = 10
#: Orders per request when every matching order is read (exports).
EXPORT_PAGE_SIZE = 200


def describe_error(exc: BaseException) -> str:
    """A line a user can act on; the client's messages already name the URL and the cause."""
    status = getattr(exc, "status_code", None)
    if status in (401, 403):
        return f"Not authorised ({status}): check the token. {exc}"
    return str(exc) or type(exc).__name__


def newest_first(order: Order) -> float:
    """The merge key: smaller is newer (a server's naive times are read as UTC)."""
    created = order.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return -created.timestamp()


@dataclass(frozen=True)
class Filters:
    status: str = ""
    product_id: str = ""

    def query(self) -> dict[str, str | None]:
        return {"status": self.status or None, "product_id": self.product_id or None}


@dataclass(frozen=True)
class Cursor:
    """Where one provider's part of a view page starts: the request of a listing page (None:
    the first request) and how many of its orders earlier view pages took."""

    link: Link | None = None
    skip: int = 0


@dataclass(frozen=True)
class Row:
    provider: str
    order: Order


@dataclass
class View:
    """One page of the merged listing, as shown."""

    rows: list[Row]
    offset: int  # orders on the view pages before this one
    has_next: bool
    has_previous: bool
    total: int | None  # every provider's numberMatched, when all are known
    problems: dict[str, str] = field(default_factory=dict)  # provider name → error
    notes: dict[str, str] = field(default_factory=dict)  # provider name → remark

    @property
    def orders(self) -> list[Order]:
        return [row.order for row in self.rows]

    def index_of(self, provider: str | None, order_id: str | None) -> int:
        """The row showing ``order_id`` of ``provider``; -1 when none does."""
        rows = enumerate(self.rows)
        return next((i for i, r in rows if (r.provider, r.order.id) == (provider, order_id)), -1)

    def provider_of(self, order_id: str) -> str | None:
        """The provider of the first row showing ``order_id``; None when none does."""
        return next((r.provider for r in self.rows if r.order.id == order_id), None)


class _Paused(Exception):
    """A listing gave ``MAX_EMPTY_PAGES`` empty pages in a row: the view page ends here."""


def _key(link: Link | None) -> str:
    if link is None:
        return "first"
    return json.dumps([link.method.upper(), link.href, link.body], sort_keys=True, default=str)


class _Feed:
    """One provider's listing from a cursor on: its next order, read page by page."""

    def __init__(
        self, provider: Provider, limit: int, filters: Filters, cursor: Cursor, cached: Any
    ) -> None:
        self.provider = provider
        self._limit, self._filters = limit, filters
        self._link, self._index = cursor.link, cursor.skip
        # the page this cursor names, when the last view page already read it
        same = cached is not None and cached[0] == _key(cursor.link)
        self._page: OrdersPage | None = cached[1] if same else None
        self._pages: Iterator[OrdersPage] | None = None
        self.total: int | None = self._page.number_matched if self._page else None
        self.empty_pages = 0

    def head(self) -> Order | None:
        """The next order, reading the next listing page when this one is used up; None at
        the end. Raises ``StatError`` (the provider failed) or ``_Paused``."""
        while self._page is None or self._index >= len(self._page.orders):
            if self._page is not None:
                if self._page.next is None:
                    return None
                if self.empty_pages >= MAX_EMPTY_PAGES:
                    raise _Paused
                self._link, self._index = self._page.next, 0
            self._page = self._read()
            self.empty_pages = 0 if self._page.orders else self.empty_pages + 1
        return self._page.orders[self._index]

    def _read(self) -> OrdersPage:
        if self._pages is None:  # the one loop over next links, from where this feed is
            self._pages = self.provider.client.pages(
                limit=self._limit, start=self._link, **self._filters.query()
            )
        page = next(self._pages)
        self.total = page.number_matched
        return page

    def pop(self) -> Order:
        order = self.head()
        assert order is not None
        self._index += 1
        return order

    def cursor(self) -> Cursor:
        page = self._page
        if page is not None and self._index >= len(page.orders) and page.next is not None:
            return Cursor(page.next, 0)
        return Cursor(self._link, self._index)

    def has_more(self) -> bool:
        page = self._page
        return page is None or self._index < len(page.orders) or page.next is not None

    def held(self) -> tuple[str, OrdersPage] | None:
        return (_key(self._link), self._page) if self._page is not None else None


class _Merge:
    """One view page being built: each provider's feed, and a heap of their next orders."""

    def __init__(self, feeds: list[_Feed], page_size: int, problems: dict[str, str]) -> None:
        self.feeds = feeds
        self.page_size = page_size
        self.problems = problems  # provider name → error (those set aside, then new ones)
        self.notes: dict[str, str] = {}
        self.failed: set[int] = set()
        self.paused = False
        self._heap: list[tuple[float, int]] = []

    def rows(self) -> list[Row]:
        """Up to a page of the newest orders; a full page reads nothing further."""
        going = all([self._push(i) for i in range(len(self.feeds))])
        rows: list[Row] = []
        while going and self._heap and len(rows) < self.page_size:
            _newest, i = heapq.heappop(self._heap)
            rows.append(Row(self.feeds[i].provider.name, self.feeds[i].pop()))
            if len(rows) < self.page_size:
                going = self._push(i)
        self.paused = not going
        return rows

    def _push(self, i: int) -> bool:
        """The feed's next order onto the heap; False when the page must end here."""
        feed = self.feeds[i]
        try:
            head = feed.head()
        except _Paused:
            self.notes[feed.provider.name] = (
                f"{MAX_EMPTY_PAGES} pages in a row without a matching order; Next reads on"
            )
            return False
        except StatError as exc:
            self.problems[feed.provider.name] = describe_error(exc)
            self.failed.add(i)
            return True
        if head is not None:
            heapq.heappush(self._heap, (newest_first(head), i))
        return True

    @property
    def live(self) -> list[_Feed]:
        return [f for i, f in enumerate(self.feeds) if i not in self.failed]

    def total(self) -> int | None:
        totals = [f.total for f in self.live]
        return None if self.problems or None in totals else sum(t or 0 for t in totals)


class OrderPager:
    """The merged listing of ``providers``, one view page at a time. ``first()``, ``next()``,
    ``previous()``, ``refresh()`` and ``retry()`` return whether the page changed; the page
    is ``view``, and ``problems`` what went wrong on the last try. Not thread-safe: the
    caller serialises (the browser holds a lock)."""

    def __init__(
        self, providers: Sequence[Provider], *, page_size: int = 20, filters: Filters | None = None
    ) -> None:
        if not providers:
            raise ValueError("an order pager needs at least one provider")
        self.providers = list(providers)
        self.page_size = page_size
        self.filters = filters or Filters()
        self.view: View | None = None
        self.problems: dict[str, str] = {}  # provider name → error, from the last try
        self.set_aside: dict[str, str] = {}  # failed while others answered; until retry()
        self._history: list[tuple[dict[str, Cursor], int]] = []  # each view page's starts
        self._index = 0  # of the view page on screen in _history
        self._ends: dict[str, Cursor] = {}
        self._held: dict[str, Any] = {}
        self._pending: Callable[[], bool] | None = None  # the move that failed, for retry()

    # -- moves ----------------------------------------------------------------------------------
    def first(self) -> bool:
        self._held = {}
        return self._go({p.name: Cursor() for p in self.providers}, 0, 0)

    def next(self) -> bool:
        if self.view is None or not self.view.has_next:
            return False
        offset = self.view.offset + len(self.view.rows)
        return self._go(dict(self._ends), self._index + 1, offset)

    def previous(self) -> bool:
        if self.view is None or self._index <= 0:
            return False
        starts, offset = self._history[self._index - 1]
        return self._go(starts, self._index - 1, offset)

    def refresh(self) -> bool:
        """The page on screen again, every listing page read afresh."""
        self._held = {}
        return self._again()

    def retry(self, provider: str | None = None) -> bool:
        """Try again what failed: the move that changed nothing, else the page on screen with
        the providers set aside (``provider``: only that one) back in."""
        if provider is None:
            self.set_aside.clear()
        else:
            self.set_aside.pop(provider, None)
        pending, self._pending = self._pending, None
        return pending() if pending is not None else self._again()

    def _again(self) -> bool:
        if self.view is None:
            return self.first()
        starts, offset = self._history[self._index]
        return self._go(starts, self._index, offset)

    # -- one view page --------------------------------------------------------------------------
    def _go(self, starts: dict[str, Cursor], index: int, offset: int) -> bool:
        feeds = [
            _Feed(p, self.page_size, self.filters, starts[p.name], self._held.get(p.name))
            for p in self.providers
            if p.name not in self.set_aside
        ]
        merge = _Merge(feeds, self.page_size, dict(self.set_aside))
        rows = merge.rows()
        self.problems = merge.problems
        if not merge.live and merge.problems:
            # nobody answered: the page on screen stays, and retry() repeats this move
            self._pending = lambda: self._go(starts, index, offset)
            return False
        self._pending = None
        self.set_aside.update(merge.problems)
        self._history[index:] = [(starts, offset)]
        self._index = index
        self._ends = {**starts, **{f.provider.name: f.cursor() for f in feeds}}
        self._held = {f.provider.name: f.held() for f in merge.live if f.held() is not None}
        self.view = View(
            rows=rows,
            offset=offset,
            has_next=merge.paused or any(f.has_more() for f in merge.live),
            has_previous=index > 0,
            total=merge.total(),
            problems=merge.problems,
            notes=merge.notes,
        )
        return True

    def product_ids(self) -> set[str]:
        """The products of every provider's catalogue (a provider that fails is skipped)."""
        ids: set[str] = set()
        for provider in self.providers:
            try:
                ids.update(p.id for p in provider.client.products())
            except StatError:
                continue
        return ids

    # -- everything -----------------------------------------------------------------------------
    def every_order(
        self,
        filters: Filters | None = None,
        *,
        limit: int = EXPORT_PAGE_SIZE,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> Iterator[Row]:
        """Every matching order of every provider, newest first, one listing page per
        provider in memory. ``progress(read, total)`` after each listing page; a provider
        that fails ends the iteration with its error (an export must not miss one quietly)."""
        filters = filters or self.filters
        totals: dict[str, int | None] = {}
        read = 0

        def listing(provider: Provider) -> Iterator[Row]:
            nonlocal read
            for page in provider.client.pages(limit=limit, **filters.query()):
                read += len(page.orders)
                totals[provider.name] = page.number_matched
                if progress is not None:
                    known = list(totals.values())
                    done = len(known) == len(self.providers) and None not in known
                    progress(read, sum(known) if done else None)  # type: ignore[arg-type]
                yield from (Row(provider.name, order) for order in page.orders)

        yield from heapq.merge(
            *(listing(p) for p in self.providers), key=lambda row: newest_first(row.order)
        )


__all__ = [
    "EXPORT_PAGE_SIZE",
    "MAX_EMPTY_PAGES",
    "Cursor",
    "Filters",
    "OrderPager",
    "Row",
    "View",
    "describe_error",
    "newest_first",
]
