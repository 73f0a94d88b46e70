"""ISO 8601 time intervals, as the STAT ``datetime`` field carries them.

Tasking is paid for, so an interval must mean one thing: every instant needs an explicit offset
(a naive time is rejected rather than guessed to be UTC or local), and the wire form is always
normalised to UTC with a ``Z``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, datetime, timedelta
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from stat_widgets.errors import ValidationError

FIELD = "datetime"
EXAMPLE = "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"
EXAMPLES = (
    f"e.g. {EXAMPLE}, 2025-06-01T00:00:00+02:00/P7D, P1D/2025-06-08T00:00:00Z "
    "or 2025-06-01T00:00:00Z/.. (open end)"
)
OPEN = ("..", "")
_WIRE_INSTANT = r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z|\.\.)"
_WIRE = re.compile(f"^{_WIRE_INSTANT}/{_WIRE_INSTANT}$")

_DURATION = re.compile(
    r"^P(?!$)"
    r"(?:(?P<years>\d+(?:[.,]\d+)?)Y)?"
    r"(?:(?P<months>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<weeks>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?=\d)"
    r"(?:(?P<hours>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?"
    r")?$"
)


def _shown(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut short: an error message quotes the input, not all of it."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _invalid(what: str) -> ValidationError:
    return ValidationError(f"{what}. Use an ISO 8601 interval, {EXAMPLES}.", field=FIELD)


@dataclass(frozen=True)
class Duration:
    """An ISO 8601 duration; years and months are calendar units, applied with clamping
    (Jan 31 + P1M = Feb 28/29), the rest are exact."""

    years: int = 0
    months: int = 0
    delta: timedelta = timedelta(0)

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text.strip().upper())
        if not match:
            raise _invalid(f"{text!r} is not an ISO 8601 duration (e.g. P7D, PT12H, P1M)")
        parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v}
        for unit in ("years", "months"):
            if unit in parts and not parts[unit].is_integer():
                raise _invalid(f"a fraction of {unit} in {text!r} has no fixed length")
        try:
            delta = timedelta(
                weeks=parts.get("weeks", 0),
                days=parts.get("days", 0),
                hours=parts.get("hours", 0),
                minutes=parts.get("minutes", 0),
                seconds=parts.get("seconds", 0),
            )
            years, months = int(parts.get("years", 0)), int(parts.get("months", 0))
        except OverflowError:  # 10^20 days, or more digits than a float holds
            raise _invalid(f"the duration {_shown(text)} is longer than the calendar") from None
        if not (years or months or delta):
            raise _invalid(f"the duration {text!r} is zero")
        return cls(years, months, delta)

    def _shift_months(self, when: datetime, sign: int) -> datetime:
        total = when.year * 12 + (when.month - 1) + sign * (self.years * 12 + self.months)
        year, month = divmod(total, 12)
        day = min(when.day, calendar.monthrange(year, month + 1)[1])
        return when.replace(year=year, month=month + 1, day=day)

    def add_to(self, when: datetime) -> datetime:
        return self._shift_months(when, +1) + self.delta

    def subtract_from(self, when: datetime) -> datetime:
        return self._shift_months(when - self.delta, -1)


def parse_instant(text: str, *, which: str = "time") -> datetime:
    """An RFC 3339 / ISO 8601 date-time with an explicit offset, as an aware UTC datetime."""
    raw = text.strip()
    if "T" not in raw.upper() and " " not in raw:
        if re.fullmatch(r"\d{4}-?\d{2}-?\d{2}", raw):
            raise _invalid(
                f"the {which} {raw!r} is a date without a time and time zone; "
                f"write {raw}T00:00:00Z to mean midnight UTC"
            )
    try:
        value = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise _invalid(f"the {which} {raw!r} is not an ISO 8601 date-time") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise _invalid(
            f"the {which} {raw!r} has no time zone, so it is ambiguous; "
            f"add Z for UTC or an offset such as +02:00"
        )
    return value.astimezone(UTC)


def format_instant(value: datetime) -> str:
    """The wire form: UTC, ``Z``, whole seconds unless there is a fraction."""
    value = value.astimezone(UTC)
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return value.strftime(spec)


def _split_interval(text: str) -> tuple[str, str]:
    """The two sides of ``start/end``, or why there are not two."""
    if not text:
        raise _invalid("the interval is empty")
    if "/" not in text:
        if text.upper().startswith("P"):
            raise _invalid(f"{text!r} is a duration without a start or an end")
        parse_instant(text)  # a precise complaint when it is not even a date-time
        raise _invalid(f"{text!r} is a single instant, not an interval; give a start and an end")
    if text.count("/") > 1:
        raise _invalid(f"{text!r} has more than one '/'")
    left, right = (part.strip() for part in text.split("/"))
    return left, right


def _within_calendar(shown: str, read: Callable[[], TimeInterval]) -> TimeInterval:
    """``read()``, with arithmetic past the calendar's ends (year 1 to 9999: an offset before
    0001-01-01, a duration after 9999-12-31, a duration of 10^20 days) refused by name rather
    than escaping as ``OverflowError``."""
    try:
        return read()
    except ValidationError:
        raise
    except (OverflowError, ValueError):
        raise _invalid(
            f"{shown} reaches outside the calendar (years {MINYEAR} to {MAXYEAR})"
        ) from None


@dataclass(frozen=True)
class TimeInterval:
    """A closed or half-open interval; ``None`` on a side means open (``..``)."""

    start: datetime | None
    end: datetime | None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or value.utcoffset() is None):
                raise _invalid(
                    f"the {name} {value.isoformat()} has no time zone; "
                    "use an aware datetime (e.g. tzinfo=timezone.utc)"
                )
            if value is not None:
                try:
                    object.__setattr__(self, name, value.astimezone(UTC))
                except OverflowError:  # 0001-01-01T00:00:00+01:00 is in year 0 in UTC
                    raise _invalid(
                        f"the {name} {value.isoformat()} is outside the calendar in UTC "
                        f"(years {MINYEAR} to {MAXYEAR})"
                    ) from None
        if self.start is None and self.end is None:
            raise _invalid("both ends are open, so the interval does not restrict anything")
        if self.start is not None and self.end is not None and self.end <= self.start:
            verb = "equals" if self.end == self.start else "is before"
            raise _invalid(
                f"the end {format_instant(self.end)} {verb} the start {format_instant(self.start)}"
            )

    @classmethod
    def parse(cls, value: Any) -> TimeInterval:
        """Accept an interval string, a TimeInterval, or a ``(start, end)`` pair of aware
        datetimes / strings / ``None``."""
        if isinstance(value, TimeInterval):
            return value
        if isinstance(value, tuple | list) and len(value) == 2:
            return _within_calendar(_shown(tuple(value)), lambda: cls._from_pair(value))
        if isinstance(value, datetime):
            raise _invalid(
                f"{format_instant(value)} is a single instant, not an interval; "
                "give a start and an end"
            )
        if not isinstance(value, str):
            raise _invalid(f"expected a string, got {type(value).__name__}")
        return _within_calendar(_shown(value.strip()), lambda: cls._from_text(value))

    @classmethod
    def _from_text(cls, value: str) -> TimeInterval:
        """Our own wire form fast, anything else through the general reading."""
        wire = _WIRE.match(value)
        if wire:
            # as every listed order carries it: no general parsing needed
            start, end = wire.groups()
            try:
                return cls(
                    None if start == ".." else datetime.fromisoformat(start),
                    None if end == ".." else datetime.fromisoformat(end),
                )
            except ValueError as exc:
                if isinstance(exc, ValidationError):
                    raise
                # an impossible date such as month 13: the general path words it
        left, right = _split_interval(value.strip())
        return cls._from_sides(left, right, value.strip())

    @classmethod
    def _from_sides(cls, left: str, right: str, text: str) -> TimeInterval:
        """``start/end``, ``start/duration`` or ``duration/end``, either end open (``..``)."""
        left_is_duration = left.upper().startswith("P")
        right_is_duration = right.upper().startswith("P")
        if left_is_duration and right_is_duration:
            raise _invalid(f"{text!r} has a duration on both sides and no anchor in time")
        if left_is_duration:
            if right in OPEN:
                raise _invalid(f"{text!r} has a duration before an open end")
            end = parse_instant(right, which="end")
            return cls(Duration.parse(left).subtract_from(end), end)
        start = None if left in OPEN else parse_instant(left, which="start")
        if right_is_duration:
            if start is None:
                raise _invalid(f"{text!r} has a duration after an open start")
            return cls(start, Duration.parse(right).add_to(start))
        end = None if right in OPEN else parse_instant(right, which="end")
        return cls(start, end)

    @classmethod
    def _from_pair(cls, value: tuple | list) -> TimeInterval:
        """``(start, end)``: each a datetime, a date-time string, ``None`` or ``..``."""
        start, end = (
            None
            if v is None or (isinstance(v, str) and v in OPEN)
            else parse_instant(v, which=w)
            if isinstance(v, str)
            else v
            for v, w in zip(value, ("start", "end"), strict=True)
        )
        if not all(v is None or isinstance(v, datetime) for v in (start, end)):
            raise _invalid("a (start, end) pair needs datetimes, strings or None")
        return cls(start, end)

    def __str__(self) -> str:
        start = ".." if self.start is None else format_instant(self.start)
        end = ".." if self.end is None else format_instant(self.end)
        return f"{start}/{end}"

    @property
    def duration(self) -> timedelta | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start

    def contains(self, when: datetime) -> bool:
        when = when.astimezone(UTC)
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, when_used="json-unless-none"
            ),
            json_schema_input_schema=core_schema.str_schema(),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "format": "iso8601-interval", "examples": [EXAMPLE]}
