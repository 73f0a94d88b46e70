"""Conversion: whatever the user hands us becomes one validated GeoJSON geometry.

A drawn feature, an uploaded FeatureCollection, GeoJSON or WKT text, a shapely or
``__geo_interface__`` object, a bounding box: each is read here and validated by ``validate``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson
import shapely

from stat_widgets._gc import cyclic_gc_paused
from stat_widgets.models.geometry.valid import FIELD, ValidGeometry
from stat_widgets.models.geometry.validate import check_geometry, fail


def read_geometry(obj: Any, *, union: bool = False, field: str = FIELD) -> ValidGeometry:
    """Turn anything that describes an area into one validated geometry and its shapely shape.

    Accepts a geometry, Feature or FeatureCollection (dict or JSON text), WKT text, a shapely
    geometry, or any object with ``__geo_interface__``. A FeatureCollection with many features
    is refused unless ``union`` is true, because silently picking one could order the wrong place.
    """
    if isinstance(obj, ValidGeometry):
        return obj
    if isinstance(obj, shapely.Geometry):
        return _from_shapely(obj, field)
    if hasattr(obj, "__geo_interface__") and not isinstance(obj, dict):
        obj = obj.__geo_interface__
    if isinstance(obj, bytes):
        obj = obj.decode("utf-8-sig")
    if isinstance(obj, str):
        obj = _from_text(obj, field)
        if isinstance(obj, ValidGeometry):
            return obj
    if isinstance(obj, dict):
        kind = obj.get("type")
        if kind == "FeatureCollection":
            return _from_feature_collection(obj, union, field)
        if kind == "Feature":
            return _from_feature(obj, field)
        return check_geometry(obj, field=field)
    raise fail(field, f"cannot read an area from a {type(obj).__name__}")


def to_geometry(obj: Any, *, union: bool = False, field: str = FIELD) -> dict:
    """``read_geometry`` for the dict alone: the validated GeoJSON geometry."""
    return read_geometry(obj, union=union, field=field).geometry


def shapely_to_geojson(geom: shapely.Geometry, *, field: str = FIELD) -> dict:
    return _from_shapely(geom, field).geometry


def _from_shapely(geom: shapely.Geometry, field: str) -> ValidGeometry:
    return check_geometry(json.loads(shapely.to_geojson(geom)), field=field)


#: Above this many characters, JSON text is parsed with the cyclic garbage collector paused.
_PAUSE_GC_ABOVE = 1 << 20


def _from_text(text: str, field: str) -> Any:
    """JSON text parsed (a dict or whatever it holds), or WKT read and validated."""
    text = text.strip()
    if not text:
        raise fail(field, "no geometry given: paste GeoJSON or WKT")
    if text.startswith("{"):
        try:
            with cyclic_gc_paused(len(text) > _PAUSE_GC_ABOVE):
                return orjson.loads(text)  # several times faster than json on 10⁵-vertex uploads
        except orjson.JSONDecodeError as exc:
            raise fail(
                field,
                f"this is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            ) from None
    try:
        return _from_shapely(shapely.from_wkt(text), field)
    except shapely.errors.GEOSException as exc:
        raise fail(
            field,
            f"this is neither GeoJSON nor WKT ({exc}); e.g. POLYGON((10 50, 11 50, 11 51, 10 50))",
        ) from None


def _from_feature_collection(fc: dict, union: bool, field: str) -> ValidGeometry:
    features = fc.get("features")
    if not isinstance(features, list) or not features:
        raise fail(field, "the FeatureCollection has no features")
    if len(features) == 1:
        return _from_feature(features[0], field)
    if not union:
        raise fail(
            field,
            f"the FeatureCollection has {len(features)} features, but an order has one area; "
            "keep one feature or merge them into one (union)",
        )
    shapes = [_from_feature(f, f"{field}.features[{i}]").shape for i, f in enumerate(features)]
    return _from_shapely(shapely.union_all(shapes), field)


def _from_feature(feature: Any, field: str) -> ValidGeometry:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise fail(field, "expected a GeoJSON Feature")
    if not feature.get("geometry"):
        raise fail(field, "the feature has no geometry")
    return check_geometry(feature["geometry"], field=field)


def bbox_geometry(
    west: float, south: float, east: float, north: float, *, field: str = FIELD
) -> dict:
    """A bounding box as a Polygon; west > east (crossing the antimeridian) is refused because
    RFC 7946 wants such boxes split, and the user rarely means it."""
    for name, value in (("west", west), ("south", south), ("east", east), ("north", north)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise fail(f"{field}.{name}", f"{name} must be a finite number, got {value!r}")
    if west >= east:
        raise fail(f"{field}.east", f"east ({east}) must be greater than west ({west})")
    if south >= north:
        raise fail(f"{field}.north", f"north ({north}) must be greater than south ({south})")
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return check_geometry({"type": "Polygon", "coordinates": [ring]}, field=field).geometry
