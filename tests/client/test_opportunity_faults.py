"""Hostile or broken answers to an opportunity search end in typed errors (sync and async),
from small scripted servers on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from stat_widgets.client import _opportunities
from stat_widgets.errors import (
    InvalidResponseError,
    NoOpportunitySearchError,
    OpportunitySearchError,
)

from .conftest import call
from .faults import Reply, scripted_server
from .stapi_server import AOI

LANDING = Reply(200, {"conformsTo": ["https://stapi.example.com/v0.1.0/core"], "links": []})
PRODUCT = Reply(
    200,
    {
        "id": "p",
        "conformsTo": ["https://geojson.org/schema/Polygon.json"],
        "links": [
            {"rel": "opportunities", "href": "{base}/products/p/opportunities", "method": "POST"}
        ],
    },
)
QUERYABLES = Reply(200, {"type": "object", "properties": {}})
SEARCH = {
    "datetime": "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z",
    "product_id": "p",
    "geometry": AOI,
}


def feature(k: int) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": AOI,
        "properties": {"datetime": f"2025-06-0{k + 1}T10:00:00Z/2025-06-0{k + 1}T10:03:00Z"},
    }


def routes(*replies: Reply) -> dict[str, list[Reply]]:
    """A STAPI server with one searchable product whose search answers ``replies`` in turn."""
    return {
        "GET /": [LANDING],
        "GET /products/p": [PRODUCT],
        "GET /products/p/queryables": [QUERYABLES],
        "POST /products/p/opportunities": list(replies),
    }


@pytest.mark.parametrize(
    "reply",
    [
        Reply(
            200, {"type": "FeatureCollection", "features": [{"geometry": AOI, "properties": {}}]}
        ),
        Reply(200, {"type": "FeatureCollection", "features": [{**feature(0), "geometry": None}]}),
        Reply(200, {"type": "FeatureCollection", "features": [feature(0)], "links": "x"}),
        Reply(200, {"type": "FeatureCollection", "features": ["nope"]}),
        Reply(200, ["not", "a", "collection"]),
        Reply(201, {"id": "s1"}),
        Reply(200, "<html>busy</html>", "text/html"),
    ],
    ids=[
        "no-window",
        "no-geometry",
        "links-not-a-list",
        "not-a-feature",
        "list",
        "no-status",
        "html",
    ],
)
async def test_malformed_answers_are_invalid_responses(make_client: Any, reply: Reply) -> None:
    with scripted_server(routes(reply)) as (url, _):
        with pytest.raises(InvalidResponseError):
            await call(make_client(url).opportunities(SEARCH))


async def test_a_next_link_that_leads_back_stops(make_client: Any) -> None:
    again = {
        "rel": "next",
        "href": "{base}/products/p/opportunities",
        "method": "POST",
        "body": {"next": "2"},
    }
    first = Reply(200, {"type": "FeatureCollection", "features": [feature(0)], "links": [again]})
    second = Reply(200, {"type": "FeatureCollection", "features": [feature(1)], "links": [again]})
    with scripted_server(routes(first, second)) as (url, script):
        with pytest.raises(InvalidResponseError, match="already seen"):
            await call(make_client(url).opportunities(SEARCH))
    assert script.count("POST", "/products/p/opportunities") == 2
    assert all(s.headers.get("prefer") == "wait" for s in script.seen if s.method == "POST")


async def test_too_many_opportunities_is_an_error(make_client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(_opportunities, "MAX_OPPORTUNITIES", 3)
    many = Reply(200, {"type": "FeatureCollection", "features": [feature(k) for k in range(5)]})
    with scripted_server(routes(many)) as (url, _):
        with pytest.raises(InvalidResponseError, match="more than 3 opportunities"):
            await call(make_client(url).opportunities(SEARCH))


async def test_a_record_that_fails_or_whose_results_are_broken(make_client: Any) -> None:
    record = {"id": "s1", "status": {"status_code": "received"}, "links": []}
    failed = {**record, "status": {"status_code": "failed", "reason_text": "no capacity"}}
    table = routes(Reply(201, record)) | {"GET /searches/opportunities/s1": [Reply(200, failed)]}
    with scripted_server(table) as (url, _):
        with pytest.raises(OpportunitySearchError, match="failed: no capacity"):
            await call(make_client(url).opportunities(SEARCH))
    done = {
        **record,
        "status": {"status_code": "completed"},
        "links": [{"rel": "opportunities", "href": "{base}/results/s1"}],
    }
    table = routes(Reply(201, done)) | {"GET /results/s1": [Reply(200, {"features": "x"})]}
    with scripted_server(table) as (url, _):
        with pytest.raises(InvalidResponseError, match="FeatureCollection"):
            await call(make_client(url).opportunities(SEARCH))


async def test_a_search_route_that_is_missing_means_no_search(make_client: Any) -> None:
    missing = Reply(404, {"detail": "Not Found"})
    with scripted_server(routes(missing)) as (url, _):
        with pytest.raises(NoOpportunitySearchError, match="no opportunity search"):
            await call(make_client(url).opportunities(SEARCH))
