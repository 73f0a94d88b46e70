"""stat_widgets: order satellite tasking from Jupyter through the STAT Order API (and STAPI).

Names are loaded on first use (PEP 562), so ``import stat_widgets`` costs a notebook almost
nothing and never imports the reference server's FastAPI stack. The public names are listed
once, in ``__init__.pyi``: type checkers read that stub, and ``lazy_loader`` builds
``__all__``, ``__dir__`` and ``__getattr__`` from it (scientific Python's SPEC 1).
"""

import lazy_loader

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
