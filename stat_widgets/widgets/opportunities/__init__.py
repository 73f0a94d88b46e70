"""Opportunities in the notebook: find the windows for the form's request, compare them in a
table, on the AOI map and on a timeline, and order one. One module per widget:
``section`` (the form's section and its search), ``table`` (which also draws the timeline),
``footprints``; the plain-Python parts in ``rows`` (columns and records), ``timeline`` (the
strip's geometry, as the table's front end draws it), ``trade_off`` (what each filter clause
and the interval cost) and ``search`` (a search in the foreground or on a thread, with
Cancel)."""

from stat_widgets.widgets.opportunities.footprints import OpportunityFootprints
from stat_widgets.widgets.opportunities.section import OpportunitySection
from stat_widgets.widgets.opportunities.table import OpportunityTable

__all__ = [
    "OpportunityFootprints",
    "OpportunitySection",
    "OpportunityTable",
]
