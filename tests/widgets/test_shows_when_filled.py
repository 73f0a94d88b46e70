"""Labels and text lines that are often empty are in the page only while they say something
(``_lifecycle.ShowsWhenFilled``): an empty one was a blank line and a view the browser built
for nothing. They come back in their place, and close with their box either way. Their models
go to the browser only when they first show (``_shared.OpensWhenShown``), with what they say
by then."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import comm
import ipywidgets as widgets
import pytest

from stat_widgets import AOIMap, FilterBuilder
from stat_widgets.widgets import _shared
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets.request_review import RequestReview


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The states of the models opened while the test runs (outside a kernel every comm is a
    ``DummyComm``: what it would publish is what a kernel would send)."""
    states: list[dict[str, Any]] = []
    publish = comm.DummyComm.publish_msg

    def recording(self: Any, msg_type: str, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if msg_type == "comm_open":
            states.append(data["state"])
        publish(self, msg_type, data, *args, **kwargs)

    monkeypatch.setattr(comm.DummyComm, "publish_msg", recording)
    yield states


def test_a_label_is_sent_when_first_shown_with_what_it_says_by_then(
    opened: list[dict[str, Any]],
) -> None:
    label = ErrorLabel()
    label.own = "The AOI crosses itself."
    assert label.comm is None and opened == []  # made and changed, nothing sent
    box = _shared.vbox([label])
    try:
        assert label.comm is not None  # the box names it: sent first, then the box
        assert [s["_model_name"] for s in opened] == ["HTMLModel", "VBoxModel"]
        assert "The AOI crosses itself." in opened[0]["value"]
        assert box.get_state()["children"] == [f"IPY_MODEL_{label.model_id}"]
    finally:
        box.close()
        label.close()


def test_a_line_displayed_on_its_own_is_sent_first(opened: list[dict[str, Any]]) -> None:
    line = _shared.optional_html("<b>Order submitted.</b>")
    bundle = line._repr_mimebundle_()
    try:
        view = bundle["application/vnd.jupyter.widget-view+json"]
        assert view["model_id"] == line.model_id and line.comm is not None
        assert [s["value"] for s in opened] == ["<b>Order submitted.</b>"]
    finally:
        line.close()


def test_one_never_shown_closes_without_being_sent_and_stays_closed(
    opened: list[dict[str, Any]],
) -> None:
    label = ErrorLabel()
    label.close()
    assert opened == [] and label.comm is None
    shown = ErrorLabel()
    box = _shared.vbox([shown])
    box.close()
    shown.close()
    with pytest.raises(AttributeError):  # as any closed widget: not opened again
        _ = shown.model_id
    assert len(opened) == 2  # the second label and its box, once


def test_a_plain_widget_is_still_sent_when_made(opened: list[dict[str, Any]]) -> None:
    """The recorder sees what ipywidgets does without the mixin (the tests above can fail)."""
    line = widgets.HTML("x", layout=_shared.shared("layout"), style=_shared.shared("html"))
    try:
        assert [s["_model_name"] for s in opened] == ["HTMLModel"]
    finally:
        line.close()


def test_a_label_shows_in_its_place_while_it_says_something() -> None:
    aoi = AOIMap(basemap=False)
    try:
        assert aoi.feedback not in aoi.children
        aoi.use_text("POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))")  # a bow tie: refused, with a reason
        assert aoi.feedback.text
        index = aoi.children.index(aoi.feedback)
        assert aoi.children[index - 1].children[0] is aoi.summary  # under the summary line
        assert aoi.children[index + 1] is aoi.sources  # above the other ways to give an AOI
        aoi.clear()
        assert aoi.feedback not in aoi.children and aoi.feedback.text == ""
    finally:
        aoi.close()
    assert aoi.feedback.comm is None  # closed with the map, though not shown at the end


def test_a_box_closes_what_it_no_longer_shows() -> None:
    review = RequestReview()
    optional = (review.error_label, review.result, review.reasons)
    assert not any(w in review.children for w in optional)  # nothing to say yet
    review.error_label.own, review.result.value = "Refused.", "Order submitted."
    review.reasons.value = "<ul><li>an AOI</li></ul>"
    assert all(w in review.children and w.comm is not None for w in optional)  # shown: sent
    review.error_label.own, review.result.value, review.reasons.value = "", "", ""
    assert not any(w in review.children for w in optional)
    review.close()
    assert all(w.comm is None for w in optional)


def test_a_filter_without_rows_shows_neither_text_nor_json() -> None:
    builder = FilterBuilder({"properties": {"cloud": {"type": "number", "minimum": 0}}})
    try:
        assert builder.json_view not in builder.children
        row = builder.add_row("cloud")
        row.value_widget.value = 10
        assert builder.text_view in builder.children and builder.json_view in builder.children
        assert builder.children.index(builder.text_view) < builder.children.index(builder.json_view)
    finally:
        builder.close()
