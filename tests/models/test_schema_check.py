"""Filters and order parameters checked against the corpus by jsonschema, errors by field path."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import OrderRequest, validate_filter, validate_order_parameters
from stat_widgets.models.product_schema import read_schema

from .corpus import document, product, stapi_product

INTERVAL = "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1], [10, 50]]],
}


def prop(name: str) -> dict:
    return {"property": name}


def op(name: str, *args: object) -> dict:
    return {"op": name, "args": list(args)}


def refused(cql: dict, schema: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        validate_filter(cql, schema)
    return [(e.field, e.message) for e in caught.value.errors]


PLANET = document("planet_like_queryables")


def test_tuple_items_property_accepts_its_values_and_names_the_wrong_one() -> None:
    good = op("in", prop("constellations"), ["Dove", "SkySat"])
    assert validate_filter(good, PLANET) == good
    assert validate_filter(op("=", prop("constellations"), "Dove"), PLANET)
    [(field, message)] = refused(op("in", prop("constellations"), ["Dove", "Landsat"]), PLANET)
    assert field == "filter.args[1][1]"
    assert "'Landsat' is not one of the values of constellations: 'Dove', 'SkySat'" in message


def test_allof_ref_enum_is_checked() -> None:
    [(field, message)] = refused(op("=", prop("exclusivity_days"), 15), PLANET)
    assert field == "filter.args[1]" and "0, 30" in message
    assert validate_filter(op("=", prop("exclusivity_days"), 30), PLANET)


def test_titled_const_alternatives_and_sibling_keywords() -> None:
    blacksky = product("blacksky_like_stat_product")
    assert validate_filter(op("in", prop("tier"), ["ELITE"]), blacksky.fields)
    [(field, message)] = refused(op("in", prop("tier"), ["GOLD"]), blacksky.fields)
    assert field == "filter.args[1][0]"
    assert "'GOLD' is not one of the values of tier" in message
    [(field, message)] = refused(op("<=", prop("convergence_min"), 75), blacksky.fields)
    assert (field, message) == ("filter.args[1]", "convergence_min must be at most 60 °, got 75")
    [(_, message)] = refused(op("=", prop("collects"), 11), blacksky.fields)
    assert "less than 11" in message
    [(_, message)] = refused(op("=", prop("note"), "x" * 201), blacksky.fields)
    assert "at most 200 characters" in message  # a keyword the fields do not describe


def test_bare_map_and_parameters_are_both_checked() -> None:
    planet = product("planet_like_stat_product")
    cql = op(
        "and",
        op("<=", prop("view:sun_zenith"), 90),
        op("<=", prop("exclusivity_days"), 31),
    )
    assert refused(cql, planet.fields) == [
        ("filter.args[0].args[1]", "view:sun_zenith must be at most 85, got 90"),
        ("filter.args[1].args[1]", "exclusivity_days must be at most 30, got 31"),
    ]
    # the free-text field of unknown type takes anything; names outside the schema do not
    assert validate_filter(op("=", prop("duration"), "P3D"), planet.fields)
    [(field, message)] = refused(op("=", prop("max_aoi_size_sqkm"), 5), planet.fields)
    assert field == "filter.args[0]" and "unknown property" in message


def test_nullable_and_const() -> None:
    oneatlas = product("oneatlas_like_stat_product")
    assert validate_filter(op("=", prop("maxCloudCover"), 20), oneatlas.fields)
    [(_, message)] = refused(op("=", prop("maxCloudCover"), 20.5), oneatlas.fields)
    assert "integer" in message
    [(_, message)] = refused(op("=", prop("acquisitionMode"), "STEREO"), oneatlas.fields)
    assert "'STEREO' is not one of the values of acquisitionMode: 'MONO'" in message
    [(_, message)] = refused(op("in", prop("processingLevel"), ["RAW"]), oneatlas.fields)
    assert "'RAW' is not one of the values" in message


def test_a_request_with_a_product_routes_schema_errors_to_the_filter_argument() -> None:
    """The Planet crash of issue 12: a filter on a tuple-items property is a ValidationError
    naming ``filter.args[1]``, through the one validation entry point."""
    planet = stapi_product(queryables="planet_like_queryables")
    body = {
        "datetime": INTERVAL,
        "product_id": planet.id,
        "geometry": SQUARE,
        "filter": op("=", prop("constellations"), "Landsat"),
    }
    with pytest.raises(ValidationError) as caught:
        OrderRequest.from_input(body, product=planet)
    assert caught.value.field == "filter.args[1]"
    body["filter"] = op("=", prop("constellations"), "Dove")
    assert OrderRequest.from_input(body, product=planet).filter == body["filter"]


def test_order_parameters_are_checked_whole_by_jsonschema() -> None:
    umbra = stapi_product(parameters="umbra_like_order_parameters").order_fields
    sent = validate_order_parameters({"satelliteIds": ["SAT-01"]}, umbra)
    assert sent == {
        "sceneSize": "5x5_KM",
        "deliveryConfigId": None,
        "productTypes": ["GEC"],
        "satelliteIds": ["SAT-01"],
    }
    with pytest.raises(ValidationError) as caught:
        validate_order_parameters(
            {"satelliteIds": "SAT-01", "sceneSize": "1x1", "colour": 1, "productTypes": []}, umbra
        )
    by_field = {e.field: e.message for e in caught.value.errors}
    assert set(by_field) == {
        "order_parameters.satelliteIds",
        "order_parameters.sceneSize",
        "order_parameters.colour",
        "order_parameters.productTypes",
    }
    assert "takes array values" in by_field["order_parameters.satelliteIds"]
    assert "unknown order parameter" in by_field["order_parameters.colour"]
    assert "at least 1 values" in by_field["order_parameters.productTypes"]
    with pytest.raises(ValidationError) as caught:
        validate_order_parameters({"productTypes": ["GEC", "XYZ"]}, umbra)
    assert {e.field for e in caught.value.errors} == {
        "order_parameters.satelliteIds",
        "order_parameters.productTypes[1]",
    }
    assert validate_order_parameters({}, umbra, require=False)["sceneSize"] == "5x5_KM"


def test_root_keywords_the_library_cannot_apply_do_not_stop_the_fields() -> None:
    """EUSI-like ``"type": "Object"`` at the root: the fields are still checked."""
    eusi = product("eusi_like_stat_product").fields
    [(_, message)] = refused(op("<=", prop("maxOffNadir"), 50), eusi)
    assert "at most 45.0" in message
    parameters = read_schema(document("eusi_like_stat_product")["parameters"])
    with pytest.raises(ValidationError, match=r"order_parameters\.revisits"):
        validate_order_parameters({"revisits": 0}, parameters)


@pytest.mark.timeout(30)  # a guard: without the bound this pattern would never finish
def test_a_catastrophic_pattern_is_not_run() -> None:
    broken = read_schema(document("broken_queryables"))
    hostile = "a" * 64 + "!"
    assert validate_filter(op("=", prop("slow_pattern"), hostile), broken)
    safe = read_schema({"properties": {"code": {"type": "string", "pattern": "^[A-Z]{3}$"}}})
    [(_, message)] = refused(op("=", prop("code"), "abcd"), safe)
    assert "must match the pattern" in message


def test_unreadable_fields_take_any_value_and_never_raise() -> None:
    broken = read_schema(document("broken_queryables"))
    for name in ("missing_ref", "remote_ref", "loop", "not_a_schema", "anything"):
        assert validate_filter(op("=", prop(name), "x"), broken)
    assert refused(op("in", prop("tier"), ["C"]), broken)[0][0] == "filter.args[1][0]"
    unreadable = read_schema({"properties": {f"p{i}": {} for i in range(25_000)}})
    assert validate_filter(op("=", prop("anything"), 1), unreadable)  # nothing to check by


def test_schemas_jsonschema_itself_cannot_apply_leave_values_unchecked() -> None:
    odd = read_schema(
        {
            "properties": {
                "low": {"type": "number", "minimum": "zero"},
                "self": {"$ref": "#/properties/self/not", "not": {"$ref": "#/properties/self"}},
            }
        }
    )
    assert validate_filter(op("=", prop("low"), 5), odd)
    assert validate_filter(op("=", prop("self"), 5), odd)


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = json.dumps({"type": "string", "enum": ["A"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def schema_host() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Counting.hits = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_remote_ref_is_never_fetched(schema_host: str) -> None:
    schema = {
        "properties": {
            "tier": {"$ref": f"{schema_host}/tier.json"},
            "mixed": {"allOf": [{"$ref": f"{schema_host}/tier.json"}], "type": "string"},
        }
    }
    fields = read_schema(schema)
    assert "never fetched" in fields["tier"].note and "never fetched" in fields["mixed"].note
    assert validate_filter(op("=", prop("tier"), "B"), fields)
    assert validate_order_parameters({"tier": "B", "mixed": "C"}, schema)
    assert _Counting.hits == []
