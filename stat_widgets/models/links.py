"""Links, as STAC and STAPI define them: followed exactly as given (method, headers, body)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urljoin

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo
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


_ABSOLUTE = ("http://", "https://", "HTTP://", "HTTPS://")

#: Links one document may carry (a page has a handful; anything near this is hostile).
MAX_LINKS = 1_000

#: The validation-context key naming the URL a record came from; relative hrefs in it are
#: resolved against that URL (``Order.model_validate(data, context={BASE_URL: page_url})``).
BASE_URL = "base_url"


def absolute_links(base: str, raw: Any) -> list[Any]:
    """Links with relative hrefs resolved against ``base``; the list itself when every href
    is already absolute (the common case, kept cheap: it runs for every order)."""
    if not raw:
        return []
    if not isinstance(raw, list):
        raise TypeError("links is not a list")
    for item in raw:
        href = item.get("href") if type(item) is dict else None
        if type(href) is not str or not href.startswith(_ABSOLUTE):
            break
    else:
        return raw
    return [
        {**item, "href": urljoin(base, str(item.get("href", "")))}
        if isinstance(item, dict)
        else item
        for item in raw
    ]


def check_link_records(value: Any, base_url: str | None = None) -> list[LinkRecord | Link]:
    """``LinkRecord`` rules in one pass of plain Python, relative hrefs resolved against
    ``base_url`` (the URL of the document that carried them) when it is given.

    Links come as a list, or as a map (the seed types a page's links as
    ``Map<object, Link Object>``; STAT-era products send one): see ``links_from_map``. The
    same bound and checks apply either way. A list is kept as received, not copied:
    pydantic's own ``TypedDict`` check copied every link and took half of an order's
    validation, which paging through 10,000 orders pays 40,000 times.
    """
    if value is None:
        return []
    labels: list[str] | None = None
    if type(value) is not list:
        value, labels = links_from_map(value)
    if len(value) > MAX_LINKS:
        raise ValueError(f"more than {MAX_LINKS:,} links")
    relative = False
    for index, item in enumerate(value):
        if type(item) is dict:
            href, rel = item.get("href"), item.get("rel")
            if type(href) is not str or type(rel) is not str:
                what = "href" if type(href) is not str else "rel"
                where = index if labels is None else labels[index]
                raise ValueError(f"link {where} has no {what} string")
            relative = relative or not href.startswith(_ABSOLUTE)
        elif not isinstance(item, Link):
            where = index if labels is None else labels[index]
            raise ValueError(f"link {where} is not a link object")
    return absolute_links(base_url, value) if relative and base_url else value


def links_from_map(value: Any) -> tuple[list[Any], list[str]]:
    """A map of links as a list, and how each was named: a single link object (``href`` at
    the top), or ``{key: link}`` / ``{key: [links]}`` where a link without a ``rel`` takes
    the key as its relation (``{"next": {"href": ...}}``)."""
    if type(value) is not dict:
        raise ValueError("links must be a list of link objects or a map of them")
    if "href" in value and type(value["href"]) is not dict:
        return [value], ["'links'"]
    if len(value) > MAX_LINKS:
        raise ValueError(f"more than {MAX_LINKS:,} links")
    out: list[Any] = []
    labels: list[str] = []
    for key, item in value.items():
        for sub in item if type(item) is list else [item]:
            if type(sub) is dict and "rel" not in sub:
                sub = {**sub, "rel": str(key)}
            out.append(sub)
            labels.append(repr(str(key)[:80]))
            if len(out) > MAX_LINKS:
                raise ValueError(f"more than {MAX_LINKS:,} links")
    return out, labels


def _link_list(value: Any) -> Any:
    return list(check_link_records(value))


#: A field of ``Link`` models read from a list or a map of links, checked like a page's.
LinkList = Annotated[list[Link], BeforeValidator(_link_list)]


def checked_link_records(value: Any, info: ValidationInfo) -> list[LinkRecord | Link]:
    """The pydantic validator for ``check_link_records``: the base URL comes from the
    validation context (``BASE_URL``)."""
    base = info.context.get(BASE_URL) if isinstance(info.context, dict) else None
    return check_link_records(value, base)


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
