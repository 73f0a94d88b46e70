"""Labels and text lines that are often empty are in the page only while they say something
(``_lifecycle.ShowsWhenFilled``): an empty one was a blank line and a view the browser built
for nothing. They come back in their place, and close with their box either way."""

from __future__ import annotations

from stat_widgets import AOIMap, FilterBuilder
from stat_widgets.widgets.request_review import RequestReview


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


def test_a_box_closes_what_it_never_showed() -> None:
    review = RequestReview()
    hidden = [
        w for w in (review.error_label, review.result, review.reasons) if w not in review.children
    ]
    assert len(hidden) == 3  # nothing to say yet: none of them is in the page
    review.close()
    assert all(w.comm is None for w in hidden)


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
