"""Product schemas of every shape real providers publish, read into the same fields.

The corpus is in ``tests/models/schemas``; each test names the construct it is about.
"""

from __future__ import annotations

import pytest

from stat_widgets.models.product_schema import MISSING, ProductSchema, read_schema

from .corpus import STAT_ERA, document, product, stapi_product


def test_tuple_items_and_allof_ref_give_enums_not_free_text() -> None:
    """Planet-like queryables: ``items: [{$ref}]`` (draft-07 tuple form), ``allOf: [{$ref}]``,
    and refs written ``#/parameters/$defs/...`` inside the schema itself."""
    fields = read_schema(document("planet_like_queryables"))
    constellations = fields["constellations"]
    assert (constellations.kind, constellations.multiple) == ("enum", True)
    assert constellations.enum == ("Dove", "SkySat")
    assert constellations.default == ["SkySat"]
    exclusivity = fields["exclusivity_days"]
    assert (exclusivity.kind, exclusivity.type, exclusivity.enum) == ("enum", "number", (0, 30))
    assert fields["scheduling_type"].enum == ("Flexible",)
    assert fields["scheduling_type"].title == "Scheduling type"
    assert any("#/parameters/$defs/" in note for note in fields.notes)
    # ``min``/``max`` are not JSON Schema: ignored, the field stays a number
    elevation = fields["view:sat_elevation"]
    assert (elevation.kind, elevation.minimum, elevation.maximum) == ("number", None, None)
    assert fields["view:azimuth"].minimum == -360


def test_bare_constraints_map_and_parameters_are_both_offered() -> None:
    """Planet-like STAT-era product: ``constraints`` is a bare name → schema map mixed with
    plain values, ``parameters`` another map; an unknown ``type`` is free text with a note."""
    planet = product("planet_like_stat_product")
    assert planet.fields.names == [
        "duration",
        "view:sun_zenith",
        "view:sun_azimuth",
        "exclusivity_days",
    ]
    assert planet.fields["exclusivity_days"].maximum == 30
    duration = planet.fields["duration"]
    assert (duration.kind, duration.checked) == ("string", False)
    assert "unknown type 'timedelta'" in duration.note
    assert any("max_aoi_size_sqkm" in note for note in planet.fields.notes)
    assert [(link.rel, link.href) for link in planet.links] == [
        ("documentation", "https://docs.example.com/tasking")
    ]


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("blacksky_like_stat_product", 12),
        ("eusi_like_stat_product", 13),
        ("oneatlas_like_stat_product", 11),
    ],
)
def test_stat_era_parameters_give_every_field(name: str, count: int) -> None:
    fields = product(name).fields
    assert len(fields) == count
    assert all(f.checked for f in fields if f.kind != "string" or not f.note)


def test_allof_ref_and_titled_const_alternatives() -> None:
    """BlackSky-like: ``allOf: [{$ref}]`` to ``anyOf`` of titled ``const``s; a ``$ref`` with
    sibling keywords; ``required``; draft-07 declared with an https URI."""
    fields = product("blacksky_like_stat_product").fields
    tier = fields["tier"]
    assert (tier.kind, tier.enum) == ("enum", ("STANDARD", "PREFERRED", "ELITE"))
    assert tier.labels == ("Standard tier", "Preferred tier", "Elite tier")
    assert tier.label("ELITE") == "Elite tier"
    assert (tier.title, tier.default, tier.required) == ("Offering tier", "STANDARD", True)
    assert fields["analytics"].enum == ("VOLUMETRIC",)
    convergence = fields["convergence_min"]
    assert convergence.title == "Minimum convergence angle"
    assert (convergence.minimum, convergence.maximum, convergence.unit) == (0, 60, "°")
    assert fields["collects"].exclusive_maximum == 11
    assert fields["frequency"].default == "ONCE"


def test_nullable_forms_and_const() -> None:
    """OneAtlas-like: ``type: [x, "null"]``, ``nullable: true``, ``null`` in an enum, ``oneOf``
    with a null branch, a property-level ``const``, ``definitions`` (draft-07)."""
    fields = product("oneatlas_like_stat_product").fields
    cloud = fields["maxCloudCover"]
    assert (cloud.type, cloud.nullable, cloud.types) == ("integer", True, frozenset({"integer"}))
    assert fields["maxIncidenceAngle"].nullable is True
    assert fields["notificationEmail"].format == "email"
    assert fields["priority"].enum == ("standard", "priority")
    assert fields["priority"].nullable is True
    level = fields["processingLevel"]
    assert (level.enum, level.nullable) == (("PRIMARY", "ORTHO"), True)
    mode = fields["acquisitionMode"]
    assert (mode.kind, mode.enum, mode.labels, mode.title) == (
        "enum",
        ("MONO",),
        (),
        "Acquisition mode",
    )
    assert fields["satellites"].enum == ("PHR1A", "PHR1B", "SPOT6", "SPOT7")


def test_order_parameters_with_refs_arrays_and_null() -> None:
    """Umbra-like order parameters: ``allOf`` + ``$ref``, ``items: {$ref}``, ``anyOf``
    string/null with a ``null`` default, ``required``, an unknown keyword (``regex``)."""
    fields = stapi_product(parameters="umbra_like_order_parameters").order_fields
    assert fields.names == [
        "sceneSize",
        "grazingAngleDegrees",
        "satelliteIds",
        "deliveryConfigId",
        "productTypes",
    ]
    assert fields["sceneSize"].enum == ("5x5_KM", "10x10_KM")
    assert fields["satelliteIds"].required and fields["satelliteIds"].multiple
    delivery = fields["deliveryConfigId"]
    assert (delivery.nullable, delivery.default, delivery.has_default) == (True, None, True)
    assert fields["grazingAngleDegrees"].default is MISSING
    assert fields["productTypes"].enum == ("GEC", "SICD", "SIDD")
    assert fields.open is False


def test_broken_schemas_degrade_to_free_text_with_notes() -> None:
    """A ``$ref`` that does not resolve, a remote one, a loop, ``items: true``, a property
    that is not a schema: each is a free-text field with its reason, never an exception."""
    fields = read_schema(document("broken_queryables"))
    notes = {f.name: f.note for f in fields}
    assert "does not resolve" in notes["missing_ref"]
    assert "never fetched" in notes["remote_ref"]
    assert "refers back to itself" in notes["loop"]
    assert "not a JSON Schema" in notes["not_a_schema"]
    for name in ("missing_ref", "remote_ref", "loop", "not_a_schema"):
        assert (fields[name].kind, fields[name].checked) == ("string", False)
    assert (fields["anything"].multiple, fields["anything"].kind) == (True, "string")
    assert fields["tier"].enum == ("A", "B")  # the rest of the document is still read


def test_a_whole_corpus_of_products_reads_without_error() -> None:
    for name in STAT_ERA:
        assert len(product(name).fields) > 0


@pytest.mark.parametrize(
    "schema",
    [
        [1, 2, 3],
        "a string",
        {"properties": "nope"},
        {"properties": {"x": {"allOf": "nope"}, "y": {"anyOf": [1, 2]}}},
        {"properties": {"x": {"type": 5, "enum": "no", "minimum": "low"}}},
        {"properties": {"x": {"$ref": 7}}},
        {"properties": {"x": {"$ref": "#/properties/x/items/9"}}},
        {"$id": 5, "properties": {"x": {"$ref": "#/$defs/a"}}},
        {"properties": {"x": {"allOf": [{"type": "string"}, {"type": "number"}]}}},
        {"properties": {"x": False, "y": True}},
        {"$ref": "#/$defs/missing"},
        {
            "allOf": [{"$ref": "#/$defs/P"}],
            "$defs": {"P": {"properties": {"a": {"type": "integer"}}}},
        },
    ],
)
def test_hostile_shapes_never_raise(schema: object) -> None:
    read = read_schema(schema)
    assert isinstance(read, ProductSchema)
    for field in read:
        assert field.kind in ("enum", "integer", "number", "boolean", "string")


def test_schema_size_depth_and_ref_chains_are_bounded() -> None:
    wide = {"properties": {f"p{i}": {"enum": list(range(5))} for i in range(12_000)}}
    assert read_schema(wide).readable is False
    assert "too large" in read_schema(wide).notes[0]
    many = read_schema({"properties": {f"p{i}": {"type": "integer"} for i in range(800)}})
    assert len(many) == 500 and "the first 500 are read" in many.notes[-1]
    deep: dict = {"type": "string"}
    for _ in range(60):
        deep = {"allOf": [deep]}
    assert read_schema({"properties": {"x": deep}}).readable is False
    chain = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(40)}
    chain["d40"] = {"type": "integer"}
    long = read_schema({"$defs": chain, "properties": {"x": {"$ref": "#/$defs/d0"}}})
    assert "more than 16 $refs" in long["x"].note
    layered = {f"d{i}": {"allOf": [{"$ref": f"#/$defs/d{i + 1}"}]} for i in range(15)}
    layered["d15"] = {"type": "integer"}
    nested = read_schema({"$defs": layered, "properties": {"x": {"$ref": "#/$defs/d0"}}})
    assert "nests more than" in nested["x"].note


def test_a_schema_is_read_once_per_object() -> None:
    schema = document("eusi_like_stat_product")["parameters"]
    assert read_schema(schema) is read_schema(schema)
    assert read_schema(dict(schema)) is not read_schema(schema)
