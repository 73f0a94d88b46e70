"""Opportunities: when a provider can image an area, and the search that asks.

``OpportunityRequest`` is an ``OrderRequest`` (the same AOI, product, interval and filter, the
same validation) with the one rule a search adds: the interval must end. A form that builds an
order request can search with it as it is. ``Opportunity`` is one window a server offered;
``Opportunity.order_request()`` is the order for exactly that window.
"""

from __future__ import annotations

import functools
from datetime import datetime as DateTime
from datetime import timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models.geometry.valid import GEOMETRY_TYPES
from stat_widgets.models.interval import TimeInterval
from stat_widgets.models.links import (
    BASE_URL,
    Link,
    LinkRecord,
    checked_link_records,
    find_link,
    links_of,
)
from stat_widgets.models.order import OrderRequest
from stat_widgets.models.product import Product

#: Where common servers put the numbers analysts compare windows by: STAC names first, then
#: the bare names some STAPI servers use.
OFF_NADIR = ("view:off_nadir", "off_nadir")
SUN_ELEVATION = ("view:sun_elevation", "sun_elevation")
INCIDENCE = ("view:incidence_angle", "sar:incidence_angle", "incidence_angle")
SATELLITE = ("platform", "satellite", "constellation")


class OpportunityRequest(OrderRequest):
    """A search for opportunities: an order request whose interval has both ends."""

    @classmethod
    def from_input(cls, data: Any, *, product: Product | None = None) -> OpportunityRequest:
        if isinstance(data, OrderRequest) and not isinstance(data, cls):
            data = data.model_dump(mode="json")
        request = super().from_input(data, product=product)
        assert isinstance(request, cls)
        if request.datetime.start is None or request.datetime.end is None:
            raise ValidationError(
                [
                    FieldError(
                        "datetime",
                        f"an opportunity search needs a start and an end; {request.datetime} "
                        "is open",
                    )
                ]
            )
        return request

    def search_body(self) -> dict[str, Any]:
        """The STAPI search body without paging: ``{datetime, geometry, filter?}``."""
        wire = self.model_dump(mode="json")
        body = {"datetime": wire["datetime"], "geometry": wire["geometry"]}
        if "filter" in wire:
            body["filter"] = wire["filter"]
        return body


def _footprint(value: dict[str, Any]) -> dict[str, Any]:
    """A footprint as received: a GeoJSON geometry object (checked fully when ordered)."""
    if value.get("type") not in GEOMETRY_TYPES:
        raise ValueError("the footprint is not a GeoJSON geometry")
    return value


def _closed(interval: TimeInterval) -> TimeInterval:
    if interval.start is None or interval.end is None:
        raise ValueError(f"an opportunity's window has a start and an end, not {interval}")
    return interval


Window = Annotated[TimeInterval, AfterValidator(_closed)]
Footprint = Annotated[dict[str, Any], AfterValidator(_footprint)]


class Opportunity(BaseModel):
    """One window in which the product's provider can image the area.

    ``properties`` are the provider's (off-nadir angle, sun elevation, satellite, ...), less
    ``datetime`` and ``product_id``, which are fields here. ``filter`` is the filter of the
    search that found it, which an order of it carries on.
    """

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, serialize_by_alias=True, defer_build=True
    )

    id: str | None = None
    product_id: str
    datetime: Window
    geometry: Footprint
    properties: dict[str, Any] = Field(default_factory=dict)
    link_records: Annotated[
        list[LinkRecord | Link], PlainValidator(checked_link_records, json_schema_input_type=list)
    ] = Field(default_factory=list, alias="links", repr=False)
    filter: dict[str, Any] | None = Field(default=None, repr=False)

    @classmethod
    def from_feature(
        cls,
        feature: Any,
        *,
        product_id: str | None = None,
        base_url: str | None = None,
        search_filter: dict[str, Any] | None = None,
    ) -> Opportunity:
        """An Opportunity from a STAPI Feature (``properties.datetime``, ``product_id``).

        Relative link hrefs are resolved against ``base_url``; a feature without
        ``product_id`` takes ``product_id`` (the product searched).
        """
        if not isinstance(feature, dict):
            raise TypeError("an opportunity is not a JSON object")
        properties = dict(feature.get("properties") or {})
        interval = properties.pop("datetime", None)
        found = properties.pop("product_id", None)
        return cls.model_validate(
            {
                "id": feature.get("id"),
                "product_id": found if isinstance(found, str) and found else product_id,
                "datetime": interval,
                "geometry": feature.get("geometry"),
                "properties": properties,
                "links": feature.get("links"),
                "filter": search_filter,
            },
            context={BASE_URL: base_url},
        )

    def to_feature(self) -> dict[str, Any]:
        """The STAPI wire form."""
        feature: dict[str, Any] = {
            "type": "Feature",
            "geometry": self.geometry,
            "properties": {
                "datetime": str(self.datetime),
                "product_id": self.product_id,
                **self.properties,
            },
            "links": [link.model_dump(mode="json", exclude_none=True) for link in self.links],
        }
        if self.id is not None:
            feature["id"] = self.id
        return feature

    @functools.cached_property
    def links(self) -> list[Link]:
        return links_of(self.link_records)

    def link(self, rel: str) -> Link | None:
        return find_link(self.links, rel)

    # -- what analysts compare ------------------------------------------------------------------
    @property
    def start(self) -> DateTime:
        assert self.datetime.start is not None
        return self.datetime.start

    @property
    def end(self) -> DateTime:
        assert self.datetime.end is not None
        return self.datetime.end

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def value(self, *names: str) -> Any:
        """The first of these properties the provider gave, else None."""
        return next((self.properties[n] for n in names if n in self.properties), None)

    @property
    def off_nadir(self) -> float | None:
        return self.value(*OFF_NADIR)

    @property
    def sun_elevation(self) -> float | None:
        return self.value(*SUN_ELEVATION)

    @property
    def incidence(self) -> float | None:
        return self.value(*INCIDENCE)

    @property
    def satellite(self) -> str | None:
        return self.value(*SATELLITE)

    def order_request(self) -> OrderRequest:
        """The order for exactly this window: its product, interval and footprint, with the
        search's filter. Raises ``ValidationError`` when the provider's footprint is not a
        valid geometry."""
        data: dict[str, Any] = {
            "datetime": str(self.datetime),
            "product_id": self.product_id,
            "geometry": self.geometry,
        }
        if self.filter is not None:
            data["filter"] = self.filter
        return OrderRequest.from_input(data)
