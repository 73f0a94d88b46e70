"""Clients for widgets that take ``client_or_url``: one way to make them, and to name several.

A widget given a URL makes its client and so closes it; a widget given a client leaves it
open for its owner. A token goes only to the one URL it was given with: several providers are
given as clients, each made with its own credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from stat_widgets.client import StatClient

# The client (httpx, the models) loads when a widget makes or checks one, not when a notebook
# imports the widgets: these aliases name it as text.
ClientOrURL = Union["StatClient", str]  # a runtime alias, readable in help()
Providers = Union[ClientOrURL, Mapping[str, ClientOrURL]]  # noqa: UP007


def as_client(client_or_url: ClientOrURL, *, token: str | None = None) -> tuple[StatClient, bool]:
    """A client and whether it was made here (and so must be closed by the caller)."""
    from stat_widgets.client import StatClient

    if isinstance(client_or_url, StatClient):
        if token is not None:
            raise ValueError("token= is for a URL; a client already carries its credentials")
        return client_or_url, False
    if isinstance(client_or_url, str) and client_or_url.strip():
        return StatClient(client_or_url.strip(), token=token), True
    raise TypeError(
        f"client_or_url must be a StatClient or the API's URL, got {type(client_or_url).__name__}"
    )


def client_maker(
    client_or_url: ClientOrURL, *, token: str | None = None
) -> Callable[[], tuple[StatClient, bool]]:
    """``as_client`` to be called when the client is first needed: for a URL, the client
    (httpx) and the models (pydantic) load only then, so a form's first widgets reach the
    browser, which builds them while those load, instead of after. Anything but a non-empty
    URL (a client, or a wrong argument) is checked and taken now."""
    if isinstance(client_or_url, str) and client_or_url.strip():
        return lambda: as_client(client_or_url, token=token)
    made = as_client(client_or_url, token=token)
    return lambda: made


@dataclass(frozen=True)
class Provider:
    """One tasking provider: the name a user knows it by and a client for its API."""

    name: str
    client: StatClient
    owned: bool = False  # made here from a URL, so closed here

    def close(self) -> None:
        if self.owned:
            self.client.close()


def default_name(client: StatClient) -> str:
    """``host[:port]`` of the API: what tells one unnamed provider from another."""
    import httpx

    url = httpx.URL(client.url)
    return f"{url.host}:{url.port}" if url.port else url.host


def providers_of(target: Providers, *, token: str | None = None) -> list[Provider]:
    """``{"Name": client_or_url, ...}`` or one client or URL (named after its host)."""
    if isinstance(target, Mapping):
        if token is not None:
            raise ValueError(
                "token= goes with a single URL; give several providers as clients, each made "
                "with its own credentials"
            )
        if not target:
            raise ValueError("give at least one provider")
        providers: list[Provider] = []
        try:
            for name, value in target.items():
                if not isinstance(name, str) or not name.strip():
                    raise ValueError(f"provider names must be non-empty text, got {name!r}")
                client, owned = as_client(value)
                providers.append(Provider(name.strip(), client, owned))
        except (TypeError, ValueError):
            for made in providers:
                made.close()
            raise
        return providers
    client, owned = as_client(target, token=token)
    return [Provider(default_name(client), client, owned)]


__all__ = [
    "ClientOrURL",
    "Provider",
    "Providers",
    "as_client",
    "client_maker",
    "default_name",
    "providers_of",
]
