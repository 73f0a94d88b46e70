"""The section contract: every section of the form speaks it, and a new section is one class
plus one list entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets as widgets
import pytest
import traitlets

from stat_widgets.models import OrderRequest, Product
from stat_widgets.widgets import OrderForm
from stat_widgets.widgets._errors import ErrorLabel, ErrorNote
from stat_widgets.widgets.order_form import SECTIONS
from stat_widgets.widgets.section import (
    Section,
    SectionContext,
    as_request_data,
    create_order_keywords,
)

from ._shapes import LARGE
from .conftest import fixed_now
from .test_order_form import fill


class CostSection(traitlets.HasTraits):
    """A toy section: the person confirms the cost before the order can be made. Its value
    gates the order but is never sent (it names no ``create_order`` keyword); it remembers the
    request it was last told."""

    field, title = "cost", "Cost"
    value = traitlets.Any(None)
    error = traitlets.Unicode("")

    def __init__(self, context: SectionContext) -> None:
        super().__init__()
        self.context = context
        self.box = widgets.Checkbox(description="I accept the cost of this tasking")
        self.feedback = ErrorLabel()
        self.widget = widgets.VBox([self.box, self.feedback])
        self.product: Product | None = None
        self.told: OrderRequest | None = None
        self.box.observe(lambda c: setattr(self, "value", True if c.new else None), "value")

    @property
    def missing(self) -> str:
        return "" if self.box.value else "a confirmation of the cost"

    @property
    def applies(self) -> bool:
        return self.product is not None

    def set_product(self, product: Product | None) -> None:
        self.product = product

    def set_request(self, request: OrderRequest | None) -> None:
        self.told = request


class CostForm(OrderForm):
    SECTIONS = (*SECTIONS, CostSection)


def test_every_section_speaks_the_contract(form: OrderForm) -> None:
    fields = [s.field for s in form.sections]
    assert fields == [
        "geometry",
        "product_id",
        "datetime",
        "filter",
        "order_parameters",
        "opportunity",
    ]
    for section in form.sections:
        assert isinstance(section, Section), section
        if isinstance(section.feedback, ErrorNote):  # shown by the section's own front end
            section.feedback.message = "a message routed here"
            assert "a message routed here" in section.notes_text
            section.feedback.message = ""
        else:  # a label of the section's widget, in the page while it says something
            section.feedback.message = "a message routed here"
            assert section.feedback in _tree(section.widget)
            section.feedback.message = ""
            assert section.feedback not in _tree(section.widget)
    assert form.aoi is form.section("geometry").widget
    assert form.product_picker.feedback is form.section("product_id").feedback


@pytest.fixture
def cost_form(stat_url: str) -> Iterator[CostForm]:
    form = CostForm(stat_url, basemap=False, now=fixed_now)
    yield form
    form.close()


def test_a_new_section_is_one_class_and_one_list_entry(cost_form: CostForm) -> None:
    form = cost_form
    cost = form.section("cost")
    assert isinstance(cost, Section)
    assert cost.widget not in _tree(form)  # it applies once there is a product (its box waits)
    fill(form)
    assert cost.widget in _tree(form)
    # The form told the new section the product, and it blocks the order until confirmed.
    assert cost.product is not None and cost.product.id == "optical-vhr"
    assert form.request is None
    assert "Still needed: a confirmation of the cost." in form.review.status.value
    assert form.reasons == ["Cost: still needed"]
    # order parameters do not apply to a STAT product; opportunities say it has no search
    assert "5. Opportunities (optional)" in _headings(form)
    assert "6. Cost" in _headings(form)
    assert "7. Review and submit" in _headings(form)

    cost.box.value = True
    assert form.request is not None and cost.told is form.request
    assert form.reasons == []
    assert as_request_data(form.sections)["cost"] is True
    assert create_order_keywords(form.sections) == {}  # not sent: it names no create_order keyword
    order = form.submit()
    assert order.request is not None and order.request.product_id == "optical-vhr"

    # Errors come back by field: a section's own error blocks the order and is listed.
    cost.error = "the budget for this month is spent"
    assert form.request is None
    assert form.reasons == ["Cost: the budget for this month is spent"]


def test_a_section_box_gets_its_heading_and_widget_when_the_section_first_applies(
    stat_url: str,
) -> None:
    """The browser builds no views for a section that only hides (``SectionBox``): its box
    starts empty, is filled once, keeps them while hidden again, and closes them either way."""
    form = CostForm(stat_url, basemap=False, now=fixed_now)
    cost = form.section("cost")
    box = form._frame.boxes[form.sections.index(cost)]
    try:
        assert box.children == () and box.layout.display == "none"
        fill(form)
        assert box.children == (form._frame.headings[-1], cost.widget)
        assert box.layout.display is None
        form.product_picker.value = None  # hidden again: the content stays, only hidden
        assert box.children == (form._frame.headings[-1], cost.widget)
        assert box.layout.display == "none"
    finally:
        form.close()
    assert cost.widget.comm is None and box.comm is None
    never = CostForm(stat_url, basemap=False, now=fixed_now)  # closed before it ever applied
    cost = never.section("cost")
    never.close()
    assert cost.widget.comm is None and never._frame.headings[-1].comm is None


def test_sections_that_do_not_apply_are_hidden_and_not_sent(form: OrderForm) -> None:
    fill(form)
    params = form.section("order_parameters")
    assert not params.applies
    assert params.widget.layout.display == "none"
    assert "order_parameters" not in as_request_data(form.sections)
    assert create_order_keywords(form.sections) == {}


def test_limits_are_said_once_under_the_map(form: OrderForm) -> None:
    fill(form, product_id="optical-stereo-video", ring=LARGE)
    label = form.aoi.feedback
    assert label is form.aoi.error_label  # one label for the AOI
    assert label.text.count("above the limit of 500 km²") == 1
    assert form.reasons[0].startswith("Area of interest: ")
    assert "above the limit of 500 km²" in form.reasons[0]
    assert form.aoi.geometry is not None and form.request is None


def test_the_interval_is_told_the_dialect_not_reached_into(form: OrderForm) -> None:
    assert form.context.dialect == "stat"
    assert form.interval.allow_open_end and not form.interval.open_end.disabled


def _tree(root: Any) -> list[Any]:
    found = [root]
    for child in getattr(root, "children", ()) or ():
        found += _tree(child)
    return found


def _headings(form: OrderForm) -> str:
    return " ".join(w.value for w in _tree(form) if isinstance(w, widgets.HTML))
