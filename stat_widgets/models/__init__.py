"""The STAT Order API as pydantic models: the single source of truth for what is valid."""

from stat_widgets.models.antimeridian import Wrapped, wrap_antimeridian
from stat_widgets.models.filter import (
    filter_properties,
    filter_to_text,
    parse_filter,
    validate_filter,
)
from stat_widgets.models.filter_match import filter_keeps, filter_matcher
from stat_widgets.models.geometry import (
    Simplified,
    ValidGeometry,
    as_shape,
    bbox_geometry,
    geodesic_area_km2,
    geometry_types,
    limit_problems,
    read_geometry,
    shapely_to_geojson,
    simplify_to_limit,
    to_geometry,
    validate_geometry,
    vertex_count,
)
from stat_widgets.models.interval import Duration, TimeInterval, format_instant, parse_instant
from stat_widgets.models.links import Link, find_link
from stat_widgets.models.opportunity import Opportunity, OpportunityRequest
from stat_widgets.models.order import (
    Order,
    OrderRequest,
    OrdersPage,
    OrderStatus,
    StatusRecord,
    parse_status,
    validation_error_from_pydantic,
)
from stat_widgets.models.parameters import validate_order_parameters
from stat_widgets.models.product import Product
from stat_widgets.models.product_schema import ProductSchema, SchemaField, read_schema
from stat_widgets.models.reference import JSONReference, resolve_reference, same_origin

__all__ = [
    "Duration",
    "JSONReference",
    "Link",
    "Opportunity",
    "OpportunityRequest",
    "Order",
    "OrderRequest",
    "OrderStatus",
    "OrdersPage",
    "Product",
    "ProductSchema",
    "SchemaField",
    "Simplified",
    "StatusRecord",
    "TimeInterval",
    "ValidGeometry",
    "Wrapped",
    "as_shape",
    "bbox_geometry",
    "filter_keeps",
    "filter_matcher",
    "filter_properties",
    "filter_to_text",
    "find_link",
    "format_instant",
    "geodesic_area_km2",
    "geometry_types",
    "limit_problems",
    "parse_filter",
    "parse_instant",
    "parse_status",
    "read_geometry",
    "read_schema",
    "resolve_reference",
    "same_origin",
    "shapely_to_geojson",
    "simplify_to_limit",
    "to_geometry",
    "validate_filter",
    "validate_geometry",
    "validate_order_parameters",
    "validation_error_from_pydantic",
    "vertex_count",
    "wrap_antimeridian",
]
