"""The public names of ``stat_widgets.widgets``: this file is their one list (``__init__.py``
hands it to ``lazy_loader.attach_stub``, which imports each name's module on first use)."""

from .aoi_map import AOIMap as AOIMap
from .app import OrderApp as OrderApp
from .filter_builder import FilterBuilder as FilterBuilder
from .filter_builder import FilterRow as FilterRow
from .interval_picker import IntervalPicker as IntervalPicker
from .order_browser import OrderBrowser as OrderBrowser
from .order_form import OrderForm as OrderForm
from .order_parameters import OrderParametersForm as OrderParametersForm
from .product_picker import ProductPicker as ProductPicker
from .request_review import RequestReview as RequestReview
