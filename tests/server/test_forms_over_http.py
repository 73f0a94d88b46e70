"""Every interval form and every geometry rejection of the model tests, once more through the
reference server over real HTTP: the server accepts and refuses exactly what the models do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from models.test_geometry import REJECTED as GEOMETRY_REJECTED
from models.test_interval import ACCEPTED as INTERVALS_ACCEPTED
from models.test_interval import REJECTED as INTERVALS_REJECTED

from .bodies import order_body


@pytest.fixture(scope="module")
def stat_url() -> Iterator[str]:
    """A server whose clock stands before every interval of the model tests (2024 and 2025):
    the server refuses intervals that have ended, and these tests are about their forms."""
    from stat_widgets.server import ManualClock, run_in_thread

    server = run_in_thread(clock=ManualClock(datetime(2024, 1, 1, tzinfo=UTC)))
    try:
        yield server.url
    finally:
        server.stop()


def post(url: str, body: dict[str, Any]) -> httpx.Response:
    # allow_nan: a client that sends NaN must get a field error, not a crash
    content = json.dumps(body, allow_nan=True)
    return httpx.post(f"{url}/order", content=content, headers={"Content-Type": "application/json"})


def fields(response: httpx.Response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.mark.parametrize(("text", "wire"), INTERVALS_ACCEPTED)
def test_every_interval_form_is_accepted_and_stored_in_utc(
    stat_url: str, text: str, wire: str
) -> None:
    response = post(stat_url, order_body(datetime=text))
    assert response.status_code == 201, response.text
    assert response.json()["request"]["datetime"] == wire


@pytest.mark.parametrize(("text", "words"), INTERVALS_REJECTED)
def test_every_interval_rejection_names_datetime(stat_url: str, text: str, words: str) -> None:
    response = post(stat_url, order_body(datetime=text))
    assert response.status_code == 422, response.text
    assert words in fields(response)["datetime"]


@pytest.mark.parametrize(("geom", "field", "words"), GEOMETRY_REJECTED)
def test_every_geometry_rejection_names_its_field(
    stat_url: str, geom: object, field: str, words: str
) -> None:
    response = post(stat_url, order_body(geometry=geom))
    assert response.status_code == 422, response.text
    assert words in fields(response)[field]
