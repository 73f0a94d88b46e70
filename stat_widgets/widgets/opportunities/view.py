"""What the opportunity section shows in its table's front end, for each state: the buttons
(``controls``), the line beside them (``status_line``) and the lines under them (``notes``).
Plain functions of the section, kept apart so ``section.py`` holds the behaviour only."""

from __future__ import annotations

from typing import Any

from stat_widgets.widgets.opportunities.rows import window_text, zone
from stat_widgets.widgets.opportunities.timeline import timeline_spec

#: ``state`` values: what the section is doing, for tests and the form.
UNAVAILABLE, WAITING, READY, SEARCHING, DONE, STALE, FAILED = (
    "unavailable",
    "waiting",
    "ready",
    "searching",
    "done",
    "stale",
    "failed",
)
NO_SEARCH = "This server has no opportunity search; the order is placed without a window."


def look(self: Any) -> dict[str, Any]:
    """The table's timeline, controls, status and notes for the section's current state
    (which this settles first)."""
    available = self.searchable
    if not available:
        self.state = UNAVAILABLE if self.state != SEARCHING else self.state
    elif self.state in (UNAVAILABLE, WAITING, READY):
        self.state = READY if self._request is not None else WAITING
    shown = available and self.outcome is not None and self.outcome.error is None
    return {
        "timeline": timeline_spec(self.outcome.request.datetime) if shown else {},
        "controls": controls(self),
        "status": status_line(self),
        "notes": notes(self),
    }


def controls(self: Any) -> list[dict[str, Any]]:
    """The buttons and the zone select above the table, for the section's state."""
    if self.state == UNAVAILABLE:
        return []  # one line, no buttons
    searching, stale = self.state == SEARCHING, self.state == STALE
    find = {
        "name": "find",
        "kind": "button",
        "label": "Search again" if stale else "Find opportunities",
        "disabled": searching or self._request is None or self.state == UNAVAILABLE,
        "pressed": stale,
        "title": "Search the windows for the area, product, interval and filters above",
    }
    controls = [find]
    if searching:
        controls.append({"name": "cancel", "kind": "button", "label": "Cancel"})
    controls.append(
        {
            "name": "zone",
            "kind": "select",
            "label": "Time zone",
            "choices": self._zones,
            "value": self.time_zone,
        }
    )
    return controls


def status_line(self: Any) -> str:
    """The line beside the buttons: progress, counts, what is still needed."""
    if self.state == UNAVAILABLE:
        return NO_SEARCH
    if self.state == SEARCHING:
        return self._status
    if self.state == WAITING:
        problem = f" ({self._request_problem})" if self._request_problem else ""
        return f"Needs a valid area, product and closed interval{problem}."
    if self.state == READY:
        note, self._note = self._note, ""
        return note or "When can this be imaged? Search before ordering."
    if self.state in (DONE, STALE) and self.outcome is not None:
        found = len(self.opportunities)
        return f"{found} window{'s' if found != 1 else ''} found in {self.outcome.seconds:.1f} s."
    return ""


def notes(self: Any) -> list[dict[str, Any]]:
    """The lines under the buttons: the error with Retry, staleness, advice, the choice."""
    notes: list[dict[str, Any]] = []
    if self.feedback.text:  # what the form said about this section's field
        notes.append({"text": self.feedback.text, "kind": "error"})
    if self._error and self.state == FAILED:
        notes.append({"text": self._error, "kind": "error", "action": "retry", "label": "Retry"})
    if self.state == STALE:
        note, self._note = self._note, ""
        notes.append(
            {
                "text": f"{note} The request changed since this search: these windows may "
                "no longer fit. Search again to choose one.".strip(),
                "kind": "error",
            }
        )
    if self.state in (DONE, STALE):
        notes += [{"text": line, "kind": "muted"} for line in self._advice]
    chosen = self.value
    if chosen is not None:
        text = window_text(chosen, zone(self.time_zone))
        notes.append(
            {
                "text": f"Order this opportunity: {text}",
                "kind": "chosen",
                "action": "unchoose",
                "label": "Order without a window",
            }
        )
    return notes


__all__ = ["NO_SEARCH", "controls", "look", "notes", "status_line"]
