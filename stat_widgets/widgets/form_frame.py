"""``FormFrame``: how an ``OrderForm`` lays out its sections. One box per section under its
heading, then the review; the headings are numbered among the sections that apply (one that
does not apply is hidden, so the numbers have no gaps), and every box carries a CSS class, and
its heading an element id, unique to the form and the section's field: the reason list's links
go to the heading (two forms in one notebook never point at each other's sections).

The form decides what applies and what the reasons are; this only shows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from stat_widgets.widgets import _form_parts as parts
from stat_widgets.widgets._shared import is_shared


class FormFrame:
    """The headings and boxes of one form's sections and of its review.

    Made once the sections know the product (``applies``), so each heading and box is created
    numbered and shown or hidden as it starts, rather than changed by an update right after;
    the review's box is added when the review is made (``add_review``)."""

    def __init__(self, sections: Sequence[Any]) -> None:
        #: Unique to this form: the start of its boxes' CSS classes and its headings' ids.
        self.anchor = f"stat-widgets-form-{uuid.uuid4().hex[:12]}"
        titles = _numbered(sections)
        self.headings = [
            parts.heading(t or s.title, self.target(s.field))
            for s, t in zip(sections, titles, strict=True)
        ]
        #: One box per section, in the order of ``sections``.
        self.boxes = [self._box(s, h) for s, h in zip(sections, self.headings, strict=True)]
        self.review_heading = parts.heading(_review_title(titles), self.target(parts.REVIEW))
        self.review_box: widgets.VBox | None = None

    def add_review(self, review: widgets.Widget) -> None:
        """The review's box, under the sections' boxes (sharing the review's own layout, as a
        section's box does)."""
        layout = review.layout if not is_shared(review.layout) else widgets.Layout()
        classes = (self.target(parts.REVIEW),)
        self.review_box = widgets.VBox(
            [self.review_heading, review], layout=layout, _dom_classes=classes
        )

    @property
    def children(self) -> list[widgets.Widget]:
        """What the form shows, top to bottom (after its draft bar, if any)."""
        assert self.review_box is not None, "add_review(review) first"
        return [*self.boxes, self.review_box]

    def target(self, field: str) -> str:
        """The CSS class of the box of the section that fills ``field`` (or ``REVIEW``), and the
        element id of its heading."""
        return f"{self.anchor}-{field}"

    def _box(self, section: Any, heading: widgets.HTML) -> widgets.VBox:
        """The section's box, hidden while the section does not apply. It shares the layout of
        the section's widget when that is the widget's own (one model fewer, and one update
        when the section shows or hides), so hiding one hides both. A section that does not
        apply yet gets its heading and widget in the box when it first does (``show``): the
        browser builds no views for what it would only hide (the order parameters of a STAT
        server: four views, ~1.5 ms each of first paint)."""
        display = None if section.applies else "none"
        layout = section.widget.layout
        if is_shared(layout):  # a layout other widgets use too is never hidden
            layout = widgets.Layout(display=display)
        layout.display = display  # (the section's own layout: as it was made, normally)
        classes = ("stat-widgets-section", self.target(section.field))
        return SectionBox((heading, section.widget), section.applies, layout, classes)

    def show(self, sections: Sequence[Any]) -> None:
        """Show the sections that apply (``section.applies``), numbered; hide the others."""
        titles = _numbered(sections)
        for section, title, heading, box in zip(
            sections, titles, self.headings, self.boxes, strict=True
        ):
            box.layout.display = None if section.applies else "none"
            if section.applies:
                box.fill()
            if title:
                heading.value = parts.heading_html(title, self.target(section.field))
        review = parts.heading_html(_review_title(titles), self.target(parts.REVIEW))
        self.review_heading.value = review


class SectionBox(widgets.VBox):
    """A section's box: its heading and widget, shown from the start or, for a section that
    does not apply yet, once ``fill`` is called; until then they are closed with the box
    (``_lifecycle.close_tree`` reaches them through ``_closes_with``)."""

    def __init__(
        self, content: tuple[widgets.Widget, ...], shown: bool, layout: Any, classes: Any
    ) -> None:
        self._content = content
        super().__init__(content if shown else (), layout=layout, _dom_classes=classes)

    def fill(self) -> None:
        """Show the heading and the widget (once; later calls change nothing)."""
        if not self.children:
            self.children = self._content

    def _closes_with(self) -> tuple[widgets.Widget, ...]:
        return () if self.children else self._content


def _numbered(sections: Sequence[Any]) -> list[str]:
    """Each applying section's heading, numbered among the applying ones; "" for the others."""
    titles, number = [], 0
    for section in sections:
        if section.applies:
            number += 1
        titles.append(f"{number}. {section.title}" if section.applies else "")
    return titles


def _review_title(titles: list[str]) -> str:
    """The review's heading, numbered after the applying sections (``_numbered``)."""
    return f"{len([t for t in titles if t]) + 1}. Review and submit"


__all__ = ["FormFrame", "SectionBox"]
