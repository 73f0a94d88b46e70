"""The public API of ``stat_widgets.server``: this file is its one list.

Type checkers read these imports; at run time ``__init__.py`` hands this file to
``lazy_loader.attach_stub``, which builds ``__all__``, ``__dir__`` and a ``__getattr__`` that
imports each name on first use (so the conformance constants and the clock import without
FastAPI). Add a public name here and nowhere else.
"""

from .app import create_app as create_app
from .clock import Clock as Clock
from .clock import ManualClock as ManualClock
from .clock import SystemClock as SystemClock
from .conformance import STAT_CONFORMANCE as STAT_CONFORMANCE
from .conformance import STAT_CORE as STAT_CORE
from .embedded import EmbeddedServer as EmbeddedServer
from .embedded import run_in_thread as run_in_thread
from .embedded import start_server as start_server
