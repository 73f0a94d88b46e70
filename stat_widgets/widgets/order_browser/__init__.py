"""The order browser and its parts: ``OrderBrowser`` wires an ``OrderPager`` (plain Python:
reading and merging the providers' listings), an ``OrderTable`` (the rows and controls, one
front-end widget), a ``FootprintMap``, ``OrderDetails`` and an ``ExportPanel``.

Imports go one way: ``browser`` imports the parts; no part imports ``browser``.

Names load on first use (their list is ``__init__.pyi``): the opportunities section draws its
footprints with ``footprint_map.StyledLayer`` without loading the browser, its pager and table.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
