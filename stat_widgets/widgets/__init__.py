"""ipywidgets / ipyleaflet views: compose, review and submit orders from a notebook, then
browse them."""

from stat_widgets.widgets.aoi_map import AOIMap
from stat_widgets.widgets.app import OrderApp
from stat_widgets.widgets.filter_builder import FilterBuilder, FilterRow
from stat_widgets.widgets.interval_picker import IntervalPicker
from stat_widgets.widgets.order_browser import OrderBrowser
from stat_widgets.widgets.order_form import OrderForm
from stat_widgets.widgets.order_parameters import OrderParametersForm
from stat_widgets.widgets.product_picker import ProductPicker
from stat_widgets.widgets.request_review import RequestReview

__all__ = [
    "AOIMap",
    "FilterBuilder",
    "FilterRow",
    "IntervalPicker",
    "OrderApp",
    "OrderBrowser",
    "OrderForm",
    "OrderParametersForm",
    "ProductPicker",
    "RequestReview",
]
