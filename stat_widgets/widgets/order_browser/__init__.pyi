"""The public names of ``stat_widgets.widgets.order_browser``: this file is their one list
(``__init__.py`` hands it to ``lazy_loader.attach_stub``, which imports each name's module on
first use)."""

from .browser import OrderBrowser as OrderBrowser
from .details import OrderDetails as OrderDetails
from .export import export_orders as export_orders
from .export_panel import ExportPanel as ExportPanel
from .footprint_map import FootprintMap as FootprintMap
from .pager import Cursor as Cursor
from .pager import Filters as Filters
from .pager import OrderPager as OrderPager
from .pager import Row as Row
from .pager import View as View
from .table import OrderTable as OrderTable
