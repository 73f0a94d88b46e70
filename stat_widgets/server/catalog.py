"""The demo product catalogue of the reference server.

Each product is the wire form of :class:`stat_widgets.models.Product`. ``constraints`` is the
JSON Schema that a CQL2 ``filter`` is checked against; ``conformsTo`` lists the GeoJSON geometry
types the product accepts (STAPI style). ``create_app(products=...)`` replaces this list.
"""

from __future__ import annotations

import copy
from typing import Any

from stat_widgets.conformance import GEOJSON_SCHEMA


def _geometry_types(*names: str) -> list[str]:
    return [GEOJSON_SCHEMA.format(type=name) for name in names]


def _number(title: str, minimum: float, maximum: float, unit: str, description: str) -> dict:
    return {
        "title": title,
        "description": description,
        "type": "number",
        "minimum": minimum,
        "maximum": maximum,
        "unit": unit,
    }


def _choice(title: str, values: list[str], description: str) -> dict:
    return {"title": title, "description": description, "type": "string", "enum": values}


_CLOUD = _number("Cloud cover", 0, 100, "%", "Maximum share of the scene covered by cloud")
_SUN = _number("Sun elevation", 0, 90, "°", "Sun elevation above the horizon at capture")


def _off_nadir(maximum: float) -> dict:
    return _number("Off-nadir angle", 0, maximum, "°", "Angle between nadir and line of sight")


def _schema(properties: dict[str, dict]) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


DEMO_PRODUCTS: list[dict[str, Any]] = [
    {
        "id": "optical-vhr",
        "title": "Optical very high resolution (30 cm)",
        "description": "Panchromatic and 4-band multispectral tasking at 30 cm (pan) / 1.2 m "
        "(MS). Best for small sites: buildings, infrastructure, vessels in port.",
        "keywords": ["optical", "VHR", "pan-sharpened", "tasking"],
        "conformsTo": _geometry_types("Polygon", "MultiPolygon", "Point"),
        "links": [],
        "constraints": _schema(
            {
                "eo:cloud_cover": _CLOUD,
                "view:off_nadir": _off_nadir(45),
                "view:sun_elevation": _SUN,
            }
        ),
        "max_area_km2": 2000,
        "max_vertices": 500,
    },
    {
        "id": "sar-x-band",
        "title": "X-band SAR (day and night, all weather)",
        "description": "Synthetic aperture radar from 25 cm (staring spotlight) to 3 m "
        "(stripmap). Sees through clouds and at night.",
        "keywords": ["SAR", "radar", "X-band", "all-weather"],
        "conformsTo": _geometry_types("Polygon", "MultiPolygon", "Point"),
        "links": [],
        "constraints": _schema(
            {
                "sar:polarizations": _choice(
                    "Polarization", ["HH", "HV", "VH", "VV"], "Transmit/receive polarization"
                ),
                "sat:orbit_state": _choice(
                    "Orbit direction", ["ascending", "descending"], "Pass direction at capture"
                ),
                "sar:observation_direction": _choice(
                    "Look direction", ["left", "right"], "Antenna look direction"
                ),
                "sar:incidence_angle": _number(
                    "Incidence angle", 15, 60, "°", "Incidence angle at the scene centre"
                ),
                "sar:instrument_mode": _choice(
                    "Imaging mode",
                    ["spotlight", "staring-spotlight", "stripmap", "scansar"],
                    "Trade-off between resolution and swath",
                ),
            }
        ),
        "max_area_km2": 5000,
        "max_vertices": 500,
    },
    {
        "id": "multispectral-wide",
        "title": "Multispectral wide area (5 m, 8 bands)",
        "description": "Wide-swath 8-band multispectral imaging for agriculture, forestry and "
        "regional mapping. Polygons only.",
        "keywords": ["optical", "multispectral", "wide-area", "agriculture"],
        "conformsTo": _geometry_types("Polygon"),
        "links": [],
        "constraints": _schema({"eo:cloud_cover": _CLOUD, "view:off_nadir": _off_nadir(30)}),
        "max_area_km2": 20000,
        "max_vertices": 1000,
    },
    {
        "id": "optical-stereo-video",
        "title": "Optical stereo and video (50 cm)",
        "description": "Along-track stereo pairs for elevation models, or up to 90 s of "
        "full-colour video over one site.",
        "keywords": ["optical", "stereo", "video", "DEM"],
        "conformsTo": _geometry_types("Polygon", "Point"),
        "links": [],
        "constraints": _schema(
            {
                "stereo": {
                    "title": "Stereo pair",
                    "description": "Capture an along-track stereo pair instead of video",
                    "type": "boolean",
                },
                "priority": _choice(
                    "Priority", ["standard", "urgent"], "Urgent tasking pre-empts standard"
                ),
                "video:duration": {
                    "title": "Video duration",
                    "description": "Length of the video capture",
                    "type": "integer",
                    "minimum": 10,
                    "maximum": 90,
                    "unit": "s",
                },
                "eo:cloud_cover": _CLOUD,
                "view:off_nadir": _off_nadir(30),
            }
        ),
        "max_area_km2": 500,
        "max_vertices": 200,
    },
]


def demo_products() -> list[dict[str, Any]]:
    """A fresh copy, so that an app that mutates its catalogue cannot affect another."""
    return copy.deepcopy(DEMO_PRODUCTS)
