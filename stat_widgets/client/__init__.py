"""HTTP clients for STAT draft and STAPI v0.1.0 servers (sync and async, over httpx)."""

from stat_widgets.client._http import RetryPolicy
from stat_widgets.client.aio import AsyncStatClient
from stat_widgets.client.dialects import STAPI, STAT
from stat_widgets.client.sync import StatClient

__all__ = ["STAPI", "STAT", "AsyncStatClient", "RetryPolicy", "StatClient"]
