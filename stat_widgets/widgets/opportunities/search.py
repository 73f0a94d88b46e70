"""One opportunity search as the section runs it: in the foreground, or on a thread with
progress and Cancel.

A search asks twice when the request has a filter: once as requested (the windows shown and
ordered from) and once for the same interval without the filter, so that the section can say
what each clause costs (``trade_off``); a failure of the second only loses that advice. An
asynchronous search reports each status it polls (``on_status``), and that is where a
cancelled search stops: the next poll raises ``SearchCancelled``. A synchronous search is one
request that cannot be interrupted; a cancelled one's answer is simply dropped (the section
compares the search's ``generation`` with its own before showing anything).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stat_widgets.client import StatClient
from stat_widgets.errors import StatError
from stat_widgets.models import Opportunity, OpportunityRequest


class SearchCancelled(Exception):
    """Raised inside a search whose Cancel was pressed (never leaves this module's runner)."""


@dataclass
class SearchOutcome:
    """What one search found, or why it did not."""

    request: OpportunityRequest
    matched: list[Opportunity] = field(default_factory=list)
    #: The same interval without the filter; None when there was no filter or it failed.
    unfiltered: list[Opportunity] | None = None
    error: StatError | None = None
    cancelled: bool = False
    seconds: float = 0.0


@dataclass
class Search:
    """One run of a search (``generation`` tells the section whether it is still wanted)."""

    client: StatClient
    request: OpportunityRequest
    generation: int
    prefer: str | None = None
    limit: int | None = None
    on_progress: Callable[[str], None] | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    polls: int = 0
    thread: threading.Thread | None = None

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def _status(self, code: str) -> None:
        if self.cancelled:
            raise SearchCancelled
        self.polls += 1
        if self.on_progress is not None:
            self.on_progress(code)

    def _search(self, request: Any) -> list[Opportunity]:
        return self.client.opportunities(
            request, prefer=self.prefer, limit=self.limit, on_status=self._status
        )

    def run(self) -> SearchOutcome:
        """Search (blocking); every failure ends in the outcome, never raised."""
        started = time.monotonic()
        outcome = SearchOutcome(self.request)
        try:
            outcome.matched = self._search(self.request)
            if self.request.filter is not None and not self.cancelled:
                outcome.unfiltered = self._unfiltered()
        except SearchCancelled:
            outcome.cancelled = True
        except StatError as exc:
            outcome.error = exc
        outcome.cancelled = outcome.cancelled or self.cancelled
        outcome.seconds = time.monotonic() - started
        return outcome

    def _unfiltered(self) -> list[Opportunity] | None:
        data = self.request.model_dump(mode="json")
        data.pop("filter", None)
        try:
            return self._search(data)
        except StatError:
            return None  # the advice is lost, the windows are not

    def start(self, done: Callable[[Search, SearchOutcome], None]) -> None:
        """Run on a daemon thread; ``done(search, outcome)`` is called on that thread."""
        self.thread = threading.Thread(
            target=lambda: done(self, self.run()), name="opportunity-search", daemon=True
        )
        self.thread.start()


__all__ = ["Search", "SearchCancelled", "SearchOutcome"]
