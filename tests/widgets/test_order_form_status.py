"""The form says where it stands next to the Submit button: what is missing or wrong (each item
a button to its section), and a previous order is labelled as such once the request changes."""

from __future__ import annotations

from stat_widgets.widgets import OrderForm

from ._shapes import LARGE, SQUARE
from .test_order_form import draw, fill


def _targets(form: OrderForm) -> list[str]:
    return [item["target"] for item in form.review.reasons.items]


def _classes(form: OrderForm) -> dict[str, tuple[str, ...]]:
    return {
        s.field: box._dom_classes for s, box in zip(form.sections, form._frame.boxes, strict=True)
    }


def test_the_reason_list_names_each_missing_section_and_points_at_it(form: OrderForm) -> None:
    assert form.review.reasons.texts == [
        "Area of interest: still needed",
        "Product: still needed",
        "Time interval: still needed",
    ]
    classes = _classes(form)
    for target, field in zip(_targets(form), ["geometry", "product_id", "datetime"], strict=True):
        assert target in classes[field]  # the button scrolls to that section's box
        assert target.startswith("stat-widgets-form-")
    assert "No request yet: the order is incomplete: still needed an area of interest" in (
        form.review.preview.value
    )
    draw(form, SQUARE)
    form.product_picker.select("optical-vhr")
    assert form.review.reasons.texts == ["Time interval: still needed"]
    form.interval.preset_buttons["Next 7 days"].click()
    assert form.review.reasons.items == [] and not form.review.submit_button.disabled


def test_what_is_wrong_is_listed_next_to_the_button_not_above(form: OrderForm) -> None:
    fill(form, product_id="optical-stereo-video", ring=LARGE)
    status = form.review.status.value
    assert "above" not in status.replace("listed below", "") and "Fix the messages" not in status
    assert "Not ready to submit" in status
    (reason,) = form.review.reasons.texts
    assert reason.startswith("Area of interest: ") and "above the limit of 500 km²" in reason
    assert "the order is not valid: Area of interest:" in form.review.preview.value
    assert _targets(form)[0] in _classes(form)["geometry"]


def test_two_forms_have_their_own_targets(form: OrderForm, make_form, stat_url: str) -> None:
    other = make_form(stat_url)
    assert set(_targets(form)).isdisjoint(_targets(other))


def test_a_previous_order_is_labelled_once_the_request_changes(form: OrderForm) -> None:
    fill(form)
    order = form.submit()
    assert "Order submitted." in form.review.result.value
    assert order.id in form.review.result.value

    form.filters.rows[0].value_widget.value = 10  # a different request
    result = form.review.result.value
    assert "Previous order" in result and order.id in result
    assert "Order submitted." not in result
    assert not form.review.submit_button.disabled

    form.aoi.clear()  # no request at all: still the previous order, next to what is missing
    assert "Previous order" in form.review.result.value
    assert form.review.reasons.texts == ["Area of interest: still needed"]

    draw(form, SQUARE)
    form.filters.rows[0].value_widget.value = 20  # the submitted request again
    assert "Order submitted." in form.review.result.value
    assert form.review.submit_button.disabled


def test_each_reason_links_to_its_sections_heading_and_stays_text(form: OrderForm) -> None:
    """The list is in-page links (``href="#id"``), and each id is on exactly one heading: the
    heading of the section the item is about. A server's text in an item is shown as text."""
    html = form.review.reasons.value
    headings = {s.field: h.value for s, h in zip(form.sections, form._frame.headings, strict=True)}
    for target, field in zip(_targets(form), ["geometry", "product_id", "datetime"], strict=True):
        assert f'href="#{target}"' in html
        assert f'id="{target}"' in headings[field]
        assert all(f'id="{target}"' not in v for f, v in headings.items() if f != field)
    form.review.reasons.items = [{"text": "<img src=x onerror=alert(1)>", "target": "x"}]
    assert "<img" not in form.review.reasons.value and "&lt;img" in form.review.reasons.value
    form.review.reasons.items = []
    assert form.review.reasons.value == ""
