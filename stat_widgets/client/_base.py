"""Construction shared by the sync and async clients: credentials, headers, redaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from stat_widgets._fetch import ACCEPT_ENCODING, MAX_RESPONSE_BYTES
from stat_widgets._origins import OriginAuth, basic_header
from stat_widgets._tls import ssl_context

from ._core import ClientCore
from ._http import JSON_ACCEPT, Protocol, Redactor, RetryPolicy

DEFAULT_TIMEOUT = 10.0
DEFAULT_DEADLINE = 60.0
USER_AGENT = "stat-widgets/0.1 (+httpx)"
_SECRET_HEADER_WORDS = ("auth", "key", "token", "secret", "cookie", "session", "password")


def _is_secret_header(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_HEADER_WORDS)


def _check_options(
    token: str | None, auth: object, max_response_bytes: object, deadline: object
) -> None:
    if token is not None and auth is not None:
        raise ValueError("give either token= (a bearer token) or auth=, not both")
    if token is not None and (not isinstance(token, str) or not token.strip()):
        raise ValueError("token must be a non-empty string")
    if not isinstance(max_response_bytes, int) or max_response_bytes < 1:
        raise ValueError(
            f"max_response_bytes must be a positive integer, got {max_response_bytes!r}"
        )
    if deadline is not None and not (isinstance(deadline, int | float) and deadline > 0):
        raise ValueError(f"deadline must be a positive number of seconds or None, got {deadline!r}")


@dataclass
class Credentials:
    """Everything the caller gave that must stay with the API, gathered in one place:
    the API URL without its userinfo, the headers ``OriginAuth`` attaches (``headers=`` plus
    ``Authorization`` from the token or Basic credentials), a custom ``httpx.Auth``, and the
    strings the redactor removes from every message."""

    url: str
    headers: dict[str, str]
    inner: httpx.Auth | None
    secrets: list[str | None]
    shown: str  # for the repr: token=***, auth=*** or anonymous

    @classmethod
    def gather(
        cls,
        url: str,
        token: str | None,
        headers: Mapping[str, str] | None,
        auth: httpx.Auth | tuple[str, str] | None,
    ) -> Credentials:
        parsed = httpx.URL(str(url))
        given = dict(headers or {})
        secrets = [token, parsed.password, *(v for k, v in given.items() if _is_secret_header(k))]
        basic = auth if isinstance(auth, tuple) else None
        if auth is None and (parsed.username or parsed.password):
            basic = (parsed.username, parsed.password)  # user:password@ in the URL
        if parsed.username or parsed.password:
            url = str(parsed.copy_with(username=None, password=None))
        shown = "auth=***" if auth is not None or basic is not None else "anonymous"
        if token is not None:
            given["Authorization"] = f"Bearer {token}"
            shown = "token=***"
        elif basic is not None:
            given["Authorization"] = basic_header(*basic)
            secrets += [basic[1], given["Authorization"].split(" ", 1)[1]]
        inner = auth if isinstance(auth, httpx.Auth) else None
        return cls(str(url), given, inner, secrets, shown)


class ClientBase:
    """State and construction common to ``StatClient`` and ``AsyncStatClient``.

    Every credential (``token``, ``auth``, ``user:password@`` in the URL, every header in
    ``headers``) lives only inside one ``OriginAuth``, which attaches them to requests for
    the API's own origin and to nothing else: not a ``next`` link elsewhere, not a redirect
    hop elsewhere, not a JSON Reference elsewhere; cookies likewise stay with the API. Every
    message, log line and repr goes through the redactor first.
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        dialect: str | None = None,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline: float | None = DEFAULT_DEADLINE,
    ) -> None:
        _check_options(token, auth, max_response_bytes, deadline)
        credentials = Credentials.gather(url, token, headers, auth)
        protocol = Protocol(
            retry or RetryPolicy(),
            Redactor(credentials.secrets),
            max_response_bytes=max_response_bytes,
            deadline=deadline,
        )
        self._core = ClientCore(
            credentials.url, protocol, dialect=dialect, reference_headers=credentials.headers
        )
        self._auth = OriginAuth(self._core.base_url, credentials.headers, credentials.inner)
        self._shown_auth = credentials.shown
        self._headers = {
            "Accept": JSON_ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": USER_AGENT,
        }
        self._timeout = timeout
        self._closed = False

    @property
    def url(self) -> str:
        """The API root this client talks to."""
        return str(self._core.base_url)

    def _httpx_options(self, transport: Any) -> dict[str, Any]:
        return {
            "headers": self._headers,
            "auth": self._auth,
            "timeout": self._timeout,
            "transport": transport,
            "verify": ssl_context(),  # one per process: making one is most of a client's cost
            "follow_redirects": False,  # _fetch follows them, deciding credentials per hop
        }

    def __repr__(self) -> str:
        auth = self._shown_auth
        dialect = self._core.dialect_name or "undetected"
        return f"{type(self).__name__}({self.url!r}, dialect={dialect!r}, {auth})"
