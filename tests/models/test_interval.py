from datetime import UTC, datetime, timedelta, timezone

import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import TimeInterval


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


#: Every accepted form with its wire form (the server tests post them too).
ACCEPTED = [
    ("2025-06-01T00:00:00Z/2025-06-08T00:00:00Z", "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"),
    ("2025-06-01T10:00Z/2025-06-01T12:30Z", "2025-06-01T10:00:00Z/2025-06-01T12:30:00Z"),
    (
        "2025-06-01T00:00:00.250Z/2025-06-01T00:00:01.5Z",
        "2025-06-01T00:00:00.250000Z/2025-06-01T00:00:01.500000Z",
    ),
    (
        "2025-06-01T02:00:00+02:00/2025-06-01T03:00:00+02:00",
        "2025-06-01T00:00:00Z/2025-06-01T01:00:00Z",
    ),
    ("2025-06-01T00:00:00-05:30/PT1H", "2025-06-01T05:30:00Z/2025-06-01T06:30:00Z"),
    ("2025-06-01T00:00:00Z/P7D", "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"),
    ("2025-06-01T00:00:00Z/P1W", "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"),
    ("2025-06-01T00:00:00Z/PT1.5H", "2025-06-01T00:00:00Z/2025-06-01T01:30:00Z"),
    ("2025-01-31T00:00:00Z/P1M", "2025-01-31T00:00:00Z/2025-02-28T00:00:00Z"),
    ("2024-02-29T00:00:00Z/P1Y", "2024-02-29T00:00:00Z/2025-02-28T00:00:00Z"),
    ("2025-06-01T00:00:00Z/P1DT12H", "2025-06-01T00:00:00Z/2025-06-02T12:00:00Z"),
    ("P2D/2025-06-08T00:00:00Z", "2025-06-06T00:00:00Z/2025-06-08T00:00:00Z"),
    ("P1M/2025-03-31T00:00:00Z", "2025-02-28T00:00:00Z/2025-03-31T00:00:00Z"),
    ("2025-06-01T00:00:00Z/..", "2025-06-01T00:00:00Z/.."),
    ("2025-06-01T00:00:00Z/", "2025-06-01T00:00:00Z/.."),
    ("../2025-06-01T00:00:00Z", "../2025-06-01T00:00:00Z"),
    ("/2025-06-01T00:00:00Z", "../2025-06-01T00:00:00Z"),
    ("20250601T000000Z/20250602T000000Z", "2025-06-01T00:00:00Z/2025-06-02T00:00:00Z"),
    (
        "  2025-06-01T00:00:00z/2025-06-02T00:00:00z ",
        "2025-06-01T00:00:00Z/2025-06-02T00:00:00Z",
    ),
]


@pytest.mark.parametrize(("text", "wire"), ACCEPTED)
def test_accepted_forms_normalise_to_utc(text: str, wire: str) -> None:
    interval = TimeInterval.parse(text)
    assert str(interval) == wire
    # the wire form reads back to the same interval
    assert TimeInterval.parse(wire) == interval


#: Every rejected form with words its message must contain.
REJECTED = [
    ("2025-06-08T00:00:00Z/2025-06-01T00:00:00Z", "is before the start"),
    ("2025-06-01T00:00:00Z/2025-06-01T00:00:00Z", "equals the start"),
    ("2025-06-01T00:00:00Z", "single instant"),
    ("2025-06-01T00:00:00/2025-06-02T00:00:00Z", "no time zone"),
    ("2025-06-01T00:00:00Z/2025-06-02T00:00:00", "no time zone"),
    ("2025-06-01/2025-06-02", "date without a time"),
    ("banana", "not an ISO 8601 date-time"),
    ("banana/2025-06-02T00:00:00Z", "not an ISO 8601 date-time"),
    ("", "empty"),
    ("../..", "both ends are open"),
    ("/", "both ends are open"),
    ("P1D/P2D", "duration on both sides"),
    ("P1D", "duration without"),
    ("../P1D", "duration after an open start"),
    ("P1D/..", "duration before an open end"),
    ("2025-06-01T00:00:00Z/P", "not an ISO 8601 duration"),
    ("2025-06-01T00:00:00Z/P0D", "zero"),
    ("2025-06-01T00:00:00Z/P1.5M", "fraction of months"),
    ("2025-06-01T00:00:00Z/1D", "not an ISO 8601 date-time"),
    ("a/b/c", "more than one"),
    ("2025-13-01T00:00:00Z/2025-06-01T00:00:00Z", "not an ISO 8601 date-time"),
]


@pytest.mark.parametrize(("text", "words"), REJECTED)
def test_rejections_say_what_is_wrong_and_show_an_example(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        TimeInterval.parse(text)
    err = info.value
    assert err.field == "datetime"
    assert words in err.message
    assert "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z" in err.message  # a valid example


def test_pairs_of_datetimes_and_strings() -> None:
    cest = timezone(timedelta(hours=2))
    interval = TimeInterval.parse((datetime(2025, 6, 1, 2, tzinfo=cest), None))
    assert str(interval) == "2025-06-01T00:00:00Z/.."
    assert TimeInterval.parse(
        ("2025-06-01T00:00:00Z", "2025-06-02T00:00:00Z")
    ).duration == timedelta(days=1)
    with pytest.raises(ValidationError, match="no time zone"):
        TimeInterval.parse((datetime(2025, 6, 1), None))
    with pytest.raises(ValidationError, match="single instant"):
        TimeInterval.parse(utc(2025, 6, 1))
    with pytest.raises(ValidationError, match="expected a string"):
        TimeInterval.parse(42)


def test_contains() -> None:
    interval = TimeInterval.parse("2025-06-01T00:00:00Z/..")
    assert interval.contains(utc(2030, 1, 1))
    assert not interval.contains(utc(2025, 5, 31))
    assert interval.duration is None
