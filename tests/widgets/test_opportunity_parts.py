"""The opportunity widgets' parts without a server: rows and columns, sorting as numbers, the
timeline strip, footprints linked to a selection, the trade-off advice, escaping."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from typing import Any

import ipyleaflet

from stat_widgets.models import Opportunity, Product, TimeInterval
from stat_widgets.widgets.opportunities import OpportunityFootprints, OpportunityTable
from stat_widgets.widgets.opportunities.rows import (
    cell_text,
    columns_for,
    duration_text,
    opportunity_row,
    window_text,
)
from stat_widgets.widgets.opportunities.timeline import MIN_MARK, PICK, timeline_spec, window_at
from stat_widgets.widgets.opportunities.trade_off import clauses, trade_off
from stat_widgets.widgets.order_browser.table_code import asset, table_stylesheet

T0 = datetime(2031, 6, 1, tzinfo=UTC)
INTERVAL = TimeInterval.parse("2031-06-01T00:00:00Z/2031-06-11T00:00:00Z")
HOSTILE = "<img src=x onerror=alert(1)>"


def square(lon: float) -> dict[str, Any]:
    ring = [[lon, 47.0], [lon + 0.1, 47.0], [lon + 0.1, 47.1], [lon, 47.1], [lon, 47.0]]
    return {"type": "Polygon", "coordinates": [ring]}


def window(day: float, off_nadir: float, satellite: str = "sat-1", **extra: Any) -> Opportunity:
    start = T0 + timedelta(days=day)
    return Opportunity(
        product_id="optical",
        datetime=TimeInterval(start=start, end=start + timedelta(seconds=40)),
        geometry=square(9 + day / 10),
        properties={"view:off_nadir": off_nadir, "platform": satellite, **extra},
    )


WINDOWS = [window(0.4, 12.0), window(2.4, 9.5, "sat-2"), window(5.4, 30.25), window(8.4, 3.0)]


def test_columns_come_from_what_the_windows_and_product_declare() -> None:
    product = Product(
        id="optical",
        opportunity_properties={
            "properties": {"gsd": {"title": "Ground sample distance"}, "platform": {}}
        },
    )
    columns = columns_for(WINDOWS, product, "Europe/Berlin")
    assert [c[0] for c in columns] == ["t", "lt", "d", "on", "sat", "p:gsd"]
    assert columns[1] == ["lt", "Start (Europe/Berlin)", "t", {"tz": "Europe/Berlin", "of": "t"}]
    assert columns[-1][1] == "Ground sample distance"
    assert "lt" not in [c[0] for c in columns_for(WINDOWS, None, "UTC")]


def test_a_row_carries_each_value_once_and_the_column_formats_it() -> None:
    columns = columns_for(WINDOWS, None, "Europe/Berlin")
    row = opportunity_row(WINDOWS[0], columns)
    assert row == {"t": round(WINDOWS[0].start.timestamp()), "d": 40, "on": 12.0, "sat": "sat-1"}
    assert [cell_text(c, row) for c in columns] == [
        "2031-06-01 09:36:00",
        "2031-06-01 11:36:00 CEST",
        "40 s",
        "12.0°",
        "sat-1",
    ]
    assert duration_text(timedelta(minutes=3, seconds=11)) == "3 min 11 s"


def test_table_sorts_numbers_as_numbers_and_local_time_as_the_instant() -> None:
    table = OpportunityTable()
    table.set_opportunities(WINDOWS, columns_for(WINDOWS, None, "Asia/Tokyo"))
    assert table.display_order() == [0, 1, 2, 3]  # by start
    table.sort = ["on", False]  # a click on the Off-nadir header
    assert table.display_order() == [3, 1, 0, 2]  # 3.0, 9.5, 12.0, 30.25 (as text: 12, 3, 30, 9)
    table.sort = ["lt", True]
    assert table.display_order() == [3, 2, 1, 0]
    assert table.shown(3)[:2] == ["2031-06-09 09:36:00", "2031-06-09 18:36:00 JST"]
    table.click_row(2)
    assert table.selected_opportunity is WINDOWS[2]
    table.move("ArrowDown")  # in the order shown
    assert table.selected == 1
    assert table.label == "Opportunities" and table.stages == []


def test_timeline_marks_every_window_across_the_interval_and_a_click_chooses_one() -> None:
    table = OpportunityTable()
    table.set_opportunities(WINDOWS, columns_for(WINDOWS, None, "UTC"))
    assert table.timeline == {} and table.timeline_marks() == []  # no interval: no strip
    table.timeline = timeline_spec(INTERVAL)
    assert table.timeline == {
        "start": round(INTERVAL.start.timestamp()),
        "end": round(INTERVAL.end.timestamp()),
        "at": "t",
        "length": "d",
    }
    marks = table.timeline_marks()
    assert [i for i, _x, _w in marks] == [0, 1, 2, 3]  # every window
    # a window at 84% of the interval is drawn at 84% of the strip, at least MIN_MARK wide
    assert marks[3][1] == 840.0 and marks[3][2] == MIN_MARK
    # a click on a mark, or beside it within PICK, chooses its window; far from any, nothing
    table.click_timeline(240.5)
    assert table.selected == 1 and table.selected_opportunity is WINDOWS[1]
    table.click_timeline(840 + MIN_MARK + PICK - 1)
    assert table.selected == 3
    table.click_timeline(700.0)  # 160 units from the nearest window
    assert table.selected == 3
    assert window_at(table.timeline, table.records, 540.0 - PICK - 1) == -1
    assert timeline_spec(TimeInterval.parse("2031-06-01T00:00:00Z/..")) == {}  # open: none
    # the front end draws the same: each mark from the row's start and duration columns
    front_end = asset("table.js")  # what the tables' shared code model carries
    assert "drawTimeline" in front_end and "nearest(" in front_end


def test_tables_share_one_class_and_send_what_anywidget_needs() -> None:
    first, second = OpportunityTable(), OpportunityTable()
    assert type(first) is type(second) is OpportunityTable  # no class made per instance
    state = first.get_state()
    assert state["_anywidget_id"] == "stat_widgets.RecordTable"
    assert state["_esm"] == asset("table_loader.js")  # the code itself once, in ``_code``
    assert gzip.decompress(first._code.style).decode() == table_stylesheet()
    assert ".sot-timeline" in table_stylesheet() and first._code is second._code
    assert state["_model_name"] == "AnyModel" and state["_view_name"] == "AnyView"


def test_footprints_follow_the_selection_and_clicks_select() -> None:
    map_ = ipyleaflet.Map()
    footprints = OpportunityFootprints(map_)
    footprints.show(WINDOWS)
    assert footprints.layer in map_.layers
    assert len(footprints.layer.data["features"]) == 4
    assert footprints.highlight is None  # made on the first choice
    footprints.click_feature(2)  # what the browser sends on a click
    assert footprints.selected == 2
    assert footprints.highlight.data["features"][0]["id"] == 2
    assert footprints.highlight in map_.layers
    footprints.clear()
    assert footprints.layer not in map_.layers and footprints.selected == -1
    map_.close()


def test_trade_off_names_the_clause_that_costs_the_most() -> None:
    spec = {
        "op": "and",
        "args": [
            {"op": "<=", "args": [{"property": "view:off_nadir"}, 10]},
            {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 10]},
            {"op": "=", "args": [{"property": "platform"}, "sat-1"]},
        ],
    }
    assert len(clauses(spec)) == 3
    matched = [w for w in WINDOWS if w.off_nadir <= 10 and w.satellite == "sat-1"]
    advice = trade_off(matched, INTERVAL, spec, WINDOWS)
    assert advice.strictest is not None and advice.strictest.kept == 2
    lines = advice.lines()
    assert lines[0] == "1 of 4 windows in 10 days match the filter."
    assert lines[1] == (
        "Strictest choice: view:off_nadir ≤ 10 leaves 2 of 4 windows; loosen it for more."
    )
    assert "platform = 'sat-1' leaves 3 of 4." in lines
    assert "eo:cloud_cover ≤ 10: not known before acquisition; kept for the order." in lines
    empty = trade_off([], INTERVAL, None, []).lines()
    assert empty == ["No window in 10 days even without a filter: widen the interval or the area."]


def test_trade_off_says_which_half_of_the_interval_holds_the_windows() -> None:
    # WINDOWS start on days 0.4, 2.4, 5.4 and 8.4 of the 10-day interval
    lines = trade_off(WINDOWS, INTERVAL, None, None).lines()
    assert lines == [
        "4 windows match in 10 days.",
        "Interval: its first half (to 2031-06-06 00:00 UTC) holds 2 of the 4 windows, "
        "its second half 2.",
    ]
    # the windows that match all lie in one half: the interval can be halved for free
    late = trade_off([WINDOWS[2], WINDOWS[3]], INTERVAL, {"op": "=", "args": [1, 1]}, WINDOWS)
    assert late.halves is not None and late.halves[1:] == (0, 2)
    assert late.lines()[-1] == (
        "Interval: its first half (to 2031-06-06 00:00 UTC) holds 0 of the 2 windows, its "
        "second half 2; starting it at 2031-06-06 00:00 UTC keeps them all."
    )
    early = trade_off([WINDOWS[0]], INTERVAL, None, None).lines()[-1]
    assert early.endswith(
        "holds 1 of the 1 window, its second half 0; ending it at "
        "2031-06-06 00:00 UTC keeps them all."
    )
    # nothing to place: no line; an open interval: no halves
    assert not any(x.startswith("Interval") for x in trade_off([], INTERVAL, None, []).lines())
    open_ended = TimeInterval.parse("2031-06-01T00:00:00Z/..")
    assert trade_off(WINDOWS, open_ended, None, None).interval_line() == ""


def test_strictest_is_the_clause_that_keeps_fewest() -> None:
    spec = {
        "op": "and",
        "args": [
            {"op": "<=", "args": [{"property": "view:off_nadir"}, 10]},  # keeps 2
            {"op": "=", "args": [{"property": "platform"}, "sat-2"]},  # keeps 1
        ],
    }
    advice = trade_off([WINDOWS[1]], INTERVAL, spec, WINDOWS)
    assert advice.strictest is not None
    assert advice.strictest.text == "platform = 'sat-2'" and advice.strictest.kept == 1


def test_server_strings_stay_text() -> None:
    hostile = window(1, 5.0, HOSTILE, note=HOSTILE)
    table = OpportunityTable()
    table.set_opportunities([hostile], columns_for([hostile]))
    assert "innerHTML" not in table._esm  # the strip's tooltip is the row's cells, as text
    assert HOSTILE in window_text(hostile)  # plain text, escaped where it becomes HTML
    row = opportunity_row(hostile, columns_for([hostile]))
    assert row["sat"] == HOSTILE  # the table sets it with textContent
