"""Asynchronous opportunity searches, kept in the order store's database.

A search is computed when it is posted (so a bad request fails at once, and the result is
fixed by the request and the clock); its status then moves with the clock like an order's:
``received``, ``in_progress`` after 250 ms, ``completed`` (or ``failed``) after a second, when
its results become readable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..store import OrderStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    product_id TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    request TEXT NOT NULL,
    failure TEXT,
    results TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS searches_owner_seq ON searches (owner, seq);
"""
_COLUMNS = "seq, id, owner, product_id, created_ms, request, failure, results"


@dataclass(frozen=True)
class SearchStep:
    status: str
    after_ms: int
    reason_code: str | None
    reason_text: str


RECEIVED = SearchStep("received", 0, None, "Search received")
IN_PROGRESS = SearchStep("in_progress", 250, None, "Propagating the constellation's orbits")
COMPLETED = SearchStep("completed", 1000, None, "Search completed")


def failed(reason: str) -> SearchStep:
    return SearchStep("failed", 1000, "too_many_results", reason)


@dataclass(frozen=True)
class SearchRecord:
    seq: int
    id: str
    owner: str
    product_id: str
    created_ms: int
    request: dict[str, Any]  # the OpportunityPayload as received
    failure: str | None
    results_json: str  # a JSON list of opportunity features

    def steps(self, now_ms: int) -> list[tuple[int, SearchStep]]:
        """The statuses reached by ``now_ms``, oldest first, with their times."""
        last = failed(self.failure) if self.failure else COMPLETED
        path = [(self.created_ms + s.after_ms, s) for s in (RECEIVED, IN_PROGRESS, last)]
        return [(at, step) for at, step in path if at <= now_ms] or path[:1]

    def done(self, now_ms: int) -> bool:
        return self.steps(now_ms)[-1][1].status in ("completed", "failed")

    @property
    def results(self) -> list[dict[str, Any]]:
        return json.loads(self.results_json)


class SearchStore:
    """Search records beside the orders: the same database, connections and writer lock."""

    def __init__(self, store: OrderStore) -> None:
        self._store = store
        self._store.connection().executescript(_SCHEMA)

    def insert(self, record: SearchRecord) -> None:
        with self._store.writing() as conn:
            conn.execute(
                "INSERT INTO searches (id, owner, product_id, created_ms, request, failure,"
                " results) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.owner,
                    record.product_id,
                    record.created_ms,
                    json.dumps(record.request, separators=(",", ":")),
                    record.failure,
                    record.results_json,
                ),
            ).fetchall()

    def get(self, search_id: str, owner: str) -> SearchRecord | None:
        row = (
            self._store.connection()
            .execute(
                f"SELECT {_COLUMNS} FROM searches WHERE id = ? AND owner = ?", (search_id, owner)
            )
            .fetchone()
        )
        return _record(row) if row else None

    def page(self, owner: str, *, limit: int, after: int | None) -> tuple[list[SearchRecord], bool]:
        """Oldest first from ``after`` (a seq); the flag says whether more follow."""
        rows = (
            self._store.connection()
            .execute(
                f"SELECT {_COLUMNS} FROM searches WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?",
                (owner, after or 0, limit + 1),
            )
            .fetchall()
        )
        records = [_record(r) for r in rows]
        return records[:limit], len(records) > limit


def _record(row: Any) -> SearchRecord:
    seq, id_, owner, product_id, created_ms, request, failure, results = row
    return SearchRecord(
        int(seq),
        str(id_),
        str(owner),
        str(product_id),
        int(created_ms),
        json.loads(request),
        failure,
        str(results),
    )
