"""The interval picker: presets, explicit time zones, open end, and the interval shown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stat_widgets.models import TimeInterval
from stat_widgets.widgets import IntervalPicker

from .conftest import fixed_now


@pytest.fixture
def picker() -> IntervalPicker:
    return IntervalPicker(now=fixed_now)


def test_starts_empty_in_utc(picker: IntervalPicker) -> None:
    assert picker.value is None
    assert picker.error == ""
    assert picker.timezone.value == "UTC"
    assert "Choose a start" in picker.iso.value


@pytest.mark.parametrize(
    ("label", "end"),
    [
        ("Next 24 h", "2031-03-02T09:31:00Z"),
        ("Next 7 days", "2031-03-08T09:31:00Z"),
        ("Next 30 days", "2031-03-31T09:31:00Z"),
    ],
)
def test_presets_start_at_the_next_minute(picker: IntervalPicker, label: str, end: str) -> None:
    picker.preset_buttons[label].click()
    assert str(picker.value) == f"2031-03-01T09:31:00Z/{end}"
    assert str(picker.value) in picker.iso.value


def test_preset_in_another_time_zone_shows_local_wall_time(picker: IntervalPicker) -> None:
    picker.timezone.value = "Asia/Tokyo"
    picker.preset_buttons["Next 24 h"].click()
    assert picker.start.value == datetime(2031, 3, 1, 18, 31)  # UTC+9
    assert str(picker.value) == "2031-03-01T09:31:00Z/2031-03-02T09:31:00Z"


def test_typed_times_are_in_the_chosen_zone(picker: IntervalPicker) -> None:
    picker.start.value = datetime(2031, 7, 1, 8, 0)
    picker.end.value = datetime(2031, 7, 2, 8, 0)
    assert str(picker.value) == "2031-07-01T08:00:00Z/2031-07-02T08:00:00Z"
    picker.timezone.value = "Europe/Berlin"  # summer time: UTC+2
    assert str(picker.value) == "2031-07-01T06:00:00Z/2031-07-02T06:00:00Z"


def test_open_end(picker: IntervalPicker) -> None:
    picker.start.value = datetime(2031, 7, 1, 8, 0)
    assert picker.value is None
    assert "Open end" in picker.iso.value
    picker.open_end.value = True
    assert picker.end.disabled
    assert str(picker.value) == "2031-07-01T08:00:00Z/.."


def test_end_before_start_gets_the_model_message(picker: IntervalPicker) -> None:
    picker.start.value = datetime(2031, 7, 2, 8, 0)
    picker.end.value = datetime(2031, 7, 1, 8, 0)
    assert picker.value is None
    assert "is before the start" in picker.error
    assert "is before the start" in picker.error_label.value
    picker.end.value = datetime(2031, 7, 3, 8, 0)
    assert picker.error == ""
    assert picker.value is not None


def test_set_interval_from_text(picker: IntervalPicker) -> None:
    picker.set_interval("2031-06-01T00:00:00+02:00/P1D")
    assert picker.value == TimeInterval(
        datetime(2031, 5, 31, 22, tzinfo=UTC), datetime(2031, 6, 1, 22, tzinfo=UTC)
    )
    assert picker.start.value == datetime(2031, 5, 31, 22, 0)


def test_set_interval_rejects_naive_text(picker: IntervalPicker) -> None:
    assert picker.set_interval("2031-06-01T00:00:00/2031-06-02T00:00:00Z") is None
    assert "no time zone" in picker.error


def test_assigning_the_trait_updates_the_controls(picker: IntervalPicker) -> None:
    picker.value = TimeInterval.parse("2031-06-01T00:00:00Z/..")
    assert picker.start.value == datetime(2031, 6, 1)
    assert picker.open_end.value is True
    assert str(picker.value) == "2031-06-01T00:00:00Z/.."
    picker.value = None
    assert picker.start.value is None


def test_the_zone_list_is_every_iana_zone_utc_first_each_loadable() -> None:
    """Read from tzdata's index: the zones the machine knows, UTC first, nothing that is not a
    zone (the system's ``localtime`` link), and each one usable as the picker's zone."""
    import zoneinfo

    zones = IntervalPicker(now=fixed_now).timezone.options
    assert zones[0] == "UTC" and "Europe/Berlin" in zones and "localtime" not in zones
    assert list(zones[1:]) == sorted(zones[1:]) and len(set(zones)) == len(zones)
    known = zoneinfo.available_timezones() - {"localtime"}
    assert len(known - set(zones)) <= 5  # the system's zone files and tzdata's release agree
    for name in zones:
        zoneinfo.ZoneInfo(name)
