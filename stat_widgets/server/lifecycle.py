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

An order of an opportunity (its product, window and footprint are one the server offered, see
``server/stapi``) follows its window instead: ``accepted`` after 60 s, ``scheduled`` after
2 min until the window closes, then ``completed`` (or ``failed``, by the same fate). One whose
window opens less than the lead time after it was placed is ``rejected`` at 60 s: it is too
late to task.
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
    at_window_end: bool = False  # reached when the order's window closes (not before after_ms)


class Kind(StrEnum):
    """Which table of paths an order follows."""

    PLAIN = "plain"  # ordered blind: the times above
    WINDOW = "window"  # an offered opportunity, in time to task it
    LATE = "late"  # an offered opportunity whose window opens too soon


#: The soonest an opportunity's window can open after its order and still be tasked.
LEAD_TIME_MS = 600_000


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

_TASKED = Step("scheduled", 120_000, None, "Acquisition scheduled in the ordered window")
_ACQUIRED = Step("completed", 120_000, None, "Acquired in the ordered window", True)
_MISSED = Step(
    "failed",
    120_000,
    "acquisition_failed",
    "Acquisition failed in the ordered window: the scene did not meet the requested constraints",
    True,
)
_TOO_LATE = Step(
    "rejected",
    60_000,
    "too_late",
    f"The window opens less than {LEAD_TIME_MS // 60_000} minutes after the order: too late "
    "to task; search again for a later window",
)

WINDOW_PATHS: dict[Fate, tuple[Step, ...]] = {
    Fate.OK: (_RECEIVED, _ACCEPTED, _TASKED, _ACQUIRED),
    Fate.REJECTED: (_RECEIVED, _REJECTED),
    Fate.FAILED: (_RECEIVED, _ACCEPTED, _TASKED, _MISSED),
}
LATE_PATH: tuple[Step, ...] = (_RECEIVED, _TOO_LATE)

Window = tuple[int, int]  # (start_ms, end_ms) of an ordered opportunity

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

STATUSES: frozenset[str] = frozenset(
    step.status for path in (*PATHS.values(), *WINDOW_PATHS.values(), LATE_PATH) for step in path
)


def fate_of(order_id: str) -> Fate:
    bucket = int.from_bytes(hashlib.sha256(order_id.encode()).digest()[:4], "big") % 100
    if bucket < 10:
        return Fate.REJECTED
    if bucket < 20:
        return Fate.FAILED
    return Fate.OK


def kind_of(created_ms: int, window: Window | None) -> Kind:
    if window is None:
        return Kind.PLAIN
    return Kind.LATE if window[0] < created_ms + LEAD_TIME_MS else Kind.WINDOW


def path_of(fate: Fate, kind: Kind) -> tuple[Step, ...]:
    if kind is Kind.PLAIN:
        return PATHS[fate]
    return LATE_PATH if kind is Kind.LATE else WINDOW_PATHS[fate]


def time_of(step: Step, created_ms: int, window: Window | None) -> int:
    """When an order reaches ``step``: ``after_ms`` after creation, and for a step at the
    window's end not before the window closes."""
    at = created_ms + step.after_ms
    return max(at, window[1]) if step.at_window_end and window is not None else at


def timeline(
    fate: Fate, created_ms: int, now_ms: int, window: Window | None = None
) -> list[tuple[int, Step]]:
    """The steps reached by ``now_ms`` with their times, oldest first (never empty)."""
    path = path_of(fate, kind_of(created_ms, window))
    reached = [(time_of(step, created_ms, window), step) for step in path]
    return [(at, step) for at, step in reached if at <= now_ms] or [reached[0]]


def history(fate: Fate, created_ms: int, now_ms: int, window: Window | None = None) -> list[Step]:
    """The steps reached by ``now_ms``, oldest first (never empty: ``received`` is immediate)."""
    return [step for _, step in timeline(fate, created_ms, now_ms, window)]


def current(fate: Fate, created_ms: int, now_ms: int, window: Window | None = None) -> Step:
    return timeline(fate, created_ms, now_ms, window)[-1][1]


_KIND_SQL = {
    Kind.PLAIN: "window_end_ms IS NULL",
    Kind.WINDOW: f"window_end_ms IS NOT NULL AND window_start_ms >= created_ms + {LEAD_TIME_MS}",
    Kind.LATE: f"window_end_ms IS NOT NULL AND window_start_ms < created_ms + {LEAD_TIME_MS}",
}


def _reached_sql(step: Step) -> str:
    """SQL for 'the order has reached ``step``' (one parameter: now_ms)."""
    if step.at_window_end:
        return f"MAX(window_end_ms, created_ms + {step.after_ms}) <= ?"
    return f"created_ms <= ? - {step.after_ms}"


def status_sql(status: str, now_ms: int) -> tuple[str, list[object]]:
    """A SQL condition on the columns ``fate``, ``created_ms`` and the window columns that is
    true exactly when :func:`current` gives ``status`` at ``now_ms``; derived from the path
    tables so the two cannot drift apart. A status no path reaches gives ``0``."""
    clauses: list[str] = []
    params: list[object] = []
    for kind in Kind:
        for fate in Fate:
            path = path_of(fate, kind)
            for index, step in enumerate(path):
                if step.status != status:
                    continue
                clause = f"({_KIND_SQL[kind]} AND fate = ? AND {_reached_sql(step)}"
                params += [fate.value, now_ms]
                if index + 1 < len(path):
                    clause += f" AND NOT ({_reached_sql(path[index + 1])})"
                    params.append(now_ms)
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
