"""Small pieces of ``OrderForm`` that need none of its state: headings, the widget tree, the
review's words for a section, and what the status line and the reason list say."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from stat_widgets.widgets import _html, _shared

#: The field of the reason that names no section (the server's general complaints).
REVIEW = "review"


def heading_html(text: str, anchor: str) -> str:
    """A section's numbered heading; ``anchor`` is its element id, which the reason list's
    links go to (``reasons.ReasonList``)."""
    return (
        f'<h4 id="{_html.escape(anchor)}" class="stat-widgets-heading" '
        f"style='margin: 0.8em 0 0.2em 0'>{_html.escape(text)}</h4>"
    )


def heading(text: str, anchor: str) -> widgets.HTML:
    """A section's heading: sent with its box's content (a section that does not apply yet
    sends neither until it does)."""
    return _shared.optional_html(heading_html(text, anchor))


def descendants(root: widgets.Widget) -> list[widgets.Widget]:
    """Every widget inside ``root`` (children of boxes and tabs, and the map's layers and
    controls), deepest first."""
    found: list[widgets.Widget] = []
    for name in ("children", "layers", "controls"):
        for child in getattr(root, name, ()) or ():
            if isinstance(child, widgets.Widget):
                found += [*descendants(child), child]
    return found


def summary_of(section: Any) -> str:
    """A section's value in words for the review (its ``summary`` when it has one)."""
    summary = getattr(section, "summary", None)
    if isinstance(summary, str):
        return summary
    return "—" if section.value is None else str(section.value)


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as it compares after a JSON round trip (tuples as lists, models dumped)."""
    return json.loads(json.dumps(data, default=_dump))


def _dump(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if callable(dump) else str(value)


def reasons(applying: Sequence[Any], general: str) -> list[tuple[str, str]]:
    """What stops the order as ``(text, field)``: one per section whose label says something
    (its own error or what the models or server said) or that still needs input, then the
    messages that name no field (``general``, under ``REVIEW``)."""
    found = []
    for section in applying:
        said = section.feedback.text or section.error
        if said:
            found.append((f"{section.title}: {said}", section.field))
        elif section.missing:
            found.append((f"{section.title}: still needed", section.field))
    if general:
        found.append((general, REVIEW))
    return found


__all__ = [
    "REVIEW",
    "descendants",
    "heading",
    "heading_html",
    "jsonable",
    "reasons",
    "summary_of",
]
