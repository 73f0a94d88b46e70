"""``FormFrame``: how an ``OrderForm`` lays out its sections. One box per section under its
heading, then the review; the headings are numbered among the sections that apply (one that
does not apply is hidden, so the numbers have no gaps), and every box carries a CSS class unique
to the form and the section's field, which the reason list's buttons scroll into view (two forms
in one notebook never point at each other's boxes).

The form decides what applies and what the reasons are; this only shows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from stat_widgets.widgets import _form_parts as parts


class FormFrame:
    """The headings and boxes of one form's sections and of its review."""

    def __init__(self, sections: Sequence[Any], review: widgets.Widget) -> None:
        #: A CSS class unique to this form, for the reason buttons to find its sections.
        self.anchor = f"stat-widgets-form-{uuid.uuid4().hex[:12]}"
        self.headings = [parts.heading(s.title) for s in sections]
        #: One box per section, in the order of ``sections``.
        self.boxes = [self._box(s, h) for s, h in zip(sections, self.headings, strict=True)]
        self.review_heading = parts.heading("Review and submit")
        self.review_box = widgets.VBox([self.review_heading, review])
        self.review_box.add_class(self.target(parts.REVIEW))

    @property
    def children(self) -> list[widgets.Widget]:
        """What the form shows, top to bottom (after its draft bar, if any)."""
        return [*self.boxes, self.review_box]

    def target(self, field: str) -> str:
        """The CSS class of the box of the section that fills ``field`` (or ``REVIEW``)."""
        return f"{self.anchor}-{field}"

    def _box(self, section: Any, heading: widgets.HTML) -> widgets.VBox:
        box = widgets.VBox([heading, section.widget])
        box.add_class("stat-widgets-section")
        box.add_class(self.target(section.field))
        return box

    def show(self, sections: Sequence[Any]) -> None:
        """Show the sections that apply (``section.applies``), numbered; hide the others."""
        number = 0
        for section, heading, box in zip(sections, self.headings, self.boxes, strict=True):
            for shown in (box, section.widget):
                shown.layout.display = None if section.applies else "none"
            if section.applies:
                number += 1
                heading.value = parts.heading_html(f"{number}. {section.title}")
        self.review_heading.value = parts.heading_html(f"{number + 1}. Review and submit")


__all__ = ["FormFrame"]
