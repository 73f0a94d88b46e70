"""Products: what can be ordered, and the fields a filter or an order may use."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from stat_widgets.errors import FieldError
from stat_widgets.models.geometry.valid import AnyGeometry
from stat_widgets.models.links import LinkList
from stat_widgets.models.product_schema import (
    EMPTY,
    ProductSchema,
    read_filter_fields,
    read_schema,
)

GEOJSON_SCHEMA_PREFIX = "https://geojson.org/schema/"


def _schema_or_default(value: Any) -> Any:
    return {"type": "object", "properties": {}} if value is None else value


class Product(BaseModel):
    """A product of the STAT draft or STAPI, with its schemas as JSON Schema.

    ``constraints`` (STAPI: the queryables) and, on STAT-era products, ``parameters`` name what a
    filter may use; ``order_parameters`` (STAPI) what an order takes. ``fields`` and
    ``order_fields`` are those schemas read (``product_schema``). ``max_area_km2`` and
    ``max_vertices`` are not in either spec; the reference server sends them so that an AOI can
    be refused before it is submitted. Unknown fields are kept.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str
    title: str = ""
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    conforms_to: list[str] = Field(default_factory=list, alias="conformsTo")
    links: LinkList = Field(default_factory=list)  # a list or a map, as STAT-era products send
    constraints: Annotated[dict[str, Any], BeforeValidator(_schema_or_default)] = Field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
    parameters: dict[str, Any] | None = None
    order_parameters: dict[str, Any] | None = None
    max_area_km2: float | None = None
    max_vertices: int | None = None

    @property
    def geometry_types(self) -> set[str] | None:
        """Geometry types the product accepts, from STAPI-style ``conformsTo`` entries such as
        ``https://geojson.org/schema/Polygon.json``; ``None`` when it does not say."""
        kinds = {
            uri.removeprefix(GEOJSON_SCHEMA_PREFIX).removesuffix(".json")
            for uri in self.conforms_to
            if uri.startswith(GEOJSON_SCHEMA_PREFIX)
        }
        return kinds or None

    @property
    def accepts_points(self) -> bool:
        kinds = self.geometry_types
        return kinds is None or bool(kinds & {"Point", "MultiPoint"})

    @property
    def fields(self) -> ProductSchema:
        """What a filter may use: the constraints' fields, then those of the STAT-era
        ``parameters`` (read once per schema object)."""
        return read_filter_fields(self.constraints, self.parameters)

    @property
    def order_fields(self) -> ProductSchema:
        """The STAPI order parameters' fields (none for STAT draft products)."""
        if self.order_parameters is None:
            return EMPTY
        return read_schema(self.order_parameters, label="order parameters")

    def geometry_problems(self, geometry: AnyGeometry) -> list[FieldError]:
        """What this product refuses about an AOI: its type, area or vertex count."""
        from stat_widgets.models.geometry import limit_problems  # shapely: with the first AOI

        return limit_problems(
            geometry,
            label=self.title or self.id,
            geometry_types=self.geometry_types,
            max_area_km2=self.max_area_km2,
            max_vertices=self.max_vertices,
        )
