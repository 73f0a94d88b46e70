"""``OpportunityTable``: the windows found, as the order browser's table shows orders.

The same anywidget front end (``order_browser/table.js``, through ``RecordTable``): one synced
list of plain records, sorting in the front end (numbers as numbers), selection by click or
arrow keys synced back as ``selected``, every string set with ``textContent``. The same front
end draws the timeline strip under the rows (``timeline``, see ``timeline.py``): one widget
model shows the controls, the advice, the rows and the strip.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stat_widgets.models import Opportunity
from stat_widgets.widgets.opportunities.rows import cell_text, opportunity_rows
from stat_widgets.widgets.opportunities.timeline import marks, window_at
from stat_widgets.widgets.order_browser.table import RecordTable


class OpportunityTable(RecordTable):
    """One row per window; ``selected`` is an index into the windows last given to
    :meth:`set_opportunities` (the listing order, whatever the sort shown)."""

    def __init__(self, **kwargs: Any) -> None:
        defaults = {
            "columns": [],
            "sort": ["t", False],
            "label": "Opportunities",
            "kind": "stat-opportunity-table",
            "empty_text": "No windows found.",
        }
        super().__init__(**{**defaults, **kwargs})
        self.opportunities: list[Opportunity] = []

    def set_opportunities(
        self,
        opportunities: Sequence[Opportunity],
        columns: Sequence[Sequence[Any]],
        *,
        selected: int = -1,
    ) -> None:
        """Show ``opportunities`` in ``columns`` (see ``rows.columns_for``), in one message to
        the front end (on the timeline too, once ``timeline`` is set: ``timeline_spec``)."""
        self.opportunities = list(opportunities)
        with self.hold_sync():
            self.columns = [list(c) for c in columns]
            records = opportunity_rows(self.opportunities, columns)
            self.rows = [[r.get(c[0]) for c in columns] for r in records]  # in column order
            self.selected = selected if 0 <= selected < len(self.opportunities) else -1

    @property
    def selected_opportunity(self) -> Opportunity | None:
        ok = 0 <= self.selected < len(self.opportunities)
        return self.opportunities[self.selected] if ok else None

    def shown(self, index: int) -> list[str]:
        """The texts of row ``index`` as the front end shows them."""
        return [cell_text(column, self.records[index]) for column in self.columns]

    def click_row(self, index: int) -> None:
        """What a click on row ``index`` (into the listing) does in the front end."""
        self.selected = index

    def timeline_marks(self) -> list[tuple[int, float, float]]:
        """``(index, x, width)`` of each window's mark on the strip (``WIDTH`` units wide)."""
        return marks(self.timeline, self.records)

    def click_timeline(self, x: float) -> None:
        """What a click at ``x`` (strip units, 0 to 1000) on the timeline does in the front
        end: select the nearest window, or nothing when none is within ``PICK``."""
        index = window_at(self.timeline, self.records, x)
        if index >= 0:
            self.selected = index


__all__ = ["OpportunityTable"]
