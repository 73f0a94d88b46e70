"""Areas of interest: GeoJSON geometries per RFC 7946, checked before anyone pays for them.

Whatever the user hands us (a drawn feature, an uploaded FeatureCollection, WKT, a shapely or
``__geo_interface__`` object) becomes one validated GeoJSON geometry dict. One module per job:

- ``validate``: a geometry dict checked and normalised, returned with its shapely shape
  (``ValidGeometry``); ``fast_path`` checks long arrays of positions with numpy for it, and
  ``build`` makes shapely geometries from the arrays.
- ``convert``: anything that describes an area to a validated geometry (``read_geometry``,
  ``to_geometry``), and bounding boxes.
- ``measure``: vertex count, member types, geodesic area and its cheap upper bound.
- ``limits``: a product's limits on an AOI, and simplifying under a vertex limit.

The shape travels with the dict in ``ValidGeometry`` (no cache to share between threads): a
caller holding only the dict gets a shape built anew.
"""

from stat_widgets.models.geometry.convert import (
    bbox_geometry,
    read_geometry,
    shapely_to_geojson,
    to_geometry,
)
from stat_widgets.models.geometry.limits import Simplified, limit_problems, simplify_to_limit
from stat_widgets.models.geometry.measure import (
    AnyGeometry,
    area_upper_bound_km2,
    as_shape,
    geodesic_area_km2,
    geometry_types,
    vertex_count,
)
from stat_widgets.models.geometry.validate import (
    FIELD,
    GEOMETRY_TYPES,
    ValidGeometry,
    validate_geometry,
)

__all__ = [
    "FIELD",
    "GEOMETRY_TYPES",
    "AnyGeometry",
    "Simplified",
    "ValidGeometry",
    "area_upper_bound_km2",
    "as_shape",
    "bbox_geometry",
    "geodesic_area_km2",
    "geometry_types",
    "limit_problems",
    "read_geometry",
    "shapely_to_geojson",
    "simplify_to_limit",
    "to_geometry",
    "validate_geometry",
    "vertex_count",
]
