"""The reference STAT order server (FastAPI + SQLite) used by the demo notebook, Binder and tests.

Names are loaded on first use, so that ``stat_widgets.server.conformance`` (plain constants a
client may want) and ``stat_widgets.server.clock`` can be imported without pulling in FastAPI.
The public names are listed once, in ``__init__.pyi`` (as for the top-level package).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
