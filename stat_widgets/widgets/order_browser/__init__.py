"""The order browser and its parts: ``OrderBrowser`` wires an ``OrderPager`` (plain Python:
reading and merging the providers' listings), an ``OrderTable`` (the rows and controls, one
front-end widget), a ``FootprintMap``, ``OrderDetails`` and an ``ExportPanel``.

Imports go one way: ``browser`` imports the parts; no part imports ``browser``.
"""

from stat_widgets.widgets.order_browser.browser import OrderBrowser
from stat_widgets.widgets.order_browser.details import OrderDetails
from stat_widgets.widgets.order_browser.export import export_orders
from stat_widgets.widgets.order_browser.export_panel import ExportPanel
from stat_widgets.widgets.order_browser.footprint_map import FootprintMap
from stat_widgets.widgets.order_browser.pager import Cursor, Filters, OrderPager, Row, View
from stat_widgets.widgets.order_browser.table import OrderTable

__all__ = [
    "Cursor",
    "ExportPanel",
    "Filters",
    "FootprintMap",
    "OrderBrowser",
    "OrderDetails",
    "OrderPager",
    "OrderTable",
    "Row",
    "View",
    "export_orders",
]
