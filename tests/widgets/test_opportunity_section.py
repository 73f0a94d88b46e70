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
import pytest
from client.stapi_server import AOI, Backend, run_stapi_server

from stat_widgets.client import StatClient
from stat_widgets.models import OrderRequest
from stat_widgets.widgets.opportunities import OpportunitySection
from stat_widgets.widgets.opportunities.section import (
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
    assert section.state == WAITING and section.find_button.disabled
    searched = request(
        "optical-vhr", FIVE_DAYS, KONSTANZ, filter="view:off_nadir <= 15 and eo:cloud_cover <= 10"
    )
    section.set_request(searched)
    assert section.state == READY and not section.find_button.disabled

    section.find_button.click()
    assert section.state == DONE
    found = section.opportunities
    with StatClient(reference.url + "/stapi") as client:  # exactly what the client finds
        assert [o.id for o in found] == [o.id for o in client.opportunities(searched)]
    assert found and all(o.off_nadir <= 15 for o in found)
    assert len(section.table.rows) == len(found)
    assert [c[0] for c in section.table.columns][:3] == ["start", "local", "duration"]
    assert section.table.rows[0]["local"].endswith("CEST")
    assert len(section.footprints.layer.data["features"]) == len(found)
    assert section.timeline.value.count("<rect class='w'") == len(found)
    # the trade-off: the interval without the filter, clause by clause
    assert section.outcome is not None and section.outcome.unfiltered is not None
    total = len(section.outcome.unfiltered)
    assert f"{len(found)} of {total} windows in 5 days match the filter." in section.advice.value
    assert f"view:off_nadir ≤ 15 leaves {len(found)} of {total}" in section.advice.value
    assert "eo:cloud_cover ≤ 10: not known before acquisition" in section.advice.value

    # select by row: the map and the timeline follow, the value is the window
    section.table.click_row(1)
    assert section.value is found[1]
    assert section.footprints.highlight.data["features"][0]["id"] == 1
    assert "class='sel' data-index='1'" in section.timeline.value
    assert section.chosen.value.startswith("<b>Order this opportunity:</b> ")
    # select by map click: the row follows
    section.footprints.click_feature(0)
    assert section.value is found[0] and section.table.selected == 0

    # another interval: stale, the choice dropped, one click to search again
    section.set_request(
        request("optical-vhr", "2031-06-02T00:00:00Z/2031-06-06T00:00:00Z", KONSTANZ)
    )
    assert section.state == STALE and section.value is None
    assert section.find_button.description == "Search again"
    assert "request changed" in section.progress.value
    section.table.click_row(0)  # a stale window cannot be chosen
    assert section.value is None and section.table.selected == -1
    section.find_button.click()
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
    assert [c[0] for c in section.table.columns] == ["start", "duration", "off_nadir", "satellite"]
    assert section.table.rows[0]["start"] == "2025-06-01 10:00:00"
    assert section.table.rows[0]["duration"] == "3 min 00 s"
    # this server does not apply the filter; the advice counts what the clause keeps
    assert "off_nadir ≤ 8 leaves 4 of 7 windows" in section.advice.value
    assert backend.search_posts[-1].get("filter") is None  # the second, unfiltered search
    section.footprints.click_feature(3)
    assert section.value is not None and section.value.id == "optical-3"


def test_foreign_asynchronous_search_with_progress(
    foreign: tuple[str, Backend], make_section: Callable[..., OpportunitySection]
) -> None:
    url, _backend = foreign
    section = make_section(url, "radar", background=True)
    seen: list[str] = []
    section.progress.observe(lambda c: seen.append(c.new), "value")
    section.set_request(request("radar", FOREIGN_WEEK, AOI))
    section.find_button.click()
    assert section.state == SEARCHING and section.find_button.disabled
    assert section.cancel_button.layout.display is None  # Cancel is offered
    wait_until_done(section)
    assert section.state == DONE
    assert [o.id for o in section.opportunities] == [f"radar-{k}" for k in range(7)]
    assert any("Asynchronous search: in_progress" in text for text in seen), seen
    assert section.cancel_button.layout.display == "none"
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
    section.cancel_button.click()
    assert section.state == READY and "Search cancelled." in section.progress.value
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
    assert "the tasking desk is closed" in section.error_line.value
    assert section.retry_button.layout.display is None
    backend.outcome = "complete"
    section.retry_button.click()
    assert section.state == DONE and len(section.opportunities) == 7
    assert section.error_line.value == "" and section.retry_button.layout.display == "none"


def test_stat_draft_server_says_it_has_no_search(
    reference: Any, make_section: Callable[..., OpportunitySection]
) -> None:
    section = make_section(reference.url, "optical-vhr")
    section.set_request(request("optical-vhr", FIVE_DAYS, KONSTANZ))
    assert section.state == UNAVAILABLE
    assert section.progress.value.count(NO_SEARCH) == 1
    assert section.find_button.disabled and section.search() is None
    assert section.value is None
