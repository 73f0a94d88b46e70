"""ipywidgets / ipyleaflet views: compose, review and submit orders from a notebook, then
browse them.

Names load on first use (their list is ``__init__.pyi``): ``from stat_widgets import OrderForm``
loads the form's modules, not the order browser's.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
