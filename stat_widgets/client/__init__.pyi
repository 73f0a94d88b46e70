"""The public names of ``stat_widgets.client``: this file is their one list (``__init__.py``
hands it to ``lazy_loader.attach_stub``, which imports each name's module on first use)."""

from ._http import RetryPolicy as RetryPolicy
from .aio import AsyncStatClient as AsyncStatClient
from .dialects import STAPI as STAPI
from .dialects import STAT as STAT
from .sync import StatClient as StatClient
