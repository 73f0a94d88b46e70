"""``OpportunitySection``: "when can this be imaged?" inside the order form.

A section of ``OrderForm`` (the contract in ``widgets/section.py``): ``field`` is
``"opportunity"`` and ``value`` the window chosen (an ``Opportunity``) or None, in which case
the form orders its request as it is. The form tells it the request after each rebuild
(``set_request``, built from the other sections); "Find opportunities" is enabled once that
request is valid with a closed interval, and searches with its AOI, interval and filter. The
windows are shown three ways, linked by one selection: a sortable table, footprints on the AOI
map (click one to choose it) and a timeline across the interval (drawn by the table's front end
from its rows; click a window on it to choose it). After a search one line says how many
match and which clause of the filter costs the most (``trade_off``). When the request changes,
the results are marked stale and the choice dropped: an order never keeps a window that no
longer fits. On a server without opportunity search one line says so: no table, no anywidget.

The search runs on a thread when ``background`` (the default in notebooks), with progress and
Cancel; tests call :meth:`search` in the foreground.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import ipyleaflet
import ipywidgets as widgets
import traitlets

from stat_widgets.errors import StatError, ValidationError
from stat_widgets.models import Opportunity, OpportunityRequest, OrderRequest, Product
from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorNote
from stat_widgets.widgets._lifecycle import close_tree, replace_children
from stat_widgets.widgets.opportunities import view
from stat_widgets.widgets.opportunities.footprints import OpportunityFootprints
from stat_widgets.widgets.opportunities.rows import ZONES, columns_for, zone
from stat_widgets.widgets.opportunities.view import (
    DONE,
    FAILED,
    NO_SEARCH,
    READY,
    SEARCHING,
    STALE,
    WAITING,
)

if TYPE_CHECKING:  # the search, its advice, ordering and the table load when first used
    from stat_widgets.client import StatClient
    from stat_widgets.widgets.opportunities.search import Search, SearchOutcome
    from stat_widgets.widgets.opportunities.table import OpportunityTable


def search_key(request: OrderRequest | None) -> Any:
    """What a search depends on: product, AOI, interval and filter, as sent."""
    return None if request is None else request.model_dump(mode="json")


class OpportunitySection(widgets.VBox):
    """Find the windows for the form's request, compare them, choose one to order."""

    field = "opportunity"
    title = "Opportunities (optional)"

    value = traitlets.Instance(
        Opportunity, allow_none=True, default_value=None, help="the window chosen, or None"
    )
    error = traitlets.Unicode("", help="always '': choosing no window is valid")
    state = traitlets.Unicode(WAITING, help="unavailable|waiting|ready|searching|done|stale|failed")
    time_zone = traitlets.Unicode("UTC", help="IANA name of the zone of the second start column")

    def __init__(
        self,
        client: StatClient,
        *,
        aoi_map: ipyleaflet.Map | None = None,
        time_zone: str = "UTC",
        background: bool = True,
        prefer: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._client = client
        self._background = background
        self._prefer = prefer
        self._product: Product | None = None
        self._request: OpportunityRequest | None = None
        self._request_problem = ""
        self._searched_key: Any = None
        self._generation = 0
        self._running: Search | None = None
        self._lock = threading.Lock()
        self._offers: dict[str, bool] = {}
        self._note = ""
        self._status = ""
        self.opportunities: list[Opportunity] = []
        self.outcome: SearchOutcome | None = None
        # what the form routes to this section's field, shown as one of the table's notes
        self.feedback = ErrorNote()
        # the buttons, the zone, the progress, the advice and the timeline live in the table's
        # own front end (``controls``, ``status``, ``notes``, ``timeline``): one model, not 12
        self._zones = list(dict.fromkeys([time_zone, *ZONES]))
        self._advice: list[str] = []
        self._error = ""
        self.time_zone = time_zone
        self._table: OpportunityTable | None = None  # an anywidget: made once it can search
        self._line: widgets.HTML | None = None
        self.footprints = OpportunityFootprints(aoi_map)
        kwargs.setdefault("_dom_classes", ("stat-opportunity-section",))
        super().__init__(self._shown(view.look(self)), **kwargs)
        self.footprints.observe(lambda c: self.select(c.new), "selected")
        self.feedback.observe(lambda _c: self._draw(), ["message", "own"])

    # -- the section contract ------------------------------------------------------------------
    @classmethod
    def in_form(cls, context: Any) -> OpportunitySection:
        """The section as ``OrderForm`` makes it; the form then hands it its map (``use_map``)."""
        return cls(context.client)

    def use_map(self, aoi_map: ipyleaflet.Map) -> None:
        """Draw the footprints on ``aoi_map`` (the form's AOI map)."""
        self.footprints.map = aoi_map

    @property
    def widget(self) -> OpportunitySection:
        return self

    @property
    def summary(self) -> str:
        """For the review: the window ordered, or that none is chosen."""
        chosen = self.value
        if chosen is None:
            return "none chosen: the order leaves the time to the provider"
        from stat_widgets.widgets.opportunities.ordering import chosen_line

        return chosen_line(chosen, self.time_zone)

    @property
    def missing(self) -> str:
        return ""  # optional: without a window the request is ordered as it is

    @property
    def applies(self) -> bool:
        """Always shown: either the search, or the line saying the server has none; its value
        is None unless a window was chosen."""
        return True

    def set_product(self, product: Product | None) -> None:
        self._product = product
        self._draw()

    def set_request(self, request: OrderRequest | None) -> None:
        """The form's request without any window; results of another request become stale
        and a chosen window is dropped."""
        self._request, self._request_problem = None, ""
        if request is not None:
            try:
                self._request = OpportunityRequest.from_input(request)
            except ValidationError as exc:
                self._request_problem = str(exc)
        if self.state in (DONE, FAILED, SEARCHING) and search_key(self._request) != (
            self._searched_key
        ):
            self._mark_stale()
        elif self.state == STALE and search_key(self._request) == self._searched_key:
            self.state = DONE  # back to what was searched: the results fit again
        self._draw()

    # -- public --------------------------------------------------------------------------------
    @property
    def searchable(self) -> bool:
        """Whether this server (and the chosen product) searches opportunities. Before a product
        is chosen only the dialect is asked (a STAT draft server never searches); each
        product's answer is kept, so redrawing asks the server nothing."""
        key = self._product.id if self._product is not None else ""
        if key not in self._offers:
            try:
                if self._client.dialect != "stapi":
                    return False
                self._offers[key] = True if not key else self._client.offers_opportunities(key)
            except StatError:
                return False  # asked again next time: the server may come back
        return self._offers[key]

    def find(self) -> None:
        """What "Find opportunities" does: search in the background (progress and Cancel) or,
        when the section was made with ``background=False``, right away."""
        if self._background:
            self.start_search()
        else:
            self.search()

    def search(self) -> SearchOutcome | None:
        """Search for the current request in the foreground and show the results."""
        run = self._new_search()
        if run is None:
            return None
        outcome = run.run()
        self._finished(run, outcome)
        return outcome

    def start_search(self) -> Search | None:
        """Search on a thread; the results are shown when it ends (unless cancelled)."""
        run = self._new_search()
        if run is not None:
            run.start(self._finished)
        return run

    def cancel(self) -> None:
        """Stop waiting for the running search; the section is as it was before it."""
        with self._lock:
            run, self._running = self._running, None
            self._generation += 1
        if run is None:
            return
        run.cancel()
        self.state = STALE if self.opportunities else READY
        self._note = "Search cancelled."
        self._draw()

    def select(self, index: int) -> None:
        """Choose window ``index`` (into ``opportunities``; -1 for none), everywhere at once."""
        if self.state != DONE or not 0 <= index < len(self.opportunities):
            index = -1
        chosen = self.opportunities[index] if index >= 0 else None
        self.table.selected = index
        self.footprints.selected = index
        if self.value is not chosen:
            self.value = chosen
        self.table.notes = view.notes(self)

    @property
    def running(self) -> Search | None:
        return self._running

    def press(self, name: str, value: Any = None) -> None:
        """What the front end sends when control ``name`` is used (``find``, ``cancel``,
        ``retry``, ``unchoose``, ``zone`` with a zone name)."""
        self.table.press(name, value)

    def control(self, name: str) -> dict[str, Any] | None:
        """The control ``name`` as the front end shows it (None while it is not shown)."""
        controls = self._table.controls if self._table is not None else []  # the line: none
        return next((c for c in controls if c["name"] == name), None)

    def _on_control(self, name: str, value: Any) -> None:
        if name in ("find", "retry"):
            self.find()
        elif name == "cancel":
            self.cancel()
        elif name == "unchoose":
            self.select(-1)
        elif name == "zone" and value in self._zones:
            self._on_zone_picked(value)

    def _closes_with(self) -> list[widgets.Widget]:
        """The footprint layers, on the map only while there are results (closed with it)."""
        if self._running is not None:
            self.cancel()  # the form is closing: nothing may draw into it any more
        return list(self.footprints.layers)

    def close(self) -> None:
        """Stop a running search, take the footprints off the map, close every widget."""
        self.cancel()
        if self.comm is not None:
            self.footprints.clear()
        close_tree(self)

    # -- internals -----------------------------------------------------------------------------
    @property
    def table(self) -> OpportunityTable:
        """The windows, their controls, status and notes (made on first use: see ``_shown``)."""
        if self._table is None:
            replace_children(self, self._shown(view.look(self), table=True))  # closes the line
        return self._table  # type: ignore[return-value]  # made just above

    def _shown(self, look: dict[str, Any], *, table: bool = False) -> list[widgets.Widget]:
        """The one child for ``look``: the line while that is all there is, else the table."""
        if self._table is None and not table and not look["controls"] and not look["notes"]:
            line = _html.muted(look["status"])
            self._line = self._line or _shared.html(line)  # made with its text: no update
            self._line.value = line
            return [self._line]
        if self._table is None:
            from stat_widgets.widgets.opportunities.table import OpportunityTable

            self._table = OpportunityTable(
                empty_text="Search to see when this can be imaged.", layout=self.layout, **look
            )
            self._table.on_control(self._on_control)
            self._table.observe(lambda c: self.select(c.new), "selected")
        return [self._table]

    def _new_search(self) -> Search | None:
        request = self._request
        if request is None or not self.searchable or self.state == SEARCHING:
            return None
        from stat_widgets.widgets.opportunities.search import Search

        with self._lock:
            self._generation += 1
            run = Search(
                self._client,
                request,
                self._generation,
                prefer=self._prefer,
                on_progress=self._on_progress,
            )
            self._running = run
        self.select(-1)
        self.state = SEARCHING
        self._error = ""
        self._status = "Searching…"
        self._draw()
        return run

    def _on_progress(self, code: str) -> None:
        run = self._running
        polls = run.polls if run is not None else 0
        self._status = f"Asynchronous search: {code or 'running'} (checked {polls}×)…"
        self.table.status = self._status

    def _finished(self, run: Search, outcome: SearchOutcome) -> None:
        with self._lock:
            if run.generation != self._generation or outcome.cancelled:
                return  # cancelled, or a newer search (or request) took over
            self._running = None
        self.show(outcome)

    def show(self, outcome: SearchOutcome) -> None:
        """Show what a search found (or why it failed): the table, the footprints, the
        timeline and the advice. A search started here ends in this; a search made with the
        client in Python can be shown with ``SearchOutcome(request, matched=found)``."""
        self.outcome = outcome
        self._searched_key = search_key(outcome.request)
        with self.table.hold_sync():  # rows, timeline, advice and buttons: one message
            if outcome.error is not None:
                self.state = FAILED
                self._error = f"The search failed: {outcome.error}"
                self._draw()
                return
            self.opportunities = list(outcome.matched)
            self.state = DONE if search_key(self._request) == self._searched_key else STALE
            from stat_widgets.widgets.opportunities.trade_off import trade_off  # cql2

            self._advice = trade_off(
                outcome.matched,
                outcome.request.datetime,
                outcome.request.filter,
                outcome.unfiltered,
            ).lines()
            columns = columns_for(self.opportunities, self._product, self.time_zone)
            self.table.set_opportunities(self.opportunities, columns, selected=-1)
            self._draw()
        self.footprints.show(self.opportunities)

    def _mark_stale(self) -> None:
        with self._lock:
            run, self._running = self._running, None
            self._generation += 1
        if run is not None:
            run.cancel()
        self.select(-1)
        self.state = STALE if self.outcome is not None and self.outcome.error is None else READY
        if run is not None:
            self._note = "The request changed; the search was stopped."

    def _on_zone_picked(self, name: str) -> None:
        zone(name)  # a ValueError for a zone that does not exist
        self.time_zone = name
        if self.opportunities:  # a column more or less: the rows move with it
            columns = columns_for(self.opportunities, self._product, name)
            self.table.set_opportunities(self.opportunities, columns, selected=self.table.selected)
        self._draw()

    def _draw(self) -> None:
        """Controls, lines and visibility for the current state, in one message."""
        look = view.look(self)
        children = self._shown(look)  # the line's text, if the line is all there is
        if self._table is not None:
            with self._table.hold_sync():
                for name, value in look.items():
                    setattr(self._table, name, value)
        if list(self.children) != children:
            replace_children(self, children)  # the table in place of the line, which closes

    @property
    def chosen_text(self) -> str:
        """The line that says which window will be ordered ("" when none is chosen)."""
        notes = self._table.notes if self._table is not None else []  # read, never made here
        return next((n["text"] for n in notes if n.get("kind") == "chosen"), "")

    @property
    def status_text(self) -> str:
        return self._table.status if self._table is not None else view.status_line(self)

    @property
    def notes_text(self) -> str:
        """Every note line, one per line (advice, staleness, errors)."""
        return "\n".join(n["text"] for n in (self._table.notes if self._table is not None else []))


__all__ = ["NO_SEARCH", "OpportunitySection", "search_key"]
