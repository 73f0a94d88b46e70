"""The public names of ``stat_widgets.models.geometry``: this file is their one list
(``__init__.py`` hands it to ``lazy_loader.attach_stub``, which imports each name's module on
first use)."""

from .convert import bbox_geometry as bbox_geometry
from .convert import read_geometry as read_geometry
from .convert import shapely_to_geojson as shapely_to_geojson
from .convert import to_geometry as to_geometry
from .limits import Simplified as Simplified
from .limits import limit_problems as limit_problems
from .limits import simplify_to_limit as simplify_to_limit
from .measure import area_upper_bound_km2 as area_upper_bound_km2
from .measure import as_shape as as_shape
from .measure import geodesic_area_km2 as geodesic_area_km2
from .measure import geometry_types as geometry_types
from .measure import vertex_count as vertex_count
from .valid import FIELD as FIELD
from .valid import GEOMETRY_TYPES as GEOMETRY_TYPES
from .valid import AnyGeometry as AnyGeometry
from .valid import ValidGeometry as ValidGeometry
from .validate import validate_geometry as validate_geometry
