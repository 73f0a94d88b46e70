"""HTTP clients for STAT draft and STAPI v0.1.0 servers (sync and async, over httpx).

Names load on first use (their list is ``__init__.pyi``): a form, which uses ``StatClient``,
does not load the async client.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
