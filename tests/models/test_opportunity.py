"""Opportunity search requests, opportunities as read from servers, and filters applied to
what an opportunity knows."""

from __future__ import annotations

from typing import Any

import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import (
    Opportunity,
    OpportunityRequest,
    OrderRequest,
    filter_keeps,
    filter_matcher,
)

AOI = {
    "type": "Polygon",
    "coordinates": [[[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]],
}
FEATURE: dict[str, Any] = {
    "type": "Feature",
    "id": "w1",
    "geometry": AOI,
    "properties": {
        "datetime": "2025-06-01T10:00:00Z/2025-06-01T10:02:30Z",
        "product_id": "optical",
        "view:off_nadir": 12.5,
        "view:sun_elevation": 48.0,
        "platform": "lumen-1",
    },
    "links": [{"href": "orders", "rel": "create-order", "method": "POST", "body": {"a": 1}}],
}


def test_a_search_is_an_order_request_with_a_closed_interval() -> None:
    order = OrderRequest.from_input(
        {"datetime": "2025-06-01T00:00:00Z/P30D", "product_id": "optical", "geometry": AOI}
    )
    search = OpportunityRequest.from_input(order)
    assert isinstance(search, OrderRequest)
    assert search.model_dump(mode="json") == order.model_dump(mode="json")
    assert search.search_body() == {
        "datetime": "2025-06-01T00:00:00Z/2025-07-01T00:00:00Z",
        "geometry": AOI,
    }
    with pytest.raises(ValidationError) as caught:
        OpportunityRequest.from_input(
            {**order.model_dump(mode="json"), "datetime": "2025-06-01T00:00:00Z/.."}
        )
    assert caught.value.field == "datetime" and "start and an end" in caught.value.message


def test_a_search_is_validated_like_an_order() -> None:
    with pytest.raises(ValidationError) as caught:
        OpportunityRequest.from_input(
            {"datetime": "2025-06-01", "product_id": "", "geometry": {"type": "Polygon"}}
        )
    assert {e.field.split(".")[0] for e in caught.value.errors} == {
        "datetime",
        "product_id",
        "geometry",
    }
    with_filter = OpportunityRequest.from_input(
        {
            "datetime": "2025-06-01T00:00:00Z/P3D",
            "product_id": "optical",
            "geometry": AOI,
            "filter": "view:off_nadir <= 20",
        }
    )
    assert with_filter.search_body()["filter"] == {
        "op": "<=",
        "args": [{"property": "view:off_nadir"}, 20.0],
    }


def test_opportunity_from_a_stapi_feature() -> None:
    base = "http://127.0.0.1:1/stapi/products/optical/opportunities"
    opportunity = Opportunity.from_feature(FEATURE, base_url=base, search_filter={"op": "x"})
    assert opportunity.product_id == "optical" and opportunity.id == "w1"
    assert str(opportunity.datetime) == "2025-06-01T10:00:00Z/2025-06-01T10:02:30Z"
    assert opportunity.duration.total_seconds() == 150
    assert opportunity.off_nadir == 12.5 and opportunity.sun_elevation == 48.0
    assert opportunity.satellite == "lumen-1" and opportunity.incidence is None
    assert "datetime" not in opportunity.properties
    link = opportunity.link("create-order")
    assert link is not None and link.href == "http://127.0.0.1:1/stapi/products/optical/orders"
    assert link.method == "POST" and link.body == {"a": 1}
    feature = opportunity.to_feature()
    assert feature["properties"] == {**FEATURE["properties"]}
    assert feature["links"][0]["href"].endswith("/optical/orders")


def test_the_order_of_an_opportunity_is_exactly_its_window() -> None:
    opportunity = Opportunity.from_feature(FEATURE)
    request = opportunity.order_request()
    assert request.model_dump(mode="json") == {
        "datetime": "2025-06-01T10:00:00Z/2025-06-01T10:02:30Z",
        "product_id": "optical",
        "geometry": AOI,
    }
    flt = {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]}
    carried = Opportunity.from_feature(FEATURE, search_filter=flt).order_request()
    assert carried.filter == flt


def test_a_feature_without_product_takes_the_searched_one() -> None:
    feature = {**FEATURE, "properties": {"datetime": FEATURE["properties"]["datetime"]}}
    assert Opportunity.from_feature(feature, product_id="radar").product_id == "radar"


@pytest.mark.parametrize(
    "broken",
    [
        {**FEATURE, "geometry": None},
        {**FEATURE, "geometry": {"type": "Circle"}},
        {**FEATURE, "properties": {**FEATURE["properties"], "datetime": "2025-06-01T10:00:00Z/.."}},
        {**FEATURE, "properties": {**FEATURE["properties"], "datetime": None}},
        {**FEATURE, "links": [{"rel": "x"}]},
        {**FEATURE, "links": "nope"},
    ],
)
def test_malformed_features_are_refused(broken: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Opportunity.from_feature(broken)


def test_filters_drop_only_what_is_certainly_excluded() -> None:
    flt = "view:off_nadir <= 20 and eo:cloud_cover < 10"
    assert filter_keeps(flt, {"view:off_nadir": 15})  # cloud cover unknown: kept
    assert not filter_keeps(flt, {"view:off_nadir": 25})  # certainly too oblique
    assert filter_keeps("view:off_nadir <= 20 or eo:cloud_cover < 10", {"view:off_nadir": 25})
    assert not filter_keeps("sat:orbit_state = 'ascending'", {"sat:orbit_state": "descending"})
    assert filter_keeps(
        "sat:orbit_state IN ('ascending', 'descending')", {"sat:orbit_state": "descending"}
    )
    assert not filter_keeps("view:off_nadir BETWEEN 10 AND 20", {"view:off_nadir": 25})
    assert filter_keeps("NOT (view:off_nadir <= 20)", {"view:off_nadir": 25})
    keeps = filter_matcher(None)
    assert keeps({}) and keeps({"anything": 1})
    with pytest.raises(ValidationError):
        filter_matcher({"op": "<=", "args": [{"property": "x"}]})
