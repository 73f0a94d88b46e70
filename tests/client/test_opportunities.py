"""``client.opportunities()`` and ``create_order(opportunity)``, sync and async, against the
reference server's STAPI face and a foreign stapi-fastapi server with its own backend."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from stat_widgets.errors import (
    NoOpportunitySearchError,
    OpportunitySearchError,
    SearchDeadlineError,
    StatError,
    ValidationError,
)
from stat_widgets.models import Opportunity, OrderRequest, OrderStatus, bbox_geometry

from .conftest import call, collect
from .stapi_server import AOI, Backend, known_windows, run_stapi_server

START = datetime(2025, 6, 1, tzinfo=UTC)
MONTH = "2025-06-01T00:00:00Z/2025-07-01T00:00:00Z"
TEN_DAYS = "2025-06-01T00:00:00Z/2025-06-11T00:00:00Z"


def search(product_id: str = "optical-vhr", **overrides: Any) -> dict[str, Any]:
    body = {
        "datetime": TEN_DAYS,
        "product_id": product_id,
        "geometry": bbox_geometry(10.0, 50.0, 10.1, 50.1),
    }
    body.update(overrides)
    return body


@pytest.fixture
def reference(make_stat_server: Callable[..., Any]) -> Any:
    """A reference server of its own, its clock at the start of the month searched."""
    from stat_widgets.server import ManualClock

    return make_stat_server(clock=ManualClock(START))


@pytest.fixture
def foreign() -> Iterator[tuple[str, Backend]]:
    with run_stapi_server() as served:
        yield served


# -- the reference server ---------------------------------------------------------------------


async def test_reference_windows_are_physically_plausible(make_client: Any, reference: Any) -> None:
    client = make_client(reference.url + "/stapi")
    found = await call(client.opportunities(search(datetime=MONTH)))
    assert 40 < len(found) < 120  # three agile satellites: about two windows a day
    starts = [o.start for o in found]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for opportunity in found:
        assert isinstance(opportunity, Opportunity)
        assert opportunity.product_id == "optical-vhr"
        assert START + timedelta(minutes=10) <= opportunity.start < opportunity.end
        assert timedelta(seconds=1) <= opportunity.duration <= timedelta(minutes=4)
        assert 0 <= opportunity.off_nadir <= 45 and opportunity.sun_elevation >= 10
        assert opportunity.satellite in {"lumen-1", "lumen-2", "lumen-3"}
        local = (opportunity.start.hour + opportunity.start.minute / 60 + 10.05 / 15) % 24
        assert 9.5 < local < 12  # a 10:30 descending orbit passes before noon
        assert opportunity.link("create-order").method == "POST"


async def test_sync_pages_async_and_prefer_give_the_same_windows(
    make_client: Any, reference: Any
) -> None:
    client = make_client(reference.url + "/stapi")
    whole = await call(client.opportunities(search(), limit=1000))
    paged = await call(client.opportunities(search(), limit=7))
    assert [str(o.datetime) for o in paged] == [str(o.datetime) for o in whole]
    assert [o.geometry for o in paged] == [o.geometry for o in whole]
    # the server's clock stands still: its asynchronous search never completes
    with pytest.raises(SearchDeadlineError):
        await call(client.opportunities(search(), prefer="respond-async", deadline=0.5))

    # it completes a second after it was posted, by the server's clock
    def tick(status: str) -> None:
        reference.clock.advance(0.5)

    asynced = await call(
        client.opportunities(search(), prefer="respond-async", deadline=30, on_status=tick)
    )
    assert [str(o.datetime) for o in asynced] == [str(o.datetime) for o in whole]


async def test_the_filter_applies_to_opportunities(make_client: Any, reference: Any) -> None:
    client = make_client(reference.url + "/stapi")
    everything = await call(client.opportunities(search()))
    steep = await call(client.opportunities(search(filter="view:off_nadir <= 15")))
    assert steep and all(o.off_nadir <= 15 for o in steep)
    assert [o.id for o in steep] == [o.id for o in everything if o.off_nadir <= 15]
    # a constraint no opportunity knows (the cloud of a scene not yet taken) keeps them all
    cloud = await call(client.opportunities(search(filter="eo:cloud_cover <= 10")))
    assert len(cloud) == len(everything)
    with pytest.raises(ValidationError) as caught:
        await call(client.opportunities(search(filter="view:off_nadir <= 90")))
    assert caught.value.field.startswith("filter")


async def test_ordering_an_opportunity_follows_its_window(make_client: Any, reference: Any) -> None:
    stapi = make_client(reference.url + "/stapi")
    stat = make_client(reference.url)
    found = await call(stapi.opportunities(search(), limit=5))
    chosen = found[3]
    order = await call(stapi.create_order(chosen))
    assert str(order.request.datetime) == str(chosen.datetime)
    assert order.request.geometry == chosen.geometry and order.product_id == "optical-vhr"
    # listed on both faces, with the same window
    for client in (stapi, stat):
        listed = {o.id: o for o in await collect(client.orders())}
        assert str(listed[order.id].request.datetime) == str(chosen.datetime)
    # scheduled until its window closes, then completed (or failed, by its fate)
    reference.clock.advance(180)
    assert (await call(stapi.order(order.id))).status in (OrderStatus.SCHEDULED, "rejected")
    until_end = (chosen.end - reference.clock.now()).total_seconds()
    reference.clock.advance(until_end - 1)
    before = (await call(stapi.order(order.id))).status
    reference.clock.advance(2)
    after = (await call(stapi.order(order.id))).status
    assert (before, after) in {
        (OrderStatus.SCHEDULED, OrderStatus.COMPLETED),
        (OrderStatus.SCHEDULED, OrderStatus.FAILED),
        (OrderStatus.REJECTED, OrderStatus.REJECTED),
    }
    history = await call(stat.order_statuses(order.id))
    if after != OrderStatus.REJECTED:  # one order in ten is refused at once (docs/decisions.md)
        assert history[-1].timestamp >= chosen.end - timedelta(seconds=1)


async def test_ordering_a_window_too_soon_is_rejected_as_too_late(
    make_client: Any, reference: Any
) -> None:
    client = make_client(reference.url + "/stapi")
    chosen = (await call(client.opportunities(search(), limit=3)))[0]
    reference.clock.advance((chosen.start - reference.clock.now()).total_seconds() - 60)
    order = await call(client.create_order(chosen))
    reference.clock.advance(61)
    history = await call(client.order_statuses(order.id))
    assert history[-1].status == OrderStatus.REJECTED
    assert history[-1].reason_code == "too_late"


async def test_the_stat_face_has_no_opportunity_search(make_client: Any, reference: Any) -> None:
    client = make_client(reference.url)
    with pytest.raises(NoOpportunitySearchError, match="no opportunity search"):
        await call(client.opportunities(search()))
    assert issubclass(NoOpportunitySearchError, StatError)


async def test_a_search_is_validated_before_it_is_sent(make_client: Any, reference: Any) -> None:
    client = make_client(reference.url + "/stapi")
    with pytest.raises(ValidationError) as caught:
        await call(client.opportunities(search(datetime="2025-06-01T00:00:00Z/..")))
    assert caught.value.field == "datetime"
    with pytest.raises(ValidationError) as caught:
        await call(client.opportunities(search(product_id="nope")))
    assert caught.value.field == "product_id"
    with pytest.raises(ValueError):
        await call(client.opportunities(search(), limit=0))


# -- a foreign stapi-fastapi server -----------------------------------------------------------


async def test_foreign_sync_search_gives_exactly_its_windows(
    make_client: Any, foreign: tuple[str, Backend]
) -> None:
    url, backend = foreign
    client = make_client(url)
    found = await call(client.opportunities(search("optical", geometry=AOI), limit=3))
    assert [(o.start, o.end) for o in found] == known_windows(7)
    assert [o.off_nadir for o in found] == [5.0 + k for k in range(7)]
    assert len(backend.search_posts) == 3  # pages of three: 3 + 3 + 1
    assert {p["limit"] for p in backend.search_posts} == {3}
    order = await call(client.create_order(found[2]))  # no order link: built from the window
    assert str(order.request.datetime) == str(found[2].datetime)
    listed = {o.id: o for o in await collect(client.orders())}
    assert str(listed[order.id].request.datetime) == str(found[2].datetime)
    stored = backend.orders[order.id].properties.search_parameters
    assert stored.datetime == known_windows(7)[2]


async def test_foreign_async_search_is_polled_and_ordered_through_its_link(
    make_client: Any, foreign: tuple[str, Backend]
) -> None:
    url, backend = foreign
    client = make_client(url)
    found = await call(client.opportunities(search("radar", geometry=AOI)))
    assert [(o.start, o.end) for o in found] == known_windows(7)
    assert len(backend.searches) == 1 and list(backend.polls.values()) == [2]
    chosen = found[4]
    assert chosen.link("create-order") is not None
    posts = backend.created_posts
    order = await call(client.create_order(chosen))
    assert backend.created_posts == posts + 1
    assert backend.orders[order.id].properties.search_parameters.datetime == known_windows(7)[4]
    assert backend.orders[order.id].properties.order_parameters == {}
    listed = {o.id: o for o in await collect(client.orders())}
    assert str(listed[order.id].request.datetime) == str(chosen.datetime)


async def test_foreign_async_failure_and_deadline(
    make_client: Any, foreign: tuple[str, Backend]
) -> None:
    url, backend = foreign
    client = make_client(url)
    backend.outcome = "fail"
    with pytest.raises(OpportunitySearchError, match="the tasking desk is closed"):
        await call(client.opportunities(search("radar", geometry=AOI)))
    backend.outcome = "never"
    began = time.monotonic()
    with pytest.raises(SearchDeadlineError) as caught:
        await call(client.opportunities(search("radar", geometry=AOI), deadline=0.6))
    assert time.monotonic() - began < 3
    assert "/searches/opportunities/" in caught.value.url


async def test_a_product_without_search_says_so(
    make_client: Any, foreign: tuple[str, Backend]
) -> None:
    url, _ = foreign
    client = make_client(url)
    with pytest.raises(NoOpportunitySearchError, match="'brief'"):
        await call(client.opportunities(search("brief", geometry=AOI)))


def test_an_order_request_searches_as_it_is(reference: Any) -> None:
    from stat_widgets.client import StatClient

    request = OrderRequest.from_input(search())
    with StatClient(reference.url + "/stapi") as client:
        assert client.opportunities(request, limit=1000)


async def test_a_form_can_ask_whether_to_offer_search_and_follow_progress(
    make_client: Any, foreign: tuple[str, Backend], reference: Any
) -> None:
    url, _ = foreign
    client = make_client(url)
    assert await call(client.offers_opportunities()) is True
    assert await call(client.offers_opportunities("radar")) is True
    assert await call(client.offers_opportunities("brief")) is False
    assert await call(make_client(reference.url).offers_opportunities()) is False
    heard: list[str] = []
    await call(client.opportunities(search("radar", geometry=AOI), on_status=heard.append))
    assert heard[0] == "received" and heard[-1] == "completed" and "in_progress" in heard
