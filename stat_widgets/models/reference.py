"""JSON References (``{"$ref": "https://..."}``) as an order's geometry.

The seed lets an order point at a geometry instead of carrying it, e.g. an OGC API Features
item. The reference is sent as is; ``resolve`` fetches it so the area can be checked and drawn.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stat_widgets.errors import ValidationError
from stat_widgets.models.geometry import FIELD, to_geometry


def same_origin(a: str, b: str) -> bool:
    """Scheme, host and port equal: the only case where API credentials may go along."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port or pa.scheme) == (
        pb.scheme,
        pb.hostname,
        pb.port or pb.scheme,
    )


def _follow_pointer(document: Any, pointer: str) -> Any:
    """RFC 6901 JSON Pointer, for references like ``...json#/features/0/geometry``."""
    if not pointer:
        return document
    node = document
    for token in pointer.lstrip("/").split("/"):
        token = unquote(token).replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise ValidationError(
                f"the JSON pointer #{pointer} does not exist in the document", field=f"{FIELD}.$ref"
            )
    return node


class JSONReference(BaseModel):
    """A pointer to a GeoJSON geometry, Feature, or OGC API Features item."""

    model_config = ConfigDict(populate_by_name=True, frozen=True, extra="forbid")

    ref: str = Field(alias="$ref")

    @field_validator("ref")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(
                f"{value!r} is not an http(s) URL; a JSON Reference must be absolute, "
                "e.g. https://example.com/collections/aoi/items/42"
            )
        return value

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        kwargs.setdefault("by_alias", True)
        return super().model_dump(**kwargs)

    def resolve(
        self,
        *,
        timeout: float = 10.0,
        api_url: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict:
        """Fetch and validate the referenced geometry.

        ``headers`` (the STAT API's credentials) go along only when the reference has the same
        origin as ``api_url``; a reference elsewhere is fetched without them, so a crafted
        reference cannot harvest the user's token.
        """
        import httpx  # deferred: only references need it

        url, _, pointer = self.ref.partition("#")
        send = dict(headers or {}) if api_url and same_origin(self.ref, api_url) else {}
        field = f"{FIELD}.$ref"
        try:
            response = httpx.get(
                url,
                headers={"Accept": "application/geo+json, application/json", **send},
                timeout=timeout,
                follow_redirects=not send,  # credentials never follow a redirect elsewhere
            )
        except httpx.HTTPError as exc:
            raise ValidationError(
                f"could not fetch {url}: {exc.__class__.__name__}: {exc}", field=field
            ) from None
        if response.status_code != 200:
            raise ValidationError(
                f"fetching {url} answered HTTP {response.status_code}", field=field
            )
        try:
            document = json.loads(response.content)
        except ValueError:
            excerpt = response.text[:80].replace("\n", " ")
            raise ValidationError(
                f"{url} did not return JSON (it starts with {excerpt!r})", field=field
            ) from None
        return to_geometry(_follow_pointer(document, pointer), field=field)
