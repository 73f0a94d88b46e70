"""Links, as STAC and STAPI define them: followed exactly as given (method, headers, body)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


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
