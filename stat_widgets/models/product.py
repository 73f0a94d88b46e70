"""Products: what can be ordered, and the constraints a filter may use."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from stat_widgets.errors import FieldError
from stat_widgets.models.geometry import AnyGeometry, limit_problems
from stat_widgets.models.links import Link

GEOJSON_SCHEMA_PREFIX = "https://geojson.org/schema/"


class Product(BaseModel):
    """A product of the STAT draft or STAPI, with its constraints as JSON Schema.

    ``max_area_km2`` and ``max_vertices`` are not in either spec; the reference server sends them
    so that an AOI can be refused before it is submitted. Unknown fields are kept.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str
    title: str = ""
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    conforms_to: list[str] = Field(default_factory=list, alias="conformsTo")
    links: list[Link] = Field(default_factory=list)
    constraints: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
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
    def properties(self) -> dict[str, dict[str, Any]]:
        """The constraint properties a filter may reference."""
        return dict(self.constraints.get("properties") or {})

    def geometry_problems(self, geometry: AnyGeometry) -> list[FieldError]:
        """What this product refuses about an AOI: its type, area or vertex count."""
        return limit_problems(
            geometry,
            label=self.title or self.id,
            geometry_types=self.geometry_types,
            max_area_km2=self.max_area_km2,
            max_vertices=self.max_vertices,
        )
