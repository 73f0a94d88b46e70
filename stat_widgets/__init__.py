"""stat_widgets: order satellite tasking from Jupyter through the STAT Order API (and STAPI).

Names are loaded on first use (PEP 562), so ``import stat_widgets`` costs a notebook almost
nothing and never imports the reference server's FastAPI stack. The public names are listed
once, in ``__init__.pyi``: type checkers read that stub, and ``lazy_loader`` builds
``__all__``, ``__dir__`` and ``__getattr__`` from it (scientific Python's SPEC 1).

httpx's ``__init__`` imports its command-line client (``httpx._main``: click, rich, pygments),
a fifth of a form's import time, which no library use needs (encode/httpx#3547, open). Unless
httpx is already imported, its ``_main`` is marked absent here, before any module of the
package imports httpx: httpx then defines its own ``httpx.main`` stand-in, which says the CLI
is not installed. The ``httpx`` command runs in its own process and is unaffected
(docs/decisions.md, "Package structure").
"""

import sys

import lazy_loader

if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
