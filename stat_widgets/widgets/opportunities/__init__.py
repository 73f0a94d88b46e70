"""Opportunities in the notebook: find the windows for the form's request, compare them in a
table, on the AOI map and on a timeline, and order one. One module per widget:
``section`` (the form's section and its search), ``table`` (which also draws the timeline),
``footprints``; the plain-Python parts in ``rows`` (columns and records), ``timeline`` (the
strip's geometry, as the table's front end draws it), ``trade_off`` (what each filter clause
and the interval cost) and ``search`` (a search in the foreground or on a thread, with
Cancel).

Names load on first use (their list is ``__init__.pyi``): the form's module names this package,
and its modules (the opportunity models, cql2, the order browser's map) load with the first form.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
