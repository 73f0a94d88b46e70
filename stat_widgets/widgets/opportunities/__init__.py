"""Opportunities in the notebook: find the windows for the form's request, compare them in a
table, on the AOI map and on a timeline, and order one. One module per widget:
``section`` (the form's section and its search), ``table``, ``timeline``, ``footprints``; the
plain-Python parts in ``rows`` (columns and records), ``trade_off`` (what each filter clause
costs) and ``search`` (a search in the foreground or on a thread, with Cancel)."""

from stat_widgets.widgets.opportunities.footprints import OpportunityFootprints
from stat_widgets.widgets.opportunities.section import OpportunitySection
from stat_widgets.widgets.opportunities.table import OpportunityTable
from stat_widgets.widgets.opportunities.timeline import OpportunityTimeline

__all__ = [
    "OpportunityFootprints",
    "OpportunitySection",
    "OpportunityTable",
    "OpportunityTimeline",
]
