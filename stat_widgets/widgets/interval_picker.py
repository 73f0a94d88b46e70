"""The ``datetime`` of the order: a start, an end (or an open end) and an explicit time zone.

The pickers hold wall-clock times in the chosen zone; the interval sent is normalised to UTC by
``TimeInterval``, and shown as it will be sent, so that nobody has to guess what "9:00" meant.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import ValidationError
from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets._errors import ErrorLabel, describe
from stat_widgets.widgets._lifecycle import ClosesTree, ShowsWhenFilled
from stat_widgets.widgets._traits import LazyInstance

if TYPE_CHECKING:
    from stat_widgets.models import TimeInterval

#: The models load on first use (pydantic), not when a notebook imports the widgets.
_INTERVAL = "stat_widgets.models.interval.TimeInterval"

#: Quick choices: label → length of the interval, starting at the next whole minute.
PRESETS: dict[str, timedelta] = {
    "Next 24 h": timedelta(hours=24),
    "Next 7 days": timedelta(days=7),
    "Next 30 days": timedelta(days=30),
}


@functools.cache
def _timezones() -> tuple[str, ...]:
    """UTC first, then every IANA zone, sorted. From the ``tzdata`` package's index of its
    zones (one small file) when it is installed: ``zoneinfo.available_timezones()`` opens every
    file under the system's zone directory, about 0.1 s that a form's first display waited for."""
    try:
        listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    except (ModuleNotFoundError, OSError):
        listed = list(zoneinfo.available_timezones())
    zones = sorted(z for z in set(listed) if z not in ("UTC", "localtime"))
    return ("UTC", *zones)


_NO_START = "Choose a start, or a preset."


def _open_end_label(allowed: bool) -> str:
    return "Open end (no end date)" if allowed else "Open end (not supported by this server)"


def _system_now() -> datetime:
    return datetime.now(UTC)


def _next_minute(moment: datetime) -> datetime:
    """``moment`` rounded up to a whole minute, so a preset never starts in the past by the time
    the order reaches the server."""
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=1)


class IntervalPicker(ShowsWhenFilled, ClosesTree, widgets.VBox):
    """Start and end date-times in an explicit time zone, presets and an open end."""

    #: The interval to send, or ``None`` while incomplete or invalid (``error`` says why).
    value = LazyInstance(
        _INTERVAL,
        allow_none=True,
        default_value=None,
        help="the interval to send, or None while incomplete or invalid (error says why)",
    )
    error = traitlets.Unicode("", help="why the chosen interval cannot be used, or ''")
    allow_open_end = traitlets.Bool(
        True, help="whether the server takes an interval without an end (STAPI servers do not)"
    )

    def __init__(
        self,
        *,
        now: Callable[[], datetime] = _system_now,
        timezone: str = "UTC",
        allow_open_end: bool = True,
        **kwargs: Any,
    ) -> None:
        self._now = now
        self.timezone = widgets.Dropdown(
            options=_timezones(), value=timezone, description="Time zone", **_shared.plain()
        )
        self.start = widgets.NaiveDatetimePicker(description="Start", **_shared.plain())
        self.end = widgets.NaiveDatetimePicker(description="End", **_shared.plain())
        self.open_end = widgets.Checkbox(  # not indented, as wide as its text: never cut off
            value=False,
            description=_open_end_label(allow_open_end),
            disabled=not allow_open_end,
            indent=False,
            layout=_shared.shared("layout_auto"),  # never changed later
        )
        self.preset_buttons = {
            label: _shared.button(description=label, tooltip=f"From now, {label.lower()}")
            for label in PRESETS
        }
        self.iso = _shared.html(_html.muted(_NO_START))  # as ``_recompute`` finds it now
        #: The one label for the interval: what is wrong with it (``error``) and messages about
        #: ``datetime`` from the request validation or the server.
        self.feedback = ErrorLabel()
        self.error_label = self.feedback  # the same label, under its older name
        content = [
            _shared.hbox(list(self.preset_buttons.values())),
            self.timezone,
            _shared.hbox([self.start, self.end, self.open_end]),
            self.iso,
            self.feedback,
        ]
        super().__init__(
            self._shown_when_filled(content, self.feedback),
            allow_open_end=allow_open_end,
            **kwargs,
        )
        self._syncing = False
        self._setting = False
        for label, button in self.preset_buttons.items():
            button.on_click(lambda _b, label=label: self.apply_preset(label))
        for control in (self.timezone, self.start, self.end, self.open_end):
            control.observe(self._on_controls, names="value")
        self._recompute()

    # -- public Python paths -------------------------------------------------------------------

    def apply_preset(self, label: str) -> TimeInterval | None:
        """From the next whole minute for the preset's length, in the chosen time zone."""
        length = PRESETS[label]
        zone = zoneinfo.ZoneInfo(self.timezone.value)
        start = _next_minute(self._now().astimezone(zone))
        end = (start.astimezone(UTC) + length).astimezone(zone)
        self._set_controls(start.replace(tzinfo=None), end.replace(tzinfo=None), open_end=False)
        return self.value

    def set_interval(self, interval: Any) -> TimeInterval | None:
        """Anything ``TimeInterval.parse`` accepts (``"2025-06-01T00:00:00Z/P7D"``, a pair of
        aware datetimes, a ``TimeInterval``), shown in the chosen time zone."""
        from stat_widgets.models import TimeInterval

        try:
            parsed = TimeInterval.parse(interval)
        except ValidationError as exc:
            self._show(None, describe(exc.errors, field_prefix="datetime"))
            return None
        zone = zoneinfo.ZoneInfo(self.timezone.value)

        def local(moment: datetime | None) -> datetime | None:
            return None if moment is None else moment.astimezone(zone).replace(tzinfo=None)

        self._set_controls(local(parsed.start), local(parsed.end), open_end=parsed.end is None)
        return self.value

    @traitlets.observe("value")
    def _on_value_assigned(self, change: dict[str, Any]) -> None:
        """``picker.value = TimeInterval(...)`` from user code updates the controls."""
        if self._setting:
            return
        if change["new"] is None:
            self._set_controls(None, None, open_end=False)
        else:
            self.set_interval(change["new"])

    @traitlets.observe("allow_open_end")
    def _on_allow_open_end(self, change: dict[str, Any]) -> None:
        allowed = bool(change["new"])
        self.open_end.disabled = not allowed
        self.open_end.description = _open_end_label(allowed)
        if not allowed and self.open_end.value:
            self.open_end.value = False

    def refuse(self, message: str) -> None:
        """Keep the controls as they are but make the interval unusable, saying why (a restored
        draft whose interval is now in the past); any change of the controls clears it."""
        self._show(None, message)

    # -- state ---------------------------------------------------------------------------------

    def _set_controls(
        self, start: datetime | None, end: datetime | None, *, open_end: bool
    ) -> None:
        self._syncing = True
        try:
            self.start.value = start
            self.end.value = end
            self.open_end.value = open_end
        finally:
            self._syncing = False
        self._recompute()

    def _on_controls(self, change: dict[str, Any]) -> None:
        if change["owner"] is self.open_end:
            self.end.disabled = bool(change["new"])
        if not self._syncing:
            self._recompute()

    def _recompute(self) -> None:
        self.end.disabled = self.open_end.value
        zone = zoneinfo.ZoneInfo(self.timezone.value)
        start, end = self.start.value, self.end.value
        if start is None:
            self._show(None, "", hint=_NO_START)
            return
        if end is None and not self.open_end.value:
            self._show(None, "", hint="Choose an end, or tick “Open end”.")
            return
        pair = (
            start.replace(tzinfo=zone),
            None if self.open_end.value else end.replace(tzinfo=zone),
        )
        from stat_widgets.models import TimeInterval

        try:
            interval = TimeInterval.parse(pair)
        except ValidationError as exc:
            self._show(None, describe(exc.errors, field_prefix="datetime"))
            return
        self._show(interval, "")

    def _show(self, interval: TimeInterval | None, error: str, *, hint: str = "") -> None:
        self._setting = True
        try:
            with self.hold_trait_notifications():
                self.value = interval
                self.error = error
        finally:
            self._setting = False
        self.feedback.own = error
        self.feedback.message = ""
        if interval is not None:
            self.iso.value = "Sent as (ISO 8601, UTC): " + _html.inline_code(interval)
        else:
            self.iso.value = _html.muted(hint)


__all__ = ["PRESETS", "IntervalPicker"]
