"""Each CQL2 conformance class, with the standard's own examples: what we support is accepted
and checked against the product's constraints in every position; what we do not support is
refused by name, the same way wherever it appears.

Expressions marked ATS are from the OGC CQL2 Abstract Test Suite (Annex A of OGC 21-065r2),
Copyright (c) Open Geospatial Consortium, reproduced under the OGC document licence; modified
(not approved or adopted by OGC): the ``{queryable}`` placeholders are the properties of
``SCHEMA`` below, as the cql2-rs project's copy (tests/ats/expressions.txt) substitutes them.
Expressions marked 21-065 are examples from the body of the standard.
"""

from __future__ import annotations

import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import filter_properties, validate_filter
from stat_widgets.models.filter_ops import CLASSES, OPERATORS, SUPPORTED_CLASSES

SCHEMA = {
    "type": "object",
    "properties": {
        "intfield": {"type": "integer"},
        "floatfield": {"type": "number"},
        "textfield": {"type": "string"},
        "geom": {"type": "object"},
        "ts_start": {"type": "string", "format": "date-time"},
        "intarrayfield": {"type": "array", "items": {"type": "integer"}},
        "flag": {"type": "boolean"},
    },
}

SUPPORTED: dict[str, list[str]] = {
    "basic-cql2": [  # ATS
        "intfield = 50",
        "intfield <> 50",
        "intfield > 50",
        "intfield < 50",
        "intfield >= 50",
        "intfield <= 50",
        "intfield IS NULL",
        "intfield is not null",
        "true",
        "false",
    ],
    "advanced-comparison-operators": [  # ATS (BETWEEN on numbers: see test_types_hold)
        "textfield LIKE '%'",
        "textfield like '_%'",
        "textfield like ''",
        "textfield like '%%'",
        "intfield BETWEEN 0 AND 100",
        "intfield NOT IN (1, 2, 3, 4)",  # 21-065
        "textfield IN ('Toronto', 'Frankfurt', 'Tokyo', 'New York')",  # 21-065
    ],
    "basic-spatial-functions": [  # ATS
        "S_INTERSECTS(geom,BBOX(-180,-90,180,90))",
        "S_INTERSECTS(geom,POINT(7.02 49.92))",
        "S_INTERSECTS(geom,BBOX(-180,-90,-90,90)) AND S_INTERSECTS(geom,BBOX(90,-90,180,90))",
    ],
    "basic-spatial-functions-plus-points": [  # ATS ("basic-spatial-functions-plus")
        "S_INTERSECTS(geom,MULTIPOINT(7.02 49.92, 90 80))",
        "S_INTERSECTS(geom,LINESTRING(-180 -45, 0 -45))",
        "S_INTERSECTS(geom,MULTILINESTRING((-180 -45, 0 -45), (0 45, 180 45)))",
        "S_INTERSECTS(geom,POLYGON((-180 -90, -90 -90, -90 90, -180 90, -180 -90), "
        "(-120 -50, -100 -50, -100 -40, -120 -40, -120 -50)))",
        "S_INTERSECTS(geom,GEOMETRYCOLLECTION(POINT(7.02 49.92), "
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))))",
    ],
    "spatial-functions": [  # ATS
        "S_DISJOINT(geom,POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90)))",
        "S_EQUALS(geom,LINESTRING(7 50,10 51))",
        "S_TOUCHES(geom,BBOX(-180,-90,180,90))",
        "S_CROSSES(geom,LINESTRING(7 50,10 51))",
        "S_WITHIN(geom,MULTIPOINT(7 50,10 51))",
        "S_CONTAINS(geom,POINT(7.02 49.92))",
    ],
    "temporal-functions": [  # ATS
        "T_AFTER(ts_start,TIMESTAMP('2022-04-24T07:59:57Z'))",
        "T_BEFORE(ts_start,INTERVAL('2021-01-01T00:00:00Z','2021-12-31T23:59:59Z'))",
        "T_DISJOINT(ts_start,DATE('2022-04-24'))",
        "T_EQUALS(ts_start,INTERVAL('2021-01-01','2021-12-31'))",
        "T_INTERSECTS(ts_start,INTERVAL('2021-01-01','..'))",
        "T_DURING(INTERVAL(ts_start, ts_start), INTERVAL('1969-07-16T13:32:00Z', "
        "'1969-07-24T16:50:35Z'))",  # 21-065, with our property
    ],
    "property-property": [  # ATS
        "floatfield = intfield",
        "floatfield <> intfield",
        "floatfield > intfield",
        "intfield <= intfield",
    ],
}

# Refused: (expression, the construct a message must name)
UNSUPPORTED: dict[str, list[tuple[str, str]]] = {
    "case-insensitive-comparison": [  # ATS
        ("CASEI(textfield) = casei('foo')", "casei"),
        ("CASEI(textfield) LIKE casei('FOO%')", "casei"),
        ("textfield LIKE casei('FOO%')", "casei"),  # issue 13: accepted without constraints
    ],
    "accent-insensitive-comparison": [  # ATS
        ("ACCENTI(textfield) = accenti('äöüéáí')", "accenti"),
        ("ACCENTI(CASEI(textfield)) LIKE accenti(casei('a%'))", "accenti"),
    ],
    "array-functions": [  # ATS
        ("A_CONTAINS(intarrayfield,('foo','bar'))", "a_contains"),
        ("A_CONTAINEDBY(intarrayfield,('foo','bar'))", "a_containedBy"),
        ("A_EQUALS(intarrayfield,('foo','bar'))", "a_equals"),
        ("A_OVERLAPS(intarrayfield,('foo','bar'))", "a_overlaps"),
    ],
    "functions": [  # 21-065
        ("avg(intfield) < 4", "avg"),
        ("S_WITHIN(geom, Buffer(geom, 10, 'm'))", "Buffer"),  # issue 13: was accepted
    ],
    "arithmetic": [  # 21-065 (vehicle_height > (bridge_clearance-1), balance-150.0 > 0)
        ("floatfield > (intfield - 1)", "'-'"),
        ("floatfield - 150.0 > 0", "'-'"),
        ("1 + intfield > 0", "'+'"),  # issue 13: refused only when a property came first
        ("intfield DIV 2 = 1", "'div'"),
        ("T_AFTER(ts_start, INTERVAL(ts_start, '..')) AND intfield * 2 > 1", "'*'"),
    ],
}


def test_every_conformance_class_is_covered() -> None:
    assert set(SUPPORTED) | set(UNSUPPORTED) == set(CLASSES)
    assert set(SUPPORTED) == SUPPORTED_CLASSES
    assert {row.conformance for row in OPERATORS} <= set(CLASSES)


@pytest.mark.parametrize(
    "text", [t for texts in SUPPORTED.values() for t in texts], ids=lambda t: t[:60]
)
def test_supported_classes_pass_with_and_without_constraints(text: str) -> None:
    assert validate_filter(text, SCHEMA) == validate_filter(text)


@pytest.mark.parametrize(
    ("cls", "text", "name"),
    [(cls, text, name) for cls, cases in UNSUPPORTED.items() for text, name in cases],
    ids=lambda v: str(v)[:50],
)
def test_unsupported_classes_are_refused_by_name(cls: str, text: str, name: str) -> None:
    for constraints in (SCHEMA, None):
        with pytest.raises(ValidationError) as info:
            validate_filter(text, constraints)
        first = info.value.errors[0]
        assert first.field.endswith(".op")
        assert name in first.message and "not supported" in first.message
        assert cls in first.message


def test_an_unsupported_construct_reads_the_same_wherever_it_is() -> None:
    where = {
        "compared": "casei(textfield) = 'x'",
        "as a pattern": "textfield LIKE casei('X%')",
        "under NOT and OR": "intfield = 1 OR NOT (casei(textfield) = 'x')",
        "in a list": "textfield IN ('a', casei('b'))",
        "in a spatial operator": "S_INTERSECTS(casei(textfield), POINT(1 2))",
        "in an interval": "T_AFTER(ts_start, INTERVAL(casei(textfield), '..'))",
    }
    messages = set()
    for text in where.values():
        with pytest.raises(ValidationError) as info:
            validate_filter(text, SCHEMA)
        assert len(info.value.errors) == 1, info.value.errors
        messages.add(info.value.message)
    assert len(messages) == 1
    assert "must compare a property" not in messages.pop()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (
            "T_DURING(INTERVAL(touchdown, ts_start), INTERVAL('1969-07-16', '..'))",
            "args[0].interval[0]",
        ),
        ("S_INTERSECTS(footprint, POINT(1 2))", "args[0]"),
        ("T_AFTER(launched, DATE('2022-04-24'))", "args[0]"),
        ("intfield < 5 AND NOT (colour IS NULL)", "args[1].args[0].args[0]"),
        ("colour = textfield", "args[0]"),
    ],
)
def test_properties_are_checked_in_every_position(text: str, field: str) -> None:
    with pytest.raises(ValidationError, match="unknown property") as info:
        validate_filter(text, SCHEMA)
    assert info.value.field == f"filter.{field}"
    validate_filter(text)  # without a product, any property will do


def test_properties_are_found_in_every_position() -> None:
    text = (
        "T_DURING(INTERVAL(starts, ends), INTERVAL('2021-01-01', '..')) AND "
        "S_INTERSECTS(geom, POINT(1 2)) AND avg(speed) < 4 AND height > (clearance - 1) "
        "AND casei(road) = 'a'"
    )
    found = filter_properties(text)
    assert found == {"starts", "ends", "geom", "speed", "height", "clearance", "road"}


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (
            "S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 1)))",
            "args[1].coordinates[0]",
            "not closed",
        ),
        ("S_INTERSECTS(geom, POLYGON((0 0, 1 0, 0 0)))", "args[1].coordinates[0]", "at least 4"),
        ("S_INTERSECTS(geom, POINT(90 180))", "args[1].coordinates", "latitude 180"),  # ATS
        ("S_INTERSECTS(geom, BBOX(0, 10, 1, 5))", "args[1].bbox", "north"),
        ("S_INTERSECTS(geom, BBOX(0, 0, 200, 5))", "args[1].bbox", "longitudes"),
        ("T_AFTER(ts_start, DATE('2025-02-30'))", "args[1].date", "2025-02-30"),
        ("T_AFTER(ts_start, TIMESTAMP('2025-02-30T00:00:00Z'))", "args[1].timestamp", "2025-02-30"),
        ("T_AFTER(ts_start, INTERVAL('2025-01-01', '2025-02-30'))", "args[1].interval[1]", "day"),
        ("ts_start > TIMESTAMP('2025-13-01T00:00:00Z')", "args[1].timestamp", "2025-13-01"),
    ],
)
def test_literals_are_validated_like_the_order_fields(text: str, field: str, words: str) -> None:
    for constraints in (SCHEMA, None):
        with pytest.raises(ValidationError) as info:
            validate_filter(text, constraints)
        assert info.value.field == f"filter.{field}"
        assert words in info.value.message


def test_literals_in_cql2_json_too() -> None:
    open_ring = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    with pytest.raises(ValidationError, match="not closed") as info:
        validate_filter({"op": "s_intersects", "args": [{"property": "geom"}, open_ring]}, SCHEMA)
    assert info.value.field == "filter.args[1].coordinates[0]"
    with pytest.raises(ValidationError, match="2024-02-30") as info:
        validate_filter(
            {"op": "t_after", "args": [{"property": "ts_start"}, {"date": "2024-02-30"}]}
        )
    assert validate_filter(
        {"op": "t_after", "args": [{"property": "ts_start"}, {"date": "2024-02-29"}]}, SCHEMA
    )


def test_types_hold() -> None:
    """The table's ``applies_to``: LIKE on text, ordering on numbers, text and dates."""
    with pytest.raises(ValidationError, match="'like' matches text, but intfield is integer"):
        validate_filter("intfield LIKE '1%'", SCHEMA)
    with pytest.raises(ValidationError, match="textfield takes string values"):
        validate_filter("textfield BETWEEN 0 AND 100", SCHEMA)  # ATS, on a text field
    with pytest.raises(ValidationError, match="'<' orders values, but flag is boolean"):
        validate_filter("flag < true", SCHEMA)
