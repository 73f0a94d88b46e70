"""The reference server held to both texts of the seed: its README and its OpenAPI (stat.yaml).

schemathesis generates requests from the seed's OpenAPI document (``contract/stat.yaml``, its one
remote ``$ref`` replaced by a local stand-in) and checks every answer against it: status codes,
content types and response schemas. Orders exist before it runs, so ``GET /orders`` pages carry
real orders; the server's clock stands still, so they stay ``received`` (the one status the
OpenAPI's enum shares with the STAPI codes we use; see docs/decisions.md). The README's shapes are
checked with ``jsonschema`` on the same products and pages.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from referencing import Registry, Resource

from tests.server.bodies import order_body

CONTRACT = Path(__file__).parent / "contract" / "stat.yaml"
REMOTE_GEOMETRY = "https://geojson.org/schema/Geometry.json"
#: A local stand-in for the GeoJSON geometry schema (RFC 7946 section 3.1), written for this test.
GEOMETRY_STAND_IN = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {
            "enum": [
                "Point",
                "MultiPoint",
                "LineString",
                "MultiLineString",
                "Polygon",
                "MultiPolygon",
            ]
        },
        "coordinates": {"type": "array"},
    },
}


def _replace(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {
            k: (new if k == "$ref" and v == old else _replace(v, old, new)) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_replace(v, old, new) for v in node]
    return node


def seed_openapi() -> dict[str, Any]:
    document = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    document = _replace(document, REMOTE_GEOMETRY, "#/components/schemas/GeoJSONGeometry")
    document["components"]["schemas"]["GeoJSONGeometry"] = GEOMETRY_STAND_IN
    return document


OPENAPI = seed_openapi()
schema = schemathesis.openapi.from_dict(copy.deepcopy(OPENAPI))


@pytest.fixture(scope="module")
def contract_url() -> Iterator[str]:
    from stat_widgets.server import ManualClock, run_in_thread

    server = run_in_thread(clock=ManualClock())
    try:
        for i in range(3):  # both paths create, so pages have orders from each
            path = "/orders" if i % 2 else "/order"
            httpx.post(server.url + path, json=order_body()).raise_for_status()
        yield server.url
    finally:
        server.stop()


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_server_answers_as_the_seed_openapi_says(case: Any, contract_url: str) -> None:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    case.call_and_validate(
        base_url=contract_url,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


# -- the same documents against both texts, with jsonschema ----------------------------------

#: The README's shapes (seed order/README.md and product/README.md), written for this test.
README_ORDER = {
    "type": "object",
    "required": ["id", "status", "created", "links"],
    "properties": {
        "id": {"type": "string"},
        "user": {"type": "string"},
        "status": {"type": "string"},
        "created": {"type": "string"},
        "links": {"type": "array", "items": {"$ref": "#/$defs/link"}},
    },
    "$defs": {
        "link": {
            "type": "object",
            "required": ["href", "rel"],
            "properties": {"href": {"type": "string"}, "rel": {"type": "string"}},
        }
    },
}
README_PAGE = {
    "type": "object",
    "required": ["orders", "links"],
    "properties": {
        "orders": {"type": "array", "items": README_ORDER},
        # "Map<object, Link Object>": our list is also an object map of index → link; either
        # shape must hold links
        "links": {
            "anyOf": [
                {"type": "array", "items": README_ORDER["$defs"]["link"]},
                {"type": "object", "additionalProperties": README_ORDER["$defs"]["link"]},
            ]
        },
    },
    "$defs": README_ORDER["$defs"],
}
README_PRODUCT = {
    "type": "object",
    "required": ["type", "id", "description", "license", "links"],
    "properties": {
        "type": {"const": "Product"},
        "id": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "license": {"type": "string"},
        "links": {"type": "array", "items": README_ORDER["$defs"]["link"]},
        "parameters": {"type": "object"},
    },
}


def _openapi_validator(component: str) -> jsonschema.Draft202012Validator:
    registry = Registry().with_resource(
        "urn:seed", Resource.from_contents(OPENAPI, default_specification=_spec())
    )
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:seed#/components/schemas/{component}"}, registry=registry
    )


def _spec() -> Any:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def test_products_and_pages_validate_against_both_texts(contract_url: str) -> None:
    products = httpx.get(contract_url + "/products").json()
    assert products["products"]
    one = httpx.get(contract_url + "/products/optical-vhr").json()
    page = httpx.get(contract_url + "/orders", params={"limit": 2}).json()
    assert len(page["orders"]) == 2 and any(link["rel"] == "next" for link in page["links"])
    order = httpx.get(page["orders"][0]["links"][0]["href"]).json()

    for product in [*products["products"], one]:
        jsonschema.validate(product, README_PRODUCT)
        _openapi_validator("product").validate(product)
    jsonschema.validate(page, README_PAGE)
    jsonschema.validate(order, README_ORDER)
    _openapi_validator("links").validate(page["links"])
    for item in [*page["orders"], order]:
        _openapi_validator("order").validate(item)


def test_the_validators_refuse_what_either_text_refuses(contract_url: str) -> None:
    """The checks above can fail: a product without ``type`` or ``license`` breaks the
    OpenAPI's product schema, and a page without links the README's."""
    product = httpx.get(contract_url + "/products/optical-vhr").json()
    for missing in ("type", "license"):
        broken = {k: v for k, v in product.items() if k != missing}
        with pytest.raises(jsonschema.ValidationError, match=missing):
            _openapi_validator("product").validate(broken)
    with pytest.raises(jsonschema.ValidationError, match="links"):
        jsonschema.validate({"orders": []}, README_PAGE)
