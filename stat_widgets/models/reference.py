"""JSON References (``{"$ref": "https://..."}``) as an order's geometry.

The seed lets an order point at a geometry instead of carrying it, e.g. an OGC API Features
item. The reference is sent as is; ``resolve_reference`` fetches it so the area can be checked
and drawn. The URL is a third party's, so the fetch is bounded like every other read (size
after decompression, total deadline), carries API credentials only to the API's own origin,
and connects to loopback, link-local or private addresses only when told to: a reference
must not turn the client, or the reference server that resolves ``$ref`` geometries with this
same function, into a probe of the network it runs in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stat_widgets.errors import ValidationError
from stat_widgets.models.geometry.valid import FIELD

REFERENCE_FIELD = f"{FIELD}.$ref"
MAX_REFERENCE_BYTES = 32 * 1024 * 1024  # the client's default max_response_bytes
REFERENCE_DEADLINE = 10.0
MAX_REFERENCE_LENGTH = 2048
"""The longest ``$ref`` URL taken (characters): browsers and servers cap URLs near this, and a
reference is stored and listed with every order, so 4.5 MB "URLs" must not bloat listings."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_origin(a: str, b: str) -> bool:
    """Scheme, host and port equal (a default port spelt out or not): the only case where
    API credentials may go along."""

    def origin(url: str) -> tuple[str, str | None, int | None]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, parts.hostname, parts.port or _DEFAULT_PORTS.get(scheme)

    try:
        return origin(a) == origin(b)
    except ValueError:  # an unparseable port
        return False


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
                f"the JSON pointer #{pointer} does not exist in the document",
                field=REFERENCE_FIELD,
            )
    return node


def resolve_reference(
    ref: str,
    *,
    allow_hosts: Iterable[str] = (),
    api_url: str | None = None,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_REFERENCE_BYTES,
    deadline: float = REFERENCE_DEADLINE,
) -> dict:
    """Fetch the GeoJSON that ``ref`` names (a geometry, Feature, OGC API Features item or
    one-feature FeatureCollection, ``#/json/pointer`` allowed) and return it validated as a
    geometry (``to_geometry``: validity, winding; product limits are the caller's).

    Bounds: at most ``max_bytes`` of body after decompression, ``deadline`` seconds in all
    (connecting, every redirect hop, the last byte), at most 10 redirects.
    Addresses: every address the host of each hop resolves to must be public, unless the
    host is named in ``allow_hosts`` or the API at ``api_url`` is itself on an address of
    that kind (an API on loopback may name references on loopback); the connection is made
    to the address that was checked.
    Credentials: ``headers`` go only to a hop with the origin of ``api_url``; no cookies.

    Blocking (call it in a thread from async code). Every failure is a ``ValidationError``
    with field ``geometry.$ref``: unreachable, refused address, too large, too slow, not
    HTTP 200, not JSON, not GeoJSON, invalid geometry.
    """
    import httpx  # deferred: only references need it
    import orjson

    from stat_widgets import _fetch, _origins
    from stat_widgets._tls import ssl_context

    url, _, pointer = ref.partition("#")
    budget = _fetch.Budget(max_bytes, deadline)
    auth = _origins.OriginAuth(api_url, headers) if api_url and headers else None
    accept = {
        "Accept": "application/geo+json, application/json",
        "Accept-Encoding": _fetch.ACCEPT_ENCODING,
    }

    def refused(message: str) -> ValidationError:
        return ValidationError(f"could not fetch {url}: {message}", field=REFERENCE_FIELD)

    tls = ssl_context(trust_env=False)  # one per process (stat_widgets._tls)
    options = {"auth": auth, "headers": accept, "timeout": deadline, "trust_env": False}
    with httpx.Client(verify=tls, **options) as http:
        _fetch.bound_client(http, _origins.AddressPolicy.beside(api_url, allow_hosts))
        try:
            response = _fetch.send(http, "GET", url, budget)
        except _origins.AddressRefused as exc:
            raise refused(str(exc)) from None
        except _fetch.BodyError as exc:
            raise refused(f"{exc.url}: {exc}") from None
        except httpx.TimeoutException as exc:
            if budget.expired:
                raise refused(f"no complete answer within {deadline:g} s") from None
            raise refused(f"timed out ({exc.__class__.__name__})") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise refused(f"{exc.__class__.__name__}: {exc}") from None
    if response.status_code != 200:
        raise ValidationError(
            f"fetching {url} answered HTTP {response.status_code}", field=REFERENCE_FIELD
        )
    try:
        document = orjson.loads(response.content)  # nesting past 1,024 levels is an error
    except ValueError:
        excerpt = response.content[:80].decode("utf-8", "replace").replace("\n", " ")
        raise ValidationError(
            f"{url} did not return JSON (it starts with {excerpt!r})", field=REFERENCE_FIELD
        ) from None
    from stat_widgets.models.geometry import to_geometry

    return to_geometry(_follow_pointer(document, pointer), field=REFERENCE_FIELD)


class JSONReference(BaseModel):
    """A pointer to a GeoJSON geometry, Feature, or OGC API Features item."""

    # serialize_by_alias: model_dump() and model_dump_json() both give {"$ref": ...}
    model_config = ConfigDict(
        populate_by_name=True,
        frozen=True,
        extra="forbid",
        serialize_by_alias=True,
        defer_build=True,
    )

    ref: str = Field(alias="$ref")

    @field_validator("ref")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        if len(value) > MAX_REFERENCE_LENGTH:
            raise ValueError(
                f"the URL is {len(value):,} characters long; at most "
                f"{MAX_REFERENCE_LENGTH:,} are taken"
            )
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(
                f"{value!r} is not an http(s) URL; a JSON Reference must be absolute, "
                "e.g. https://example.com/collections/aoi/items/42"
            )
        return value

    def resolve(
        self,
        *,
        timeout: float = REFERENCE_DEADLINE,
        api_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        allow_hosts: Iterable[str] = (),
        max_bytes: int = MAX_REFERENCE_BYTES,
    ) -> dict:
        """Fetch and validate the referenced geometry: ``resolve_reference`` with ``timeout``
        as the total deadline."""
        return resolve_reference(
            self.ref,
            allow_hosts=allow_hosts,
            api_url=api_url,
            headers=headers,
            max_bytes=max_bytes,
            deadline=timeout,
        )
