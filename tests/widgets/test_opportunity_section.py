"""``OpportunitySection`` driven from Python as a person drives it, against the reference
server's STAPI face (windows from orbits) and a foreign stapi-fastapi server with its own
backend (``optical`` searches synchronously, ``radar`` asynchronously)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ipyleaflet
import ipywidgets as widgets
import pytest
from client.stapi_server import AOI, Backend, run_stapi_server

from stat_widgets.client import StatClient
from stat_widgets.models import OrderRequest
from stat_widgets.widgets.opportunities import OpportunitySection
from stat_widgets.widgets.opportunities.view import (
    DONE,
    FAILED,
    NO_SEARCH,
    READY,
    SEARCHING,
    STALE,
    UNAVAILABLE,
    WAITING,
)

SITE = json.loads((Path(__file__).parents[2] / "notebooks/data/aoi.geojson").read_text())
KONSTANZ = SITE["features"][0]["geometry"]
JUNE = datetime(2031, 6, 1, tzinfo=UTC)
FIVE_DAYS = "2031-06-01T00:00:00Z/2031-06-06T00:00:00Z"
FOREIGN_WEEK = "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"


@pytest.fixture(scope="module")
def reference() -> Iterator[Any]:
    from stat_widgets.server import ManualClock, run_in_thread

    server = run_in_thread(clock=ManualClock(JUNE))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def foreign() -> Iterator[tuple[str, Backend]]:
    with run_stapi_server() as served:
        yield served


@pytest.fixture
def make_section() -> Iterator[Callable[..., OpportunitySection]]:
    made: list[Any] = []

    def make(url: str, product_id: str, **kwargs: Any) -> OpportunitySection:
        client = StatClient(url)
        map_ = ipyleaflet.Map()
        section = OpportunitySection(client, aoi_map=map_, **{"background": False, **kwargs})
        section.set_product(client.product(product_id))
        made.extend([section, map_, client])
        return section

    try:
        yield make
    finally:
        for thing in reversed(made):
            thing.close()


def request(product_id: str, interval: str, geometry: dict, **extra: Any) -> OrderRequest:
    data = {"datetime": interval, "product_id": product_id, "geometry": geometry, **extra}
    return OrderRequest.from_input(data)


def wait_until_done(section: OpportunitySection, timeout: float = 20.0) -> None:
    run = section.running
    if run is not None and run.thread is not None:
        run.thread.join(timeout)
    assert section.state != SEARCHING, section.progress.value


# -- the reference server's STAPI face -----------------------------------------------------------


def test_search_compare_select_and_stale_on_the_reference_server(
    reference: Any, make_section: Callable[..., OpportunitySection]
) -> None:
    section = make_section(reference.url + "/stapi", "optical-vhr", time_zone="Europe/Berlin")
    assert section.state == WAITING and section.control("find")["disabled"]
    searched = request(
        "optical-vhr", FIVE_DAYS, KONSTANZ, filter="view:off_nadir <= 15 and eo:cloud_cover <= 10"
    )
    section.set_request(searched)
    assert section.state == READY and not section.control("find")["disabled"]

    section.press("find")  # what the button in the front end sends
    assert section.state == DONE
    found = section.opportunities
    with StatClient(reference.url + "/stapi") as client:  # exactly what the client finds
        assert [o.id for o in found] == [o.id for o in client.opportunities(searched)]
    assert found and all(o.off_nadir <= 15 for o in found)
    assert len(section.table.rows) == len(found)
    assert [c[0] for c in section.table.columns] == ["t", "lt", "d", "on", "sun", "sat"]
    assert section.table.shown(0)[1].endswith("CEST")
    assert len(section.footprints.layer.data["features"]) == len(found)
    assert [i for i, _x, _w in section.table.timeline_marks()] == list(range(len(found)))
    # the trade-off: the interval without the filter, clause by clause
    assert section.outcome is not None and section.outcome.unfiltered is not None
    total = len(section.outcome.unfiltered)
    notes = section.notes_text
    assert f"{len(found)} of {total} windows in 5 days match the filter." in notes
    assert f"view:off_nadir ≤ 15 leaves {len(found)} of {total}" in notes
    assert "eo:cloud_cover ≤ 10: not known before acquisition" in notes
    middle = datetime(2031, 6, 3, 12, tzinfo=UTC)  # of FIVE_DAYS
    early = sum(o.start < middle for o in found)
    assert (
        f"Interval: its first half (to {middle:%Y-%m-%d %H:%M} UTC) holds {early} of the "
        f"{len(found)} windows, its second half {len(found) - early}"
    ) in notes
    assert section.status_text.startswith(f"{len(found)} windows found in ")

    # select by row: the map and the timeline follow, the value is the window
    section.table.click_row(1)
    assert section.value is found[1]
    assert section.footprints.highlight.data["features"][0]["id"] == 1
    assert section.table.selected == 1  # the strip draws the selected row's mark
    assert section.chosen_text.startswith("Order this opportunity: 20")
    assert "CEST" in section.chosen_text  # in the chosen zone too
    section.press("zone", "Asia/Tokyo")
    assert section.table.columns[1][1] == "Start (Asia/Tokyo)" and "JST" in section.chosen_text
    # select by map click: the row follows
    section.footprints.click_feature(0)
    assert section.value is found[0] and section.table.selected == 0

    # another interval: stale, the choice dropped, one click to search again
    section.set_request(
        request("optical-vhr", "2031-06-02T00:00:00Z/2031-06-06T00:00:00Z", KONSTANZ)
    )
    assert section.state == STALE and section.value is None
    assert section.control("find")["label"] == "Search again"
    assert "request changed" in section.notes_text
    section.table.click_row(0)  # a stale window cannot be chosen
    assert section.value is None and section.table.selected == -1
    section.press("find")
    assert section.state == DONE and section.outcome.unfiltered is None  # no filter: one search
    assert all(o.start >= datetime(2031, 6, 2, tzinfo=UTC) for o in section.opportunities)


# -- a foreign stapi-fastapi server ------------------------------------------------------------


def test_foreign_synchronous_search(
    foreign: tuple[str, Backend], make_section: Callable[..., OpportunitySection]
) -> None:
    url, backend = foreign
    section = make_section(url, "optical", time_zone="UTC")
    section.set_request(request("optical", FOREIGN_WEEK, AOI, filter="off_nadir <= 8"))
    section.search()
    assert section.state == DONE
    assert [o.id for o in section.opportunities] == [f"optical-{k}" for k in range(7)]
    assert [c[0] for c in section.table.columns] == ["t", "d", "on", "sat"]
    assert section.table.shown(0) == ["2025-06-01 10:00:00", "3 min 00 s", "5.0°", "test-0"]
    # this server does not apply the filter; the advice counts what the clause keeps
    assert "off_nadir ≤ 8 leaves 4 of 7 windows" in section.notes_text
    assert backend.search_posts[-1].get("filter") is None  # the second, unfiltered search
    section.footprints.click_feature(3)
    assert section.value is not None and section.value.id == "optical-3"


def test_foreign_asynchronous_search_with_progress(
    foreign: tuple[str, Backend], make_section: Callable[..., OpportunitySection]
) -> None:
    url, _backend = foreign
    section = make_section(url, "radar", background=True)
    seen: list[str] = []
    section.table.observe(lambda c: seen.append(c.new), "status")
    section.set_request(request("radar", FOREIGN_WEEK, AOI))
    section.press("find")
    assert section.state == SEARCHING and section.control("find")["disabled"]
    assert section.control("cancel") is not None  # Cancel is offered
    wait_until_done(section)
    assert section.state == DONE
    assert [o.id for o in section.opportunities] == [f"radar-{k}" for k in range(7)]
    assert any("Asynchronous search: in_progress" in text for text in seen), seen
    assert section.control("cancel") is None
    section.table.click_row(6)
    assert section.value is not None and section.value.link("create-order") is not None


def test_cancel_stops_an_asynchronous_search(
    foreign: tuple[str, Backend], make_section: Callable[..., OpportunitySection]
) -> None:
    url, backend = foreign
    backend.outcome = "never"
    section = make_section(url, "radar", background=True)
    section.set_request(request("radar", FOREIGN_WEEK, AOI))
    run = section.start_search()
    assert run is not None
    deadline = time.monotonic() + 10
    while run.polls < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    section.press("cancel")
    assert section.state == READY and "Search cancelled." in section.status_text
    assert run.thread is not None
    run.thread.join(10)
    assert not run.thread.is_alive()  # it stopped at its next poll
    polls = sum(backend.polls.values())
    time.sleep(0.6)
    assert sum(backend.polls.values()) == polls  # nobody polls any more
    assert section.opportunities == [] and section.outcome is None


def test_a_failed_search_shows_next_to_the_button_with_retry(
    foreign: tuple[str, Backend], make_section: Callable[..., OpportunitySection]
) -> None:
    url, backend = foreign
    backend.outcome = "fail"
    section = make_section(url, "radar")
    section.set_request(request("radar", FOREIGN_WEEK, AOI))
    section.search()
    assert section.state == FAILED
    (note,) = section.table.notes
    assert "the tasking desk is closed" in note["text"] and note["kind"] == "error"
    assert note["action"] == "retry" and note["label"] == "Retry"  # next to the button
    backend.outcome = "complete"
    section.press("retry")
    assert section.state == DONE and len(section.opportunities) == 7
    assert all(n["kind"] != "error" for n in section.table.notes)


def test_what_the_form_says_about_the_window_is_one_of_the_notes(
    reference: Any, make_section: Callable[..., OpportunitySection]
) -> None:
    section = make_section(reference.url + "/stapi", "optical-vhr")
    section.feedback.message = "This window cannot be ordered: <b>bad</b> footprint"
    assert {"text": section.feedback.text, "kind": "error"} in section.table.notes
    assert section.feedback.text.endswith("<b>bad</b> footprint")  # text: the table escapes it
    section.feedback.message = ""
    assert all(n["kind"] != "error" for n in section.table.notes)


def test_stat_draft_server_says_it_has_no_search(
    reference: Any, make_section: Callable[..., OpportunitySection]
) -> None:
    section = make_section(reference.url, "optical-vhr")
    section.set_request(request("optical-vhr", FIVE_DAYS, KONSTANZ))
    assert section.state == UNAVAILABLE
    # one HTML line is all the section shows, and reading it from Python keeps it so
    assert section.control("find") is None and section.chosen_text == section.notes_text == ""
    (line,) = section.children
    assert isinstance(line, widgets.HTML) and NO_SEARCH in line.value
    assert section.status_text == NO_SEARCH and section.table.notes == []
    assert section.children == (section.table,)  # made on first use of .table
    assert line.comm is None  # and the line it replaced is closed
    assert section.table.controls == [] and section.table.columns == []  # one line, no table
    assert section.table.timeline == {}  # no strip
    assert section.search() is None
    assert section.value is None
