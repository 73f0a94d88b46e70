"""Bounds measured before parsing (filter) and calendar edges (datetime), in process: the
inputs here are the ones just inside and just outside each bound. The inputs that crashed a
process are fed to a child process in tests/server/test_hostile_inputs.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import TimeInterval, validate_filter
from stat_widgets.models.filter_bounds import (
    MAX_TEXT_CHARS,
    MAX_TEXT_DEPTH,
    MAX_TEXT_OPERATORS,
    MAX_VALUE_DEPTH,
    MAX_VALUE_NODES,
    check_text,
    check_value,
)


def _refused(text: str) -> str:
    with pytest.raises(ValidationError) as info:
        check_text(text)
    assert info.value.field == "filter"
    return info.value.message


def test_everyday_text_passes_the_bounds() -> None:
    for text in (
        "eo:cloud_cover <= 20 AND priority IN ('urgent')",
        "NOT (a IS NOT NULL) AND b > -5 AND c < 1e-5 AND d = -(-3)",
        "s_intersects(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)))",
        "t_during(datetime, INTERVAL('2025-01-01', '2025-02-01'))",
    ):
        check_text(text)


def test_parentheses_inside_strings_do_not_count() -> None:
    check_text("name = '" + "(" * 5000 + "''" + "(" * 5000 + "'")
    check_text('"' + "(" * 5000 + '" = 1')


def test_nesting_limit_is_exact() -> None:
    inside = "(" * MAX_TEXT_DEPTH + "a = 1" + ")" * MAX_TEXT_DEPTH
    check_text(inside)
    assert "nests more than" in _refused("(" + inside + ")")
    check_text("NOT " * MAX_TEXT_DEPTH + "a = 1")
    assert "nests more than" in _refused("NOT " * (MAX_TEXT_DEPTH + 1) + "a = 1")
    assert "nests more than" in _refused("a = " + "- " * (MAX_TEXT_DEPTH + 1) + "1")


def test_prefix_operators_before_parentheses_add_up() -> None:
    """``NOT NOT (NOT NOT (...))`` nests three deep per parenthesis, not one."""
    half = MAX_TEXT_DEPTH // 3 + 1
    assert "nests more than" in _refused("NOT NOT (" * half + "a = 1" + ")" * half)
    check_text("NOT NOT (" * (half - 2) + "a = 1" + ")" * (half - 2))


def test_binary_operators_are_counted_but_signs_are_not() -> None:
    check_text(" AND ".join(["a = 1"] * (MAX_TEXT_OPERATORS + 1)))
    assert "operators" in _refused(" AND ".join(["a = 1"] * (MAX_TEXT_OPERATORS + 2)))
    assert "operators" in _refused("a = " + "+".join(["1"] * (MAX_TEXT_OPERATORS + 2)))
    check_text("a IN (" + ", ".join(["-1"] * (MAX_TEXT_OPERATORS * 2)) + ")")


def test_length_limit() -> None:
    assert "characters long" in _refused("a = '" + "x" * MAX_TEXT_CHARS + "'")


def test_values_are_measured_without_recursion() -> None:
    deep: list = []
    for _ in range(200_000):  # far past Python's recursion limit
        deep = [deep]
    with pytest.raises(ValidationError, match=f"nest more than {MAX_VALUE_DEPTH} levels"):
        check_value({"op": "=", "args": [{"property": "a"}, deep]}, max_ops_depth=20)
    with pytest.raises(ValidationError, match=f"more than {MAX_VALUE_NODES:,} values"):
        check_value(
            {"op": "in", "args": [{"property": "a"}, list(range(MAX_VALUE_NODES))]},
            max_ops_depth=20,
        )


def test_json_text_is_bounded_like_a_dict() -> None:
    text = '{"op": "not", "args": [' * 200 + "true" + "]}" * 200
    with pytest.raises(ValidationError, match="nests more than 20 levels") as info:
        validate_filter(text)
    assert info.value.field == "filter" + ".args[0]" * 21  # where the 22nd operation is
    with pytest.raises(ValidationError, match="nests more than") as info:
        validate_filter('{"a": ' * 5000 + "1" + "}" * 5000)
    assert info.value.field == "filter"


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T00:00:00Z/P2D",
        "0001-01-01T00:00:00+01:00/P1D",
        "2026-01-01T00:00:00Z/P99999999999999999999D",
        "2026-01-01T00:00:00Z/P" + "9" * 400 + "D",
        "P1D/0001-01-01T00:00:00Z",
        "9999-12-31T23:00:00-02:00/..",
        "2025-01-01T00:00:00Z/P99999999Y",
        ("0001-01-01T00:00:00+01:00", None),
        (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2))), None),
    ],
)
def test_calendar_edges_are_validation_errors_naming_datetime(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        TimeInterval.parse(value)
    assert info.value.field == "datetime"
    assert len(info.value.message) < 400  # the input is quoted, not all of it


def test_the_calendar_ends_themselves_are_fine() -> None:
    interval = TimeInterval.parse("9999-12-30T00:00:00Z/P1D")
    assert interval.end == datetime(9999, 12, 31, tzinfo=UTC)
    assert TimeInterval.parse("0001-01-01T00:00:00Z/P1D").start == datetime(1, 1, 1, tzinfo=UTC)
