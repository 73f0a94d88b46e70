"""The Order request and the Order, the single source of truth for what is valid.

``OrderRequest.from_input`` is the one validation entry point: the widgets, the client and the
reference server all call it, so they accept and refuse exactly the same things.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime as DateTime
from enum import StrEnum
from typing import Annotated, Any

import pydantic
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    computed_field,
    model_serializer,
)

from stat_widgets.errors import FieldError, ValidationError, field_path
from stat_widgets.models.geometry.valid import GEOMETRY_TYPES, AnyGeometry, ValidGeometry
from stat_widgets.models.interval import TimeInterval
from stat_widgets.models.links import (
    Link,
    LinkList,
    LinkRecord,
    checked_link_records,
    find_link,
    links_of,
)
from stat_widgets.models.product import Product
from stat_widgets.models.reference import JSONReference

WIRE_FIELDS = ("datetime", "product_id", "geometry", "filter")
_WITH_SHAPE = "_geometry_and_shape"


def _to_geometry_or_reference(value: Any) -> ValidGeometry | JSONReference:
    """A reference, or the geometry validated with its shape (which ``OrderRequest`` keeps
    aside, leaving the dict in the field)."""
    if isinstance(value, JSONReference):
        return value
    if isinstance(value, dict) and "$ref" in value:
        try:
            return JSONReference.model_validate(value)
        except pydantic.ValidationError as exc:
            raise ValidationError(
                [FieldError("geometry.$ref", _plain_message(e)) for e in exc.errors()]
            ) from None
    from stat_widgets.models.geometry import read_geometry  # shapely: with the first geometry

    return read_geometry(value)


def _dump_geometry(value: dict | JSONReference) -> dict:
    return value.model_dump() if isinstance(value, JSONReference) else value


def _non_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("choose a product (the product id is empty)")
    return value


def _filter_or_none(value: Any) -> dict | None:
    if value is None or value == {} or (isinstance(value, str) and not value.strip()):
        return None
    from stat_widgets.models.filter import validate_filter  # cql2: with the first filter

    return validate_filter(value)


Geometry = Annotated[
    dict[str, Any] | JSONReference,
    PlainValidator(_to_geometry_or_reference),
    PlainSerializer(_dump_geometry),
]
Filter = Annotated[dict[str, Any] | None, PlainValidator(_filter_or_none)]


class OrderRequest(BaseModel):
    """``POST /order`` body; ``model_dump(mode="json")`` is exactly what goes on the wire."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    datetime: TimeInterval
    product_id: Annotated[str, AfterValidator(_non_blank)]
    geometry: Geometry
    filter: Filter = None

    def model_post_init(self, context: Any, /) -> None:
        geometry = self.geometry
        if isinstance(geometry, ValidGeometry):  # as the geometry validator returned it
            # The field holds the GeoJSON dict (frozen: set past pydantic's guard, once). The
            # shape built while validating it is kept beside the fields, where a cached
            # property would be, so that it is never compared, dumped or hashed.
            object.__setattr__(self, "geometry", geometry.geometry)
            self.__dict__[_WITH_SHAPE] = geometry

    def _geometry_with_shape(self) -> AnyGeometry:
        """The geometry with its shape for the product's limits and the area, not rebuilt."""
        valid = self.__dict__.get(_WITH_SHAPE)
        if valid is not None and valid.geometry is self.geometry:  # not a model_copy(update=)
            return valid
        return self.geometry

    @model_serializer(mode="wrap")
    def _omit_empty_filter(self, handler: Any) -> dict[str, Any]:
        body = handler(self)
        if body.get("filter") is None:
            body.pop("filter", None)
        return body

    @classmethod
    def from_input(cls, data: Any, *, product: Product | None = None) -> OrderRequest:
        """Validate anything that should be an order request.

        Raises ``stat_widgets.errors.ValidationError`` listing every field at fault. With the
        product, also checks what only the product knows: geometry types, area and vertex
        limits, and the filter against its constraints.
        """
        if isinstance(data, cls):
            request = data
        else:
            if isinstance(data, str | bytes):
                try:
                    data = json.loads(data)
                except ValueError as exc:
                    raise ValidationError(f"the request is not valid JSON ({exc})") from None
            try:
                request = cls.model_validate(data)
            except pydantic.ValidationError as exc:
                raise validation_error_from_pydantic(exc) from None
        if product is not None:
            problems = request.problems_for(product)
            if problems:
                raise ValidationError(problems)
        return request

    def problems_for(self, product: Product) -> list[FieldError]:
        """What this request gets wrong about ``product``, field by field."""
        problems: list[FieldError] = []
        if self.product_id != product.id:
            problems.append(
                FieldError(
                    "product_id", f"the request is for {self.product_id!r}, not {product.id!r}"
                )
            )
        if isinstance(self.geometry, dict):
            problems.extend(product.geometry_problems(self._geometry_with_shape()))
        if self.filter is not None:
            from stat_widgets.models.filter import validate_filter

            try:
                validate_filter(self.filter, product.fields)
            except ValidationError as exc:
                problems.extend(exc.errors)
        return problems

    @property
    def area_km2(self) -> float | None:
        if isinstance(self.geometry, dict):
            from stat_widgets.models.geometry import geodesic_area_km2

            return geodesic_area_km2(self._geometry_with_shape())
        return None


def _plain_message(error: Any) -> str:
    kind, message = error.get("type"), error.get("msg", "")
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return f"unknown field; the fields are {', '.join(WIRE_FIELDS)}"
    if kind == "string_type":
        return f"must be text, got {type(error.get('input')).__name__}"
    if kind == "model_type" or kind == "dict_type":
        return f"expected a JSON object, got {type(error.get('input')).__name__}"
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def validation_error_from_pydantic(exc: pydantic.ValidationError) -> ValidationError:
    """Our field paths (``filter.args[0]``), keeping the detail our own validators raised."""
    problems: list[FieldError] = []
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        inner = (error.get("ctx") or {}).get("error")
        if isinstance(inner, ValidationError):
            prefix = field_path(loc[:-1])
            problems.extend(inner.prefixed(prefix).errors if prefix else inner.errors)
        else:
            problems.append(FieldError(field_path(loc), _plain_message(error)))
    return ValidationError(problems)


class OrderStatus(StrEnum):
    """STAPI status codes; the STAT draft names none, so we use these (see docs/decisions.md)."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    SCHEDULED = "scheduled"
    HELD = "held"
    PROCESSING = "processing"
    RESERVED = "reserved"
    TASKED = "tasked"
    USER_CANCELLED = "user_cancelled"
    EXPIRED = "expired"
    FAILED = "failed"

    @classmethod
    def _missing_(cls, value: object) -> OrderStatus | None:
        """Other spellings of known codes (``canceled``, ``Accepted``); None for unknown ones,
        which then stay plain text. pydantic calls this too, so orders validate in Rust."""
        if not isinstance(value, str):
            return None
        key = value.strip().lower()
        key = _SPELLINGS.get(key, key)
        return cls._value2member_map_.get(key)  # type: ignore[return-value]


_SPELLINGS = {"canceled": "cancelled", "user_canceled": "user_cancelled"}


def parse_status(value: Any) -> OrderStatus | str:
    """A known status as ``OrderStatus``; an unknown code kept as text, never an error."""
    if isinstance(value, dict):  # a STAPI status object
        value = value.get("status_code", "")
    if isinstance(value, OrderStatus):
        return value
    text = str(value)
    found = OrderStatus._missing_(text)
    return found if found is not None else text.strip()


# Known codes (any spelling) validate to ``OrderStatus`` without a Python call; anything else
# stays the string the server sent.
Status = Annotated[OrderStatus | str, Field(union_mode="left_to_right"), PlainSerializer(str)]


class StatusRecord(BaseModel):
    """One entry of an order's status history."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    timestamp: DateTime
    status: Status
    reason_code: str | None = None
    reason_text: str | None = None
    links: LinkList = Field(default_factory=list)


def _lenient_request(value: Any) -> OrderRequest | None:
    """An order's request as the server recorded it: read, not re-validated.

    The server validated it when it accepted the order; checking every footprint again with
    shapely doubled the time to page through orders. Only the shape is checked, so that a
    browser can rely on it; a record we cannot read becomes None, because showing the order
    matters more than its footprint.
    """
    if value is None or isinstance(value, OrderRequest):
        return value
    try:
        geometry = value["geometry"]
        if isinstance(geometry, dict) and "$ref" in geometry:
            geometry = JSONReference.model_validate(geometry)
        elif not (isinstance(geometry, dict) and geometry.get("type") in GEOMETRY_TYPES):
            return None
        found = value.get("filter")
        return OrderRequest.model_construct(
            datetime=TimeInterval.parse(value["datetime"]),
            product_id=str(value["product_id"]),
            geometry=geometry,
            filter=found if isinstance(found, dict) else None,
        )
    except (KeyError, TypeError, AttributeError, ValueError, pydantic.ValidationError):
        return None


class Order(BaseModel):
    """An order as a server reports it.

    ``request`` is read lazily: a listing of 10,000 orders should not pay for 10,000 requests
    that nobody looks at (it was a third of the client's paging time). The raw record is kept as
    sent and serialised back under its wire name.
    """

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, serialize_by_alias=True, defer_build=True
    )

    id: str
    user: str | None = None
    status: Status
    created: DateTime
    link_records: Annotated[
        list[LinkRecord | Link], PlainValidator(checked_link_records, json_schema_input_type=list)
    ] = Field(default_factory=list, alias="links", repr=False)
    request_record: Any = Field(default=None, alias="request", repr=False)
    product_record: str | None = Field(default=None, alias="product_id", repr=False, exclude=True)

    @functools.cached_property
    def links(self) -> list[Link]:
        return links_of(self.link_records)

    @computed_field  # type: ignore[prop-decorator]
    @functools.cached_property
    def product_id(self) -> str | None:
        """The product ordered: given by the server, else read from the request."""
        if self.product_record is not None:
            return self.product_record
        record = self.request_record
        found = record.get("product_id") if isinstance(record, dict) else None
        found = found if found is not None else getattr(record, "product_id", None)
        return found if isinstance(found, str) else None

    @functools.cached_property
    def request(self) -> OrderRequest | None:
        """The request the order was made from, or None when the server gives none (or one we
        cannot read)."""
        return _lenient_request(self.request_record)

    @functools.cached_property
    def footprint(self) -> dict | None:
        """The area ordered as a GeoJSON geometry: the request's inline geometry, else the one
        the server resolved its JSON Reference to (the reference server's ``footprint``, a
        STAPI order Feature's ``geometry``), else None."""
        request = self.request
        if request is not None and isinstance(request.geometry, dict):
            return request.geometry
        found = (self.model_extra or {}).get("footprint")
        if not (isinstance(found, dict) and found.get("type") in GEOMETRY_TYPES):
            return None
        return found if found.get("coordinates") or found.get("geometries") else None

    def link(self, rel: str) -> Link | None:
        return find_link(self.links, rel)

    def matches(self, *, status: str | None = None, product_id: str | None = None) -> bool:
        """The meaning of the ``status``/``product_id`` order filters, wherever they are
        applied (server, client, or widget): equal status (any spelling) and product."""
        if status and parse_status(self.status) != parse_status(status):
            return False
        return not (product_id and self.product_id != product_id)


class OrdersPage(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    orders: list[Order]
    links: LinkList = Field(default_factory=list)
    number_matched: int | None = Field(default=None, alias="numberMatched")

    def link(self, rel: str) -> Link | None:
        return find_link(self.links, rel)

    @property
    def next(self) -> Link | None:
        return self.link("next")

    @property
    def prev(self) -> Link | None:
        return self.link("prev") or self.link("previous")

    @property
    def first(self) -> Link | None:
        return self.link("first")
