"""SQLite storage of orders.

One connection per thread (FastAPI runs sync endpoints in a thread pool), WAL so readers never
block the writer, ``synchronous=NORMAL`` (durable across process crashes, fast commits).
``seq`` is an AUTOINCREMENT integer: it only grows, so keyset pages on it are stable while other
clients insert. Idempotency is enforced by ``UNIQUE(owner, idempotency_key)``, which holds even
for concurrent identical requests (SQLite allows many NULL keys).

``offered`` remembers every opportunity the STAPI face has shown, by :func:`offer_key` (its
product, window and footprint). An order whose request has such a key, placed on either face,
is an order of that opportunity: it keeps the window (``window_start_ms``, ``window_end_ms``)
and the opportunity's properties, and its status follows the window (see ``lifecycle``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import lifecycle

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    product_id TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    fate TEXT NOT NULL,
    request TEXT NOT NULL,
    idempotency_key TEXT,
    UNIQUE (owner, idempotency_key)
);
CREATE INDEX IF NOT EXISTS orders_owner_seq ON orders (owner, seq);
CREATE INDEX IF NOT EXISTS orders_owner_product_seq ON orders (owner, product_id, seq);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS offered (
    key TEXT PRIMARY KEY,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    properties TEXT NOT NULL
);
"""
# Columns added after the first release: a database from then gets them on open.
_ADDED_COLUMNS = {
    "window_start_ms": "INTEGER",
    "window_end_ms": "INTEGER",
    "opportunity": "TEXT",
    "footprint": "TEXT",
}

_COLUMNS = (
    "seq, id, owner, product_id, created_ms, fate, request, window_start_ms, window_end_ms,"
    " opportunity, footprint"
)


def offer_key(wire: dict) -> str:
    """What makes an order an order of an offered opportunity: the same product, window and
    footprint (the wire form of a validated request; the filter may differ)."""
    identity = [wire.get("product_id"), wire.get("datetime"), wire.get("geometry")]
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Offer:
    key: str
    start_ms: int
    end_ms: int
    properties: str  # JSON


@dataclass(frozen=True)
class StoredOrder:
    seq: int
    id: str
    owner: str
    product_id: str
    created_ms: int
    fate: lifecycle.Fate
    request: str  # canonical JSON of the validated OrderRequest wire body
    window: lifecycle.Window | None = None  # an ordered opportunity's window
    opportunity: str | None = None  # JSON of its properties
    footprint: str | None = None  # JSON of the geometry a ``$ref`` resolved to

    @classmethod
    def from_row(cls, row: Sequence[object]) -> StoredOrder:
        seq, id_, owner, product_id, created_ms, fate, request, start, end, opportunity, area = row
        return cls(
            int(seq),  # type: ignore[arg-type]
            str(id_),
            str(owner),
            str(product_id),
            int(created_ms),  # type: ignore[arg-type]
            lifecycle.Fate(fate),
            str(request),
            None if start is None else (int(start), int(end)),  # type: ignore[arg-type]
            None if opportunity is None else str(opportunity),
            None if area is None else str(area),
        )


@dataclass(frozen=True)
class Page:
    orders: list[StoredOrder]  # newest first
    has_newer: bool
    has_older: bool
    total: int


class IdempotencyConflict(Exception):
    """The key was used before, by the same user, for a different request."""


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()
    product_ids: tuple[str, ...] = ()


def _create_private(path: str) -> None:
    """Create the database file readable by its owner only (0600) before SQLite opens it: it
    holds every user's orders. SQLite gives its ``-wal`` and ``-shm`` files the same mode. An
    existing file keeps the mode its owner chose."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # SQLite reports an unusable path in its own words
    os.close(fd)


class OrderStore:
    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # One writer at a time, queued here: SQLite's own busy handler waits by sleeping in
        # growing steps (1, 2, 5, 10 ms ...), which under 8 concurrent writers cost throughput.
        self._write_lock = threading.Lock()
        self._closed = False
        _create_private(self.db_path)
        conn = self._connection()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)
        present = {row[1] for row in conn.execute("PRAGMA table_info(orders)")}
        for name, kind in _ADDED_COLUMNS.items():
            if name not in present:
                conn.execute(f"ALTER TABLE orders ADD COLUMN {name} {kind}")
        conn.execute(
            "INSERT INTO meta (name, value) VALUES ('page_key', ?) ON CONFLICT DO NOTHING",
            (secrets.token_bytes(32),),
        )
        self.page_key: bytes = conn.execute(
            "SELECT value FROM meta WHERE name = 'page_key'"
        ).fetchone()[0]

    # -- connections ------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("the order store is closed")
            conn = sqlite3.connect(
                self.db_path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same snapshot (count and page agree)."""
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection (the last one checkpoints the WAL into the db)."""
        with self._lock:
            self._closed = True
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:  # pragma: no cover - closing is best effort
                pass

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, for tables kept beside the orders (search records)."""
        return self._connection()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection while holding the single-writer lock."""
        conn = self._connection()
        with self._write_lock:
            yield conn

    # -- writes -----------------------------------------------------------------------------
    def offer(self, offers: Sequence[Offer]) -> None:
        """Remember opportunities shown to a client (the same one again changes nothing)."""
        if not offers:
            return
        with self.writing() as conn:
            conn.execute("BEGIN")
            try:
                conn.executemany(
                    "INSERT INTO offered (key, start_ms, end_ms, properties) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    [(o.key, o.start_ms, o.end_ms, o.properties) for o in offers],
                )
            finally:
                conn.execute("COMMIT")

    def insert(
        self,
        *,
        order_id: str,
        owner: str,
        product_id: str,
        created_ms: int,
        request: str,
        idempotency_key: str | None = None,
        footprint: str | None = None,
    ) -> tuple[StoredOrder, bool]:
        """Store a new order; with a key already used for the same request, return that order
        instead. The flag says whether a row was created. ``footprint``: the JSON of the
        geometry a referenced (``$ref``) geometry resolved to."""
        fate = lifecycle.fate_of(order_id)
        conn = self._connection()
        offered = conn.execute(
            "SELECT start_ms, end_ms, properties FROM offered WHERE key = ?",
            (offer_key(json.loads(request)),),
        ).fetchone()
        window = None if offered is None else (int(offered[0]), int(offered[1]))
        opportunity = None if offered is None else str(offered[2])
        with self._write_lock:
            return self._insert(
                conn,
                StoredOrder(
                    0,
                    order_id,
                    owner,
                    product_id,
                    created_ms,
                    fate,
                    request,
                    window,
                    opportunity,
                    footprint,
                ),
                idempotency_key,
            )

    def _insert(
        self, conn: sqlite3.Connection, order: StoredOrder, idempotency_key: str | None
    ) -> tuple[StoredOrder, bool]:
        start, end = order.window or (None, None)
        rows = conn.execute(
            "INSERT INTO orders (id, owner, product_id, created_ms, fate, request,"
            " idempotency_key, window_start_ms, window_end_ms, opportunity, footprint)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (owner, idempotency_key) DO NOTHING RETURNING seq",
            (
                order.id,
                order.owner,
                order.product_id,
                order.created_ms,
                order.fate.value,
                order.request,
                idempotency_key,
                start,
                end,
                order.opportunity,
                order.footprint,
            ),
        ).fetchall()  # exhaust the cursor: the write commits only when the statement ends
        if rows:
            return dataclasses.replace(order, seq=rows[0][0]), True
        existing = conn.execute(
            f"SELECT {_COLUMNS} FROM orders WHERE owner = ? AND idempotency_key = ?",
            (order.owner, idempotency_key),
        ).fetchone()
        if existing is None:  # pragma: no cover - a row that conflicted cannot vanish
            raise RuntimeError("idempotency conflict without a stored order")
        stored = StoredOrder.from_row(existing)
        if stored.request != order.request:
            raise IdempotencyConflict(idempotency_key)
        return stored, False

    # -- reads ------------------------------------------------------------------------------
    def replays(self, owner: str, idempotency_key: str | None, request: str) -> bool:
        """Whether ``insert`` would answer with a stored order: the key was used before, by
        the same owner, for the same request."""
        if idempotency_key is None:
            return False
        row = (
            self._connection()
            .execute(
                "SELECT request FROM orders WHERE owner = ? AND idempotency_key = ?",
                (owner, idempotency_key),
            )
            .fetchone()
        )
        return row is not None and row[0] == request

    def get(self, order_id: str, owner: str) -> StoredOrder | None:
        row = (
            self._connection()
            .execute(f"SELECT {_COLUMNS} FROM orders WHERE id = ? AND owner = ?", (order_id, owner))
            .fetchone()
        )
        return StoredOrder.from_row(row) if row else None

    def page(
        self,
        owner: str,
        *,
        limit: int,
        now_ms: int,
        filters: Filters = Filters(),
        older_than: int | None = None,
        newer_than: int | None = None,
    ) -> Page:
        """One keyset page, newest first: the first page (no cursor), the page after
        ``older_than`` (following ``next``) or the page before ``newer_than`` (``prev``)."""
        where, params = self._where(owner, filters, now_ms)
        with self._read() as conn:
            if newer_than is None:
                sql = f"SELECT {_COLUMNS} FROM orders WHERE {where}"
                args = list(params)
                if older_than is not None:
                    sql += " AND seq < ?"
                    args.append(older_than)
                rows = conn.execute(sql + " ORDER BY seq DESC LIMIT ?", [*args, limit + 1])
                orders = [StoredOrder.from_row(r) for r in rows]
                has_older = len(orders) > limit
                orders = orders[:limit]
                if older_than is None:
                    has_newer = False
                else:
                    top = orders[0].seq if orders else older_than - 1
                    has_newer = self._exists(conn, where, params, "seq > ?", top)
            else:
                sql = f"SELECT {_COLUMNS} FROM orders WHERE {where} AND seq > ?"
                rows = conn.execute(
                    sql + " ORDER BY seq ASC LIMIT ?", [*params, newer_than, limit + 1]
                )
                orders = [StoredOrder.from_row(r) for r in rows]
                has_newer = len(orders) > limit
                orders = orders[:limit][::-1]
                bottom = orders[-1].seq if orders else newer_than + 1
                has_older = self._exists(conn, where, params, "seq < ?", bottom)
            total = conn.execute(f"SELECT COUNT(*) FROM orders WHERE {where}", params).fetchone()
        return Page(orders, has_newer, has_older, int(total[0]))

    @staticmethod
    def _where(owner: str, filters: Filters, now_ms: int) -> tuple[str, list[object]]:
        clauses = ["owner = ?"]
        params: list[object] = [owner]
        if filters.product_ids:
            clauses.append(f"product_id IN ({', '.join('?' * len(filters.product_ids))})")
            params += filters.product_ids
        if filters.statuses:
            parts = []
            for status in filters.statuses:
                sql, args = lifecycle.status_sql(status, now_ms)
                parts.append(sql)
                params += args
            clauses.append("(" + " OR ".join(parts) + ")")
        return " AND ".join(clauses), params

    @staticmethod
    def _exists(
        conn: sqlite3.Connection, where: str, params: list[object], extra: str, value: int
    ) -> bool:
        sql = f"SELECT 1 FROM orders WHERE {where} AND {extra} LIMIT 1"
        return conn.execute(sql, [*params, value]).fetchone() is not None
