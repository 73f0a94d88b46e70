"""The public API of ``stat_widgets``: this file is its one list.

Type checkers and IDEs read these imports; at run time ``__init__.py`` hands this file to
``lazy_loader.attach_stub``, which builds ``__all__``, ``__dir__`` and a ``__getattr__`` that
imports each name on first use. Add a public name here and nowhere else.
"""

from . import errors as errors
from .client import AsyncStatClient as AsyncStatClient
from .client import StatClient as StatClient
from .models import JSONReference as JSONReference
from .models import Link as Link
from .models import Opportunity as Opportunity
from .models import OpportunityRequest as OpportunityRequest
from .models import Order as Order
from .models import OrderRequest as OrderRequest
from .models import OrdersPage as OrdersPage
from .models import OrderStatus as OrderStatus
from .models import Product as Product
from .models import StatusRecord as StatusRecord
from .models import TimeInterval as TimeInterval
from .models import bbox_geometry as bbox_geometry
from .models import filter_to_text as filter_to_text
from .models import geodesic_area_km2 as geodesic_area_km2
from .models import to_geometry as to_geometry
from .models import validate_filter as validate_filter
from .models import validate_geometry as validate_geometry
from .models import vertex_count as vertex_count
from .models import wrap_antimeridian as wrap_antimeridian
from .widgets import AOIMap as AOIMap
from .widgets import FilterBuilder as FilterBuilder
from .widgets import IntervalPicker as IntervalPicker
from .widgets import OrderApp as OrderApp
from .widgets import OrderBrowser as OrderBrowser
from .widgets import OrderForm as OrderForm
from .widgets import ProductPicker as ProductPicker

__version__: str
