"""stat_widgets: order satellite tasking from Jupyter through the STAT Order API (and STAPI).

Names are loaded on first use (PEP 562), so ``import stat_widgets`` costs a notebook almost
nothing and never imports the reference server's FastAPI stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # models
    "OrderRequest": "stat_widgets.models",
    "Order": "stat_widgets.models",
    "OrderStatus": "stat_widgets.models",
    "OrdersPage": "stat_widgets.models",
    "Product": "stat_widgets.models",
    "Link": "stat_widgets.models",
    "StatusRecord": "stat_widgets.models",
    "TimeInterval": "stat_widgets.models",
    "JSONReference": "stat_widgets.models",
    "to_geometry": "stat_widgets.models",
    "validate_geometry": "stat_widgets.models",
    "bbox_geometry": "stat_widgets.models",
    "geodesic_area_km2": "stat_widgets.models",
    "vertex_count": "stat_widgets.models",
    "wrap_antimeridian": "stat_widgets.models",
    "validate_filter": "stat_widgets.models",
    "filter_to_text": "stat_widgets.models",
    # client
    "StatClient": "stat_widgets.client",
    "AsyncStatClient": "stat_widgets.client",
    # widgets
    "AOIMap": "stat_widgets.widgets",
    "ProductPicker": "stat_widgets.widgets",
    "IntervalPicker": "stat_widgets.widgets",
    "FilterBuilder": "stat_widgets.widgets",
    "OrderForm": "stat_widgets.widgets",
    "OrderBrowser": "stat_widgets.widgets",
    "OrderApp": "stat_widgets.widgets",
    # errors
    "errors": "stat_widgets.errors",
}

__all__ = [
    "AOIMap",
    "AsyncStatClient",
    "FilterBuilder",
    "IntervalPicker",
    "JSONReference",
    "Link",
    "Order",
    "OrderApp",
    "OrderBrowser",
    "OrderForm",
    "OrderRequest",
    "OrderStatus",
    "OrdersPage",
    "Product",
    "ProductPicker",
    "StatClient",
    "StatusRecord",
    "TimeInterval",
    "bbox_geometry",
    "errors",
    "filter_to_text",
    "geodesic_area_km2",
    "to_geometry",
    "validate_filter",
    "validate_geometry",
    "vertex_count",
    "wrap_antimeridian",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'stat_widgets' has no attribute {name!r}")
    loaded = importlib.import_module(module)
    value = loaded if module.endswith("." + name) else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if TYPE_CHECKING:  # static analysers and IDEs see the real names
    from stat_widgets import errors
    from stat_widgets.client import AsyncStatClient, StatClient
    from stat_widgets.models import (
        JSONReference,
        Link,
        Order,
        OrderRequest,
        OrdersPage,
        OrderStatus,
        Product,
        StatusRecord,
        TimeInterval,
        bbox_geometry,
        filter_to_text,
        geodesic_area_km2,
        to_geometry,
        validate_filter,
        validate_geometry,
        vertex_count,
        wrap_antimeridian,
    )
    from stat_widgets.widgets import (
        AOIMap,
        FilterBuilder,
        IntervalPicker,
        OrderApp,
        OrderBrowser,
        OrderForm,
        ProductPicker,
    )
