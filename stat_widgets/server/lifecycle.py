"""How an order's status moves over time.

Nothing is stored about status: it is a pure function of the order id, ``created`` and the
clock, so it is the same after a restart and the same whether computed in Python (for one
order) or in SQL (for the ``status`` filter of ``GET /orders``; see :func:`status_sql`).

The rule (documented for users of the demo server):

* ``received`` at creation, then ``accepted`` after 60 s, ``scheduled`` after 11 min
  (60 s + 10 min) and ``completed`` after 2 h 11 min (+2 h);
* the *fate* of an order comes from ``sha256(id)``: the first four bytes as a big-endian
  integer, modulo 100; below 10 the order is ``rejected`` (instead of accepted, terminal),
  from 10 to 19 it ends ``failed`` (instead of completed); otherwise it completes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum


class Fate(StrEnum):
    OK = "ok"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass(frozen=True)
class Step:
    status: str
    after_ms: int
    reason_code: str | None
    reason_text: str


_RECEIVED = Step("received", 0, None, "Order received")
_ACCEPTED = Step("accepted", 60_000, None, "Order accepted for tasking")
_SCHEDULED = Step("scheduled", 660_000, None, "Acquisition scheduled")
_COMPLETED = Step("completed", 7_860_000, None, "Acquisition completed")
_REJECTED = Step(
    "rejected",
    60_000,
    "no_capacity",
    "No acquisition capacity in the requested interval; try a longer interval or looser filter",
)
_FAILED = Step(
    "failed",
    7_860_000,
    "acquisition_failed",
    "Acquisition failed: the scene did not meet the requested constraints",
)

PATHS: dict[Fate, tuple[Step, ...]] = {
    Fate.OK: (_RECEIVED, _ACCEPTED, _SCHEDULED, _COMPLETED),
    Fate.REJECTED: (_RECEIVED, _REJECTED),
    Fate.FAILED: (_RECEIVED, _ACCEPTED, _SCHEDULED, _FAILED),
}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

STATUSES: frozenset[str] = frozenset(step.status for path in PATHS.values() for step in path)


def fate_of(order_id: str) -> Fate:
    bucket = int.from_bytes(hashlib.sha256(order_id.encode()).digest()[:4], "big") % 100
    if bucket < 10:
        return Fate.REJECTED
    if bucket < 20:
        return Fate.FAILED
    return Fate.OK


def history(fate: Fate, created_ms: int, now_ms: int) -> list[Step]:
    """The steps reached by ``now_ms``, oldest first (never empty: ``received`` is immediate)."""
    age = now_ms - created_ms
    return [step for step in PATHS[fate] if step.after_ms <= age] or [PATHS[fate][0]]


def current(fate: Fate, created_ms: int, now_ms: int) -> Step:
    return history(fate, created_ms, now_ms)[-1]


def status_sql(status: str, now_ms: int) -> tuple[str, list[object]]:
    """A SQL condition on the columns ``fate`` and ``created_ms`` that is true exactly when
    :func:`current` gives ``status`` at ``now_ms``; derived from :data:`PATHS` so the two
    cannot drift apart. A status no path reaches gives ``0`` (matches nothing)."""
    clauses: list[str] = []
    params: list[object] = []
    for fate, path in PATHS.items():
        for index, step in enumerate(path):
            if step.status != status:
                continue
            clause = "(fate = ? AND created_ms <= ?"
            params += [fate.value, now_ms - step.after_ms]
            if index + 1 < len(path):
                clause += " AND created_ms > ?"
                params.append(now_ms - path[index + 1].after_ms)
            clauses.append(clause + ")")
    return ("(" + " OR ".join(clauses) + ")" if clauses else "0"), params


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, in integer arithmetic (floats would round 0.123 down)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def rfc3339(ms: int) -> str:
    """UTC with a ``Z`` and millisecond precision (the storage precision)."""
    moment = _EPOCH + timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
