"""The STAT Order API as pydantic models: the single source of truth for what is valid.

Names load on first use (their list is ``__init__.pyi``): a widget that needs one model does
not pay for pydantic building all of them, and ``import stat_widgets.models.places`` stays light.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
