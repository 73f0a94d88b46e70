"""Which choice of the request costs the most windows: the trade-off made visible.

The STAPI advice is that loose values give the provider room to schedule and strict values
raise the chance of the preferred moment. After a search the section says how many windows
match, and, from the windows of the same interval without a filter, what each clause of the
filter keeps on its own ("view:off_nadir <= 10 leaves 2 of 9 windows"), strictest first. A
clause on something a window cannot know yet (the cloud cover of a scene not yet taken) is
said to be kept for the order, not counted as a loss. Clauses are applied with ``cql2``'s own
reduction (``Expr.reduce``), the same way ``models.filter_match`` drops windows.

The interval is the other choice: one line says which half of it holds the matching windows
("its first half (to 2031-06-04 12:00 UTC) holds 2 of the 9 windows, its second half 7"), so
a person sees what a shorter interval would cost, and when every window lies in one half, that
the interval can be halved for free. Only what was searched is counted: how many windows a
longer interval would add is not known without searching it, and is not guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import cql2

from stat_widgets.models import Opportunity, TimeInterval, filter_to_text


def clauses(value: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The top-level clauses of a CQL2 JSON filter (the arguments of its ``and``s)."""
    if not value:
        return []
    if isinstance(value, dict) and str(value.get("op", "")).lower() == "and":
        found: list[dict[str, Any]] = []
        for arg in value.get("args") or []:
            found += clauses(arg) if isinstance(arg, dict) else []
        return found
    return [value]


_SYMBOLS = ((" <= ", " ≤ "), (" >= ", " ≥ "), (" <> ", " ≠ "))


def clause_text(clause: dict[str, Any]) -> str:
    """A clause as a person reads it: CQL2 text with ≤, ≥ and ≠."""
    text = filter_to_text(clause)
    for plain, symbol in _SYMBOLS:
        text = text.replace(plain, symbol)
    return text


def verdict(clause: dict[str, Any], properties: dict[str, Any]) -> bool | None:
    """True or False when the window's properties decide the clause, None when they do not."""
    try:
        reduced = cql2.Expr(clause).reduce(dict(properties)).to_json()
    except Exception:  # cql2 raises bare exceptions on what it cannot reduce
        return None
    return reduced if isinstance(reduced, bool) else None


@dataclass(frozen=True)
class ClauseEffect:
    """What one clause does on its own to the windows of the interval."""

    text: str
    kept: int
    #: Windows whose properties could not decide the clause (kept for the order).
    undecided: int


@dataclass(frozen=True)
class TradeOff:
    """The numbers behind the section's one-line advice."""

    #: Windows in the interval with no filter (None when that was not searched).
    total: int | None
    matched: int
    interval: TimeInterval
    effects: tuple[ClauseEffect, ...] = ()
    #: The starts of the matching windows (where in the interval they lie).
    starts: tuple[datetime, ...] = ()

    @property
    def halves(self) -> tuple[datetime, int, int] | None:
        """The interval's midpoint and how many matching windows start before and after it
        (None for an open interval or no window)."""
        start, end = self.interval.start, self.interval.end
        if start is None or end is None or not self.starts:
            return None
        middle = start + (end - start) / 2
        early = sum(s < middle for s in self.starts)
        return middle, early, len(self.starts) - early

    def interval_line(self) -> str:
        """Which half of the interval holds the windows ("" when there is nothing to say)."""
        halves = self.halves
        if halves is None:
            return ""
        middle, early, late = halves
        at = middle.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        line = (
            f"Interval: its first half (to {at}) holds {early} of the {_windows(early + late)}, "
            f"its second half {late}"
        )
        if not early:
            return line + f"; starting it at {at} keeps them all."
        if not late:
            return line + f"; ending it at {at} keeps them all."
        return line + "."

    @property
    def strictest(self) -> ClauseEffect | None:
        """The clause that removes the most windows on its own (None when none removes any)."""
        if self.total is None:
            return None
        losing = [e for e in self.effects if e.kept < self.total]
        return min(losing, key=lambda e: e.kept) if losing else None

    def lines(self) -> list[str]:
        """The advice as plain sentences (escaped by whoever shows them)."""
        days = _days(self.interval)
        span = f"{days:g} day{'s' if days != 1 else ''}"
        if self.total is None:
            return [f"{_windows(self.matched)} match in {span}.", *self._interval_lines()]
        if self.total == 0:
            return [f"No window in {span} even without a filter: widen the interval or the area."]
        lines = [
            f"{self.matched} of {_windows(self.total)} in {span} match the filter"
            if self.effects
            else f"{_windows(self.matched)} in {span}."
        ]
        if self.effects:
            lines[0] += "."
        strictest = self.strictest
        if strictest is not None:
            lines.append(
                f"Strictest choice: {strictest.text} leaves {strictest.kept} of "
                f"{_windows(self.total)}; loosen it for more."
            )
        for effect in self.effects:
            if effect is strictest:
                continue
            if effect.undecided == self.total:
                lines.append(f"{effect.text}: not known before acquisition; kept for the order.")
            else:
                lines.append(f"{effect.text} leaves {effect.kept} of {self.total}.")
        if self.matched == 0 and strictest is None:
            lines.append("Widen the interval for more windows.")
        return lines + self._interval_lines()

    def _interval_lines(self) -> list[str]:
        line = self.interval_line()
        return [line] if line else []


def _windows(count: int) -> str:
    return f"{count} window{'s' if count != 1 else ''}"


def _days(interval: TimeInterval) -> float:
    if interval.start is None or interval.end is None:
        return 0.0
    return round((interval.end - interval.start).total_seconds() / 86400, 1)


def trade_off(
    matched: Sequence[Opportunity],
    interval: TimeInterval,
    search_filter: dict[str, Any] | None,
    unfiltered: Sequence[Opportunity] | None,
) -> TradeOff:
    """The trade-off of a search whose filtered result is ``matched`` and whose interval,
    searched without the filter, gave ``unfiltered`` (None when it was not searched)."""
    starts = tuple(o.start for o in matched)
    if unfiltered is None:
        return TradeOff(None, len(matched), interval, starts=starts)
    effects = []
    for clause in clauses(search_filter):
        verdicts = [verdict(clause, o.properties) for o in unfiltered]
        effects.append(
            ClauseEffect(
                text=clause_text(clause),
                kept=sum(v is not False for v in verdicts),
                undecided=sum(v is None for v in verdicts),
            )
        )
    return TradeOff(len(unfiltered), len(matched), interval, tuple(effects), starts)


__all__ = ["ClauseEffect", "TradeOff", "clause_text", "clauses", "trade_off", "verdict"]
